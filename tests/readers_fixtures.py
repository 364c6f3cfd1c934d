"""Real-format input files for the reader tests (and the hostile and fuzz tests): made
here, with the real libraries where a format has one (warcio writes the WARC)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

P1 = ("Troops clashed with rebels near Goma on Monday, killing at least four fighters, "
      "a military spokesman said.")
P2 = ("The fighting forced hundreds of families to flee their homes in the hills north of the city, "
      "according to local officials.")

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Troops clash with rebels near Goma | Kivu Times</title>
<meta property="og:site_name" content="Kivu Times">
<meta property="og:title" content="Troops clash with rebels near Goma">
<link rel="canonical" href="https://kivutimes.example/2024/05/02/goma-clash">
<meta property="article:published_time" content="2024-05-02T10:00:00+02:00">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Troops clash with rebels near Goma", "datePublished": "2024-05-02T10:00:00+02:00",
 "publisher": {{"@type": "Organization", "name": "Kivu Times"}}}}</script>
<style>body {{ font-family: serif; }}</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Troops clash with rebels near Goma</h1>
<p class="byline">By Staff Reporter</p>
<figure><img src="x.jpg"><figcaption>Soldiers on patrol near Goma. Photo: Kivu Times</figcaption></figure>
<p>{P1}</p>
<p>{P2}</p>
<p>Aid agencies said they were preparing to deliver food and water to the displaced families this week.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Football results</a></li></ul></aside>
<footer><p>Copyright 2024 Kivu Times. All rights reserved.</p><p>Subscribe to our newsletter</p></footer>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Sahel Wire</title><link>https://sahelwire.example/</link><description>News</description>
<item><title>Gunmen kidnap priest in Kaduna</title><link>https://sahelwire.example/a1</link>
<guid>a1</guid><pubDate>Fri, 26 Feb 2021 10:00:00 GMT</pubDate>
<description>Gunmen kidnapped a priest in Kaduna state on Thursday, police said.</description></item>
<item><title>Bad date</title><link>https://sahelwire.example/a2</link>
<guid>a2</guid><pubDate>Fri, 26 Feb 0000 10:00:00 GMT</pubDate>
<description>Soldiers arrested three suspects in Kano on Wednesday, the army said.</description></item>
<item><title>Full content</title><link>https://sahelwire.example/a3</link><guid>a3</guid>
<pubDate>Sat, 27 Feb 2021 08:30:00 +0100</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Protesters marched through Abuja on Friday to demand the release of the kidnapped priest.</p><p>Police fired tear gas to disperse the crowd, witnesses said.</p>]]></content:encoded></item>
<item><title>Empty</title><guid>a4</guid><pubDate>Sat, 27 Feb 2021 09:00:00 GMT</pubDate><description></description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Andes Daily</title><id>urn:andes</id><updated>2024-06-08T12:00:00Z</updated>
<entry><title>Students protest in Santiago</title><id>urn:andes:1</id>
<link href="https://andes.example/1"/>
<published>2024-06-08T12:00:00Z</published><updated>2024-06-08T13:00:00Z</updated>
<content type="html">&lt;p&gt;Hundreds of students protested in Santiago on Friday, demanding lower tuition fees.&lt;/p&gt;</content>
</entry>
<entry><title>Miners strike</title><id>urn:andes:2</id><link href="https://andes.example/2"/>
<updated>2024-06-09T07:00:00-04:00</updated>
<summary>Copper miners went on strike in Antofagasta on Sunday over pay, their union said.</summary>
</entry>
</feed>
"""


def write_warc(path: Path, pages: list[tuple[str, str, str]], gz: bool = False) -> None:
    """pages: (uri, html, warc-date). Also a request record and a non-HTML response, which
    the reader must pass over."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        for uri, html, date in pages:
            req = w.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                       warc_headers_dict={"WARC-Date": date})
            w.write_record(req)
            body = html.encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            rec = w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                       warc_headers_dict={"WARC-Date": date})
            w.write_record(rec)
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://x.example/logo.png", "response",
                                            payload=io.BytesIO(b"\x89PNG\r\n"), http_headers=img))


def page(title: str, *paras: str, date: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head><title>{title}</title>{meta}</head><body><nav><a href='/'>Home</a> | "
            f"<a href='/w'>World</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>Copyright News Ltd</footer></body></html>")


WARC_PAGES = [
    ("https://news.example/goma", page("Clash near Goma", P1, P2), "2024-05-03T08:00:00Z"),
    ("https://news.example/kano", page("Arrests in Kano", "Soldiers arrested three suspects in Kano on Wednesday, "
                                       "the army said in a statement on Thursday.",
                                       "The suspects were taken to a military base for questioning, it said.",
                                       date="2021-02-24"), "2024-05-04T09:00:00Z"),
]

JSONL_ODD = [
    {"body": "Police arrested two men in Nairobi on Monday after a protest, a spokesman said.",
     "headline": "Two arrested", "when": "December 17, 2016", "outlet": "Rift Post", "uid": 7},
    {"body": "Rebels attacked a village near Beni on Tuesday, local officials said.",
     "when": "2016-12-18T23:30:00-05:00", "outlet": "Kivu Times", "uid": "b"},
    {"body": "Gunmen killed three people in an attack in Zamfara on Wednesday, police said.",
     "when": 1482192000, "outlet": "Sahel Wire", "uid": "c"},
    {"body": "Protesters blocked a road in Lima on Thursday.", "when": "Tue, 20 Dec 2016 10:00:00 +0000", "uid": "d"},
]
FIELDS_ODD = ["text=body", "title=headline", "date=when", "source=outlet", "id=uid"]

CSV_ODD = ("uid;story;pub\n" "ignored\n")   # placeholder, the CSV is built in csv_text()


def csv_text() -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["uid", "story", "pub", "outlet"])
    w.writerow(["1", "Police arrested 12 protesters in Nairobi on Monday, a police spokesman said.",
                "17 Dec 2016", "Rift Post"])
    w.writerow(["2", "Troops shelled rebel positions near Goma on Sunday,\nthe army said.", "12/18/2016", "Kivu"])
    w.writerow(["3", "This row has a missing column"])                       # missing column
    w.writerow(["4", "", "2016-12-19", "X"])                                   # no text
    w.writerow(["5", "Gunmen attacked a police post in Zamfara.", "not a date", "Y"])   # bad date
    w.writerow(["6", "Soldiers arrested three suspects in Kano on Wednesday.", "2016-12-21", "Sahel Wire"])
    return buf.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def jsonl(rows) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)
