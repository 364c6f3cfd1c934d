"""The page in real headless Chromium (Debian's, driven by Playwright; no browser download): it
loads a store, shows markers, filters by type, brushes the timeline, opens an article with its
evidence highlighted; article text with HTML and script in it is shown as text and never runs."""

import os
import socket
import threading
import time

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_results, pipeline):
    import uvicorn

    from wirecoder.serve import create_app
    from wirecoder.store import Store

    db = tmp_path_factory.mktemp("ui") / "ui.db"
    store = Store(db)
    for r in corpus_results:
        store.add(r)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(store, pipeline=pipeline), host="127.0.0.1", port=port,
                                        log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    srv.should_exit = True
    t.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, url):
    # bypass_csp: the page must be safe by escaping alone, not only thanks to its CSP
    page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=20000)
    return page, errors, requests


def test_page_map_filter_brush_article(server, browser, tmp_path):
    url, store = server
    page, errors, requests = _open(browser, url)
    page.wait_for_selector(".ev-marker, .marker-cluster", timeout=10000)
    total = store.counts()["events"]
    assert page.locator("#events tbody tr").count() == total
    assert page.locator(".ev-marker, .marker-cluster").count() >= 1
    assert page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() > 50   # NE boundaries
    # filter by type
    page.select_option("#f-type", "ASSAULT")
    page.wait_for_function("[...document.querySelectorAll('#events tbody tr')].every(r => r.dataset.type === 'ASSAULT')")
    n_assault = page.locator("#events tbody tr").count()
    assert 0 < n_assault < total
    page.select_option("#f-type", "")
    page.wait_for_function(f"document.querySelectorAll('#events tbody tr').length === {total}")
    # brush the timeline (by day): drag over its first half
    page.select_option("#tl-interval", "day")
    page.wait_for_timeout(300)
    box = page.locator("#timeline").bounding_box()
    page.mouse.move(box["x"] + 3, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_selector("#brush", state="attached")
    page.wait_for_function(f"document.querySelectorAll('#events tbody tr').length < {total}")
    status = page.locator("#status").inner_text()
    assert " to " in status
    dates = page.locator("#events tbody tr td:first-child").all_inner_texts()
    lo, hi = status.split(" · ")[1].split(" (")[0].split(" to ")
    assert dates and all(lo <= d <= hi for d in dates)
    page.locator("#timeline").dblclick()
    page.wait_for_function(f"document.querySelectorAll('#events tbody tr').length === {total}")
    # open an event's article: evidence highlighted
    page.locator("#events tbody tr", has_text="Jos").first.click()
    page.wait_for_selector("#article-text mark.ev", timeout=10000)
    marks = page.locator("#article-text mark.ev")
    assert marks.count() >= 2
    assert page.locator("#article-text mark.ev-location", has_text="Jos").count() >= 1
    assert page.locator("#article .sources li").count() == 2       # the other source is listed
    page.screenshot(path=str(tmp_path / "ui.png"))     # docs/ui-screenshot.png: bench/screenshot.py
    assert not errors, errors
    assert all(u.startswith(url) or u.startswith("data:") for u in requests), [u for u in requests if not u.startswith(url)]
    page.close()


def test_article_html_and_script_are_text(server, browser):
    url, store = server
    import httpx

    text = ('Gunmen killed seven traders in an attack on a market near Kano on Monday, a police spokesman said.\n\n'
            '<script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> Shops stayed closed.')
    r = httpx.post(url + "/api/articles", json={"text": text, "title": "<b onmouseover=alert(1)>Kano</b>",
                                                "source": "<script>window.__xss=3</script>",
                                                "published": "2024-05-07"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["events"]
    page, errors, _ = _open(browser, url)
    page.locator("#events tbody tr", has_text="Kano").first.click()
    page.wait_for_selector("#article-text", timeout=10000)
    page.wait_for_timeout(300)
    # the cleaner drops the markup from the text it codes (listed under "Removed by cleaning", as text);
    # what is left, the title and the outlet are shown literally
    assert "Kano" in page.locator("#article-text").inner_text()
    assert "<script>" in page.locator("#article").inner_text()
    assert page.locator("#article-title").inner_text() == "<b onmouseover=alert(1)>Kano</b>"
    assert page.evaluate("window.__xss") is None
    assert page.locator("#article script, #article img, #article b").count() == 0
    page.close()


def test_stale_response_never_overwrites_newer(server, browser):
    """Two refreshes in quick succession (the two clicks of a double-click on the timeline each start
    one) whose answers come back in the wrong order: the table shows the newer one's rows."""
    url, store = server
    page, errors, _ = _open(browser, url)
    total = store.counts()["events"]
    page.wait_for_function(f"document.querySelectorAll('#events tbody tr').length === {total}")
    # the first /api/events answer is held back 800 ms; later ones pass at once
    page.evaluate("""() => {
      const real = window.fetch; let held = false;
      window.fetch = (u, ...a) => {
        if (!held && String(u).startsWith('/api/events?')) {
          held = true;
          return new Promise(res => setTimeout(() => res(real(u, ...a)), 800));
        }
        return real(u, ...a);
      };
      state.brush = ['1900-01-01', '1900-01-01'];   // matches nothing
      refresh(false);
      state.brush = null;
      refresh(false);
    }""")
    page.wait_for_timeout(1500)
    assert page.locator("#events tbody tr").count() == total
    assert "1900" not in page.locator("#status").inner_text()
    assert not errors, errors
    page.close()
