"""`wirecoder serve`: a JSON API under /api/ and a web page at / (map, timeline, events table,
article view with evidence), all served by the app itself (no CDN; works offline)."""

from .app import create_app

__all__ = ["create_app"]
