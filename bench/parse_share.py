"""How much of a news feed the parse could skip at best: the share of words that hold something
of `extract`'s output.

    .venv/bin/python bench/parse_share.py [--articles 300] [--out bench/results/parse-share.json]

Over bench/corpus.py:make_mixed_corpus (a general news feed, 30% conflict news; built here, never
from ../shared/eval), each article goes through the real pipeline once; every evidence span of its
output (events, their links and the main event; then quotes) marks the parsed sentence, and the
paragraph, it falls in. Printed:

* the words the paragraph filter lets through to the parser (what is parsed today);
* the words in sentences (paragraphs) that hold an event's evidence, and those that hold an event's
  or a quote's: an oracle that knew the output before parsing could parse no less than this and
  still write the same events and quotes.

The paragraph figures are the bound for any filter that keeps the parse exact (a paragraph is
parsed whole, as today); parsing single sentences changes the parse of what is kept (the model
sees less context), so the sentence figures bound only filters that accept output changes."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _spans(obj, out: list) -> None:
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int) and "text" in obj:
            out.append((obj["start"], obj["end"]))
        for v in obj.values():
            _spans(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _spans(v, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--out", default=str(HERE / "results" / "parse-share.json"))
    args = ap.parse_args()

    from corpus import make_mixed_corpus

    from wirecoder.analyse import PARAGRAPH_RE, analyse
    from wirecoder.pipeline import default_pipeline
    from wirecoder.schema import Article

    pipe = default_pipeline()
    res = pipe.resources
    words = {"all": 0, "filtered": 0, "para_events": 0, "para_events_quotes": 0}
    tokens = {"parsed": 0, "sent_events": 0, "sent_events_quotes": 0}

    def hits(spans, a, b):
        return any(s < b and e > a for s, e in spans)

    for r in make_mixed_corpus(args.articles):
        art = Article(id=r["id"], text=r["text"], published=r["published"])
        out = pipe.extract(art)
        data = json.loads(out.model_dump_json(exclude={"article", "clean"}))
        ev: list = []
        _spans([data["events"], data.get("links", []), data.get("main_event")], ev)
        qu: list = []
        _spans(data["quotes"], qu)
        text = out.clean.text
        for m in PARAGRAPH_RE.finditer(text):
            n = len(m.group().split())
            words["all"] += n
            words["filtered"] += n if res.relevance.search(m.group()) else 0
            e = hits(ev, m.start(), m.end())
            words["para_events"] += n * e
            words["para_events_quotes"] += n * (e or hits(qu, m.start(), m.end()))
        for s in analyse(out.clean, res).sentences:
            n = len(s.span)
            tokens["parsed"] += n
            e = hits(ev, s.start, s.end)
            tokens["sent_events"] += n * e
            tokens["sent_events_quotes"] += n * (e or hits(qu, s.start, s.end))

    shares = {
        "paragraph filter (parsed today), of all words": words["filtered"] / words["all"],
        "paragraphs holding an event's evidence, of all words": words["para_events"] / words["all"],
        "paragraphs holding an event's or a quote's evidence, of all words":
            words["para_events_quotes"] / words["all"],
        "sentences holding an event's evidence, of the parsed tokens": tokens["sent_events"] / tokens["parsed"],
        "sentences holding an event's or a quote's evidence, of the parsed tokens":
            tokens["sent_events_quotes"] / tokens["parsed"],
    }
    for k, v in shares.items():
        print(f"{v:6.3f}  {k}")
    Path(args.out).write_text(json.dumps({
        "command": f"python bench/parse_share.py --articles {args.articles}", "articles": args.articles,
        "words": words, "tokens": tokens, "shares": {k: round(v, 4) for k, v in shares.items()}}, indent=1) + "\n")


if __name__ == "__main__":
    main()
