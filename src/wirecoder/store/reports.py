"""Reports: what each article said about each event, kept beside the fused events.

A stored event is the fusion (dedupe.fuse_events) of its *reports*: the events the pipeline found
in single articles. The store keeps every report (its full JSON, for fusing) with the matcher's
features (dedupe.rep_dumps) and the blocking keys as indexed columns (type family, date interval
in day ordinals, country), so a new report's candidates are an index range, compared without
decoding whole events, and the clusters can always be recomputed (``wirecoder dedupe --rebuild``)."""

from __future__ import annotations

import datetime as dt
import hashlib

from ..schema import Event


def report_row(ev: Event, article_id: str, event_id: str | None, day_window: int = 3) -> dict:
    """The ``reports`` row of one article's event."""
    from ..dedupe import rep_dumps, rep_of, usable

    r = rep_of(ev, day_window)
    ok = usable(r)
    return dict(id=ev.id, article_id=article_id, event_id=event_id, family=r.family,
                country=r.country, lo=r.lo if ok else None, hi=r.hi if ok else None, rep=rep_dumps(r),
                json=ev.model_dump_json())


def reports_of(ev: Event, articles: dict[str, tuple[str | None, str | None]]) -> list[Event]:
    """The single-article reports of a stored event (for stores written before reports were kept):
    the event itself when one article reports it, else each article's mentions fused again as the
    pipeline fuses one article's mentions. ``articles``: id -> (published ISO date, source)."""
    if len(ev.article_ids) <= 1:
        return [ev]
    from ..merge import fuse

    out = []
    for aid in ev.article_ids:
        ms = [m for m in ev.mentions if m.article_id == aid]
        if not ms:
            continue
        pub, src = articles.get(aid, (None, None))
        rid = ev.id if ev.id.startswith(aid + "-") else f"{aid}-x{hashlib.sha256(ev.id.encode()).hexdigest()[:8]}"
        rep = fuse(rid, ms, dt.date.fromisoformat(pub) if pub else None, src)
        counts = [c if c.source_article else c.model_copy(update={"source_article": aid}) for c in rep.counts]
        out.append(rep.model_copy(update={"counts": counts}))
    return out or [ev]


def signature_rows(article_id: str, text: str) -> tuple[dict, list[dict]] | None:
    """The ``article_sigs`` row and ``article_bands`` rows of one stored text (None: too short)."""
    import json

    from ..syndication import bands, figures, signature

    sig = signature(text)
    if sig is None:
        return None
    return ({"article_id": article_id, "sig": json.dumps(sig), "figures": figures(text)},
            [{"band": b, "article_id": article_id} for b in sorted(set(bands(sig)))])
