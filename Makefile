# wirecoder: `make demo` and `make test` work from a clean clone.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
WC     := $(VENV)/bin/wirecoder
DEMO_DB ?= demo.db

.PHONY: install demo test bench clean eval

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'
	$(WC) gazetteer build --quiet
	touch $@

install: $(VENV)/.installed

demo: install
	rm -f $(DEMO_DB)
	$(WC) ingest samples/sample-articles.jsonl --db $(DEMO_DB)
	$(WC) summary --db $(DEMO_DB)
	@echo
	@echo "To look at these events on a map, a timeline and their articles with evidence (offline):"
	@echo "  $(WC) serve --db $(DEMO_DB)    # then open http://127.0.0.1:8000/ (API docs: /docs)"

test: install
	$(PY) -m pytest -q

eval: install
	$(WC) eval events ../shared/seed/us-strike-syria.gold.json

bench: install
	$(PY) bench/throughput.py
	$(PY) bench/scale.py --articles 1000

clean:
	rm -rf $(VENV) $(DEMO_DB) build src/*.egg-info
