"""The FastAPI app. Every bad request gets a 4xx with a message saying what is wrong; the store
is only ever queried through bound parameters (store/base.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import threading
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ..store import EventFilter, Store, StoreError, parse_sort
from ..store.filters import ontology_sets

STATIC = Path(__file__).with_name("static")
MAX_BODY = 5_000_000          # bytes of a POSTed article (the ingest limit of one article)
MAX_PAGE = 500
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,120}$")
EXPORT_MEDIA = {"jsonl": ("application/x-ndjson", "jsonl"), "csv": ("text/csv", "csv"),
                "acled-csv": ("text/csv", "csv"), "geojson": ("application/geo+json", "geojson"),
                "parquet": ("application/vnd.apache.parquet", "parquet")}

Text = Annotated[str | None, Query(max_length=200)]


class ArticleIn(BaseModel):
    """An article to extract and store: ``text`` or ``html``, with what is known about it."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, max_length=MAX_BODY, description="plain text of the article")
    html: str | None = Field(None, max_length=MAX_BODY, description="the article's HTML page (instead of text)")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=300, description="outlet name")
    url: str | None = Field(None, max_length=2000)
    published: dt.date | None = Field(None, description="publication date (relative dates need it)")
    id: str | None = Field(None, max_length=200, description="your id for the article")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def create_app(store: Store, *, pipeline=None) -> FastAPI:
    app = FastAPI(title="wirecoder", version=_version(),
                  description="Events coded from news reports (PLOVER, ACLED, CAMEO) with the evidence for every "
                              "field. All filters of /api/events also apply to /api/counts and /api/export.")
    state = {"pipeline": pipeline, "lock": threading.Lock()}

    @app.exception_handler(RequestValidationError)
    async def _validation(request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{loc or 'request'}: {e.get('msg')}")
        return _error(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(ValueError)
    async def _value(request, exc: ValueError):
        return _error(400, str(exc))

    @app.exception_handler(StoreError)
    async def _store(request, exc: StoreError):
        return _error(503, str(exc))

    def filters(start: Text = None, end: Text = None, type: Text = None, mode: Text = None,
                event_type: Text = None, sub_event_type: Text = None, actor: Text = None, country: Text = None,
                admin1: Text = None, bbox: Text = None, min_fatalities: Text = None, q: Text = None) -> EventFilter:
        return EventFilter.parse(start=start, end=end, plover_type=type, plover_mode=mode,
                                 acled_event_type=event_type.split("|") if event_type else None,
                                 acled_sub_event_type=sub_event_type.split("|") if sub_event_type else None,
                                 actor=actor, country=country, admin1=admin1, bbox=bbox,
                                 min_fatalities=min_fatalities, q=q)

    FILTER_DOC = ("start, end: YYYY-MM-DD; type: PLOVER types, comma-separated; mode: PLOVER modes; event_type, "
                  "sub_event_type: ACLED names, '|'-separated; actor: text in actor 1 or 2; country: ISO3 codes, "
                  "comma-separated; admin1; bbox: min_lon,min_lat,max_lon,max_lat; min_fatalities; q: words in the "
                  "articles")

    @app.get("/api/meta", summary="What the store holds and the values the filters accept")
    def meta():
        plover, acled_types, acled_subs = ontology_sets()
        totals = store.counts()
        return {"backend": store.dialect, "readonly": store.readonly, "counts": totals,
                "plover_types": sorted(plover), "acled_event_types": sorted(acled_types),
                "acled_sub_event_types": sorted(acled_subs), "countries": store.count_by("country"),
                "by_type": store.count_by("plover_type"),
                "sorts": ["date", "fatalities", "updated", "sources", "confidence", "country", "type", "seq"],
                "export_formats": list(EXPORT_MEDIA)}

    @app.get("/api/events", summary="List and filter events", description=FILTER_DOC)
    def list_events(request: Request, start: Text = None, end: Text = None, type: Text = None, mode: Text = None,
                    event_type: Text = None, sub_event_type: Text = None, actor: Text = None, country: Text = None,
                    admin1: Text = None, bbox: Text = None, min_fatalities: Text = None, q: Text = None,
                    sort: Annotated[str, Query(max_length=40, description="date, fatalities, updated, sources, "
                                                                           "confidence, country, type; '-' first "
                                                                           "for descending")] = "date",
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
                    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0):
        f = filters(start, end, type, mode, event_type, sub_event_type, actor, country, admin1, bbox,
                    min_fatalities, q)
        parse_sort(sort)
        total, rows = store.list_events(f, sort=sort, limit=limit, offset=offset)
        # rows hold only str/int/float/None: JSONResponse directly (FastAPI's encoder costs more than the query)
        return JSONResponse({"total": total, "limit": limit, "offset": offset, "sort": sort, "events": rows})

    @app.get("/api/events/{event_id}", summary="One event: all its sources, figures with claimants, links and "
                                               "the evidence of each field")
    def get_event(event_id: str):
        return _detail("event", event_id, store.event_detail)

    @app.get("/api/articles/{article_id}", summary="One article: cleaned text, what cleaning removed, its events "
                                                   "and their evidence spans")
    def get_article(article_id: str):
        return _detail("article", article_id, store.article_detail)

    def _detail(kind: str, key: str, fetch):
        """One stored record by id, or a 404 that names what was asked (never a 500 for an odd id)."""
        if not ID_RE.match(key):
            raise HTTPException(404, f"no {kind} {key[:60]!r}")
        detail = fetch(key)
        if detail is None:
            raise HTTPException(404, f"no {kind} {key!r}")
        return JSONResponse(detail)

    @app.get("/api/counts", summary="Counts of events by day, week or month and by type", description=FILTER_DOC)
    def counts(start: Text = None, end: Text = None, type: Text = None, mode: Text = None,
               event_type: Text = None, sub_event_type: Text = None, actor: Text = None, country: Text = None,
               admin1: Text = None, bbox: Text = None, min_fatalities: Text = None, q: Text = None,
               interval: Annotated[str, Query(pattern="^(day|week|month)$")] = "day",
               by: Annotated[str, Query(pattern="^(plover_type|acled_event_type|country)$")] = "plover_type"):
        f = filters(start, end, type, mode, event_type, sub_event_type, actor, country, admin1, bbox,
                    min_fatalities, q)
        return JSONResponse({"interval": interval, "by": by, "counts": store.timeline(f, interval, by)})

    @app.get("/api/export", summary="The filtered events in an export format", description=FILTER_DOC)
    def export(format: Annotated[str, Query(pattern="^(jsonl|csv|acled-csv|geojson|parquet)$")] = "jsonl",
               all: bool = False, start: Text = None, end: Text = None, type: Text = None, mode: Text = None,
               event_type: Text = None, sub_event_type: Text = None, actor: Text = None, country: Text = None,
               admin1: Text = None, bbox: Text = None, min_fatalities: Text = None, q: Text = None):
        from .. import export as exp
        from ..actors import ActorDictionary

        f = filters(start, end, type, mode, event_type, sub_event_type, actor, country, admin1, bbox,
                    min_fatalities, q)
        if format == "acled-csv":
            f.dated_only = True
            f.acled_only = not all
        media, ext = EXPORT_MEDIA[format]
        names = ActorDictionary.default().country_name
        tmpdir = tempfile.mkdtemp(prefix="wirecoder-export-")
        path = Path(tmpdir) / f"events.{ext}"
        exp.write(store.export_items(f), format, path, country_name=names)

        def stream():
            try:
                with path.open("rb") as fh:
                    while chunk := fh.read(1 << 16):
                        yield chunk
            finally:
                path.unlink(missing_ok=True)
                Path(tmpdir).rmdir()

        return StreamingResponse(stream(), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="wirecoder-events.{ext}"'})

    @app.post("/api/articles", summary="Extract an article's events and store them (same dedup and merge as "
                                       "`wirecoder ingest`)",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": ArticleIn.model_json_schema()}}}})
    async def post_article(request: Request):
        if store.readonly:
            raise HTTPException(403, "the store is open read-only: articles cannot be added")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY + 10_000):
            raise HTTPException(413, f"body larger than {MAX_BODY:,} bytes: post one article at a time")
        ctype = request.headers.get("content-type", "")
        if "json" not in ctype:
            raise HTTPException(415, "send the article as JSON (Content-Type: application/json)")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY + 10_000:
                raise HTTPException(413, f"body larger than {MAX_BODY:,} bytes: post one article at a time")
        try:
            data = json.loads(bytes(body).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise HTTPException(400, f"body is not valid JSON: {str(exc)[:200]}") from None
        try:
            item = ArticleIn.model_validate(data)
        except ValidationError as exc:
            parts = [f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5]]
            raise HTTPException(422, "; ".join(parts)) from None
        return await run_in_threadpool(_extract_and_store, item)

    def _extract_and_store(item: ArticleIn) -> dict:
        from ..ingest import html_to_text
        from ..pipeline import default_pipeline
        from ..schema import Article

        title = item.title
        if item.html is not None and item.text is None:
            text, page_title, _ = html_to_text(item.html)
            title = title or page_title
        else:
            text = item.text
        if not text or not text.strip():
            raise HTTPException(422, "give the article's text (or html) with some words in it")
        if "\x00" in text:
            raise HTTPException(422, "text contains NUL characters")
        art = Article(id=Article.make_id(text), text=text, title=title, source=item.source, url=item.url,
                      published=item.published, external_id=item.id)
        with state["lock"]:    # one extraction at a time: the pipeline's parser is shared
            if state["pipeline"] is None:
                state["pipeline"] = default_pipeline()
            twin = art.id if store.has_article(art.id) else store.near_copy(art)   # or a syndicated copy
            if twin is not None:
                new_outlet = store.add_outlet(art.model_copy(update={"id": twin}))
                detail = store.article_detail(twin)
                return {"article_id": twin, "stored": False, "new_outlet": new_outlet,
                        "events": [store.event_detail(e["id"])["event"] for e in detail["events"]]}
            result = state["pipeline"].extract(art)
            store.add(result)
        detail = store.article_detail(art.id)
        return {"article_id": art.id, "stored": True, "new_outlet": True,
                "events": [store.event_detail(e["id"])["event"] for e in detail["events"]],
                "links": [json.loads(x.model_dump_json()) for x in result.links],
                "quotes": [json.loads(x.model_dump_json()) for x in result.quotes]}

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


# the page runs only its own scripts: no inline script, nothing from elsewhere
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _version() -> str:
    from .. import __version__

    return __version__
