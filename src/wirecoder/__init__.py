"""wirecoder: offline news-to-event-data coder.

    import wirecoder
    doc = wirecoder.extract("Gunmen killed five villagers near Maiduguri on Tuesday.", published="2024-03-06")
    doc.events[0].plover_type, doc.events[0].location.name, doc.events[0].fatalities

    store = wirecoder.Store("events.db")          # or "postgresql://user@host/db"
    store.ingest(["articles/"])                    # files, folders, texts or Article objects
    for ev in store.events(country="NGA", start="2024-01-01", plover_type="ASSAULT"):
        ...
    rows = list(store.records(country="NGA"))      # flat dicts: dates as datetime.date, CAMEO as str
    df = store.to_pandas()                         # if pandas is installed
"""

from __future__ import annotations

import datetime as _dt

__version__ = "0.1.0"

__all__ = ["extract", "Store", "EventFilter", "Article", "Event", "ExtractionResult", "__version__"]


def extract(text: str, *, published: str | _dt.date | None = None, source: str | None = None,
            title: str | None = None, url: str | None = None, html: bool = False, pipeline=None):
    """Code one article: its events (with actors, place, date, figures and the evidence of each),
    the links between them and its quotes, as a typed :class:`ExtractionResult`.

    ``published`` (YYYY-MM-DD or a date) anchors relative dates ('on Tuesday'). ``html=True`` reads
    ``text`` as an HTML page. ``pipeline``: a :class:`wirecoder.pipeline.Pipeline` to reuse (the
    default one is built once per process)."""
    from .ingest import html_to_text, parse_date
    from .pipeline import default_pipeline
    from .schema import Article

    if not isinstance(text, str) or not text.strip():
        raise ValueError("extract() needs the article's text")
    pub = published if isinstance(published, _dt.date) or published is None else parse_date(
        published, what="published date", path="published")
    if html:
        text, page_title, _ = html_to_text(text)
        title = title or page_title
    art = Article(id=Article.make_id(text), text=text, published=pub, source=source, title=title, url=url)
    return (pipeline or default_pipeline()).extract(art)


def __getattr__(name):   # the heavy parts load on first use, so `import wirecoder` stays cheap
    if name in ("Store", "EventFilter"):
        from . import store

        return getattr(store, name)
    if name in ("Article", "Event", "ExtractionResult"):
        from . import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'wirecoder' has no attribute {name!r}")
