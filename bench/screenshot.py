"""The README's screenshot: `wirecoder serve` on a store (default: the demo store) in headless
Chromium, an event opened with its evidence highlighted.

    .venv/bin/python bench/screenshot.py [--db demo.db] [--out docs/ui-screenshot.png]"""

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="demo.db")
    ap.add_argument("--out", default="docs/ui-screenshot.png")
    ap.add_argument("--port", type=int, default=8765)
    a = ap.parse_args()
    exe = Path(sys.executable).with_name("wirecoder")
    srv = subprocess.Popen([str(exe), "serve", "--db", a.db, "--port", str(a.port)])
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", a.port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"http://127.0.0.1:{a.port}/")
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=20000)
            page.wait_for_timeout(800)
            page.locator("#events tbody tr").first.click()
            page.wait_for_selector("#article-text mark.ev", timeout=10000)
            page.screenshot(path=a.out)
            b.close()
        print(f"wrote {a.out}")
    finally:
        srv.terminate()
        srv.wait()


if __name__ == "__main__":
    main()
