#!/usr/bin/env python3
"""Opens every page of a static jiebang site in headless Chromium and fails the pages that break.

Usage: check-site.py SITE_DIR --screenshots OUT [--expect-text TEXT]...

Drives Debian's `chromedriver` over plain HTTP WebDriver (standard library only). Each `*.html`
under SITE_DIR (recursive, sorted) is opened as a file:// URL and fails when: the browser log
has a SEVERE entry (a console error, an uncaught exception, a resource that did not load); an
<img> did not load; the number of loaded `img.chart` differs from `<body data-charts="N">`
(absent = 0); the page is wider than the window; `window.__jiebang_injected` is defined (a
hostile name ran as script); any element carries an `on*` attribute. Every --expect-text must
appear in the visible text of at least one page. A full-page screenshot of each page is saved
to OUT/<relative path>.png.

Exit codes: 0 every page passed, 1 a page failed or an expected text was not found, 2 error
(no chromium/chromedriver, SITE_DIR without pages, the browser could not be driven).
JIEBANG_CHROMIUM and JIEBANG_CHROMEDRIVER name the programs when they are not the Debian ones.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

WIDTH, HEIGHT = 1280, 1600
INSTALL = "apt-get install -y chromium chromium-driver fonts-wqy-microhei"

# What the page reports about itself, after every image was asked to load eagerly.
PROBE = """
const imgs = Array.from(document.images);
const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                   .map(i => i.getAttribute('src') || '(no src)');
const charts = imgs.filter(i => i.classList.contains('chart') && i.complete && i.naturalWidth > 0)
                   .length;
const declared = document.body ? document.body.getAttribute('data-charts') : null;
const handlers = [];
for (const el of document.querySelectorAll('*')) {
  for (const a of Array.from(el.attributes)) {
    if (a.name.toLowerCase().startsWith('on')) {
      handlers.push('<' + el.tagName.toLowerCase() + ' ' + a.name + '>');
    }
  }
}
// The outermost elements reaching past the window's right edge, to say what is too wide.
const wide = [];
for (const el of document.querySelectorAll('body *')) {
  if (wide.length >= 3) { break; }
  const r = el.getBoundingClientRect();
  if (r.right > window.innerWidth + 1 && !wide.some(w => w.el.contains(el))) {
    const cls = el.getAttribute('class');
    wide.push({el: el, name: '<' + el.tagName.toLowerCase() + (cls ? ' class="' + cls + '"' : '') +
               '> ' + Math.round(r.width) + ' px'});
  }
}
return {
  wide: wide.map(w => w.name),
  broken: broken,
  charts: charts,
  declared: declared,
  scrollWidth: document.documentElement.scrollWidth,
  scrollHeight: Math.max(document.documentElement.scrollHeight,
                         document.body ? document.body.scrollHeight : 0),
  innerWidth: window.innerWidth,
  injected: typeof window.__jiebang_injected !== 'undefined',
  handlers: handlers,
  text: document.body ? document.body.innerText : '',
};
"""

# Lazy images below the fold would never load in a viewport-sized check: make them eager and
# wait until every image has settled (loaded or failed).
SETTLE = """
const imgs = Array.from(document.images);
for (const i of imgs) { if (i.loading === 'lazy') { i.loading = 'eager'; } }
return document.readyState === 'complete' && imgs.every(i => i.complete);
"""


class Fatal(Exception):
    """An error that is not a failed page: exit 2."""


def find_program(env, names, extra):
    """The program named by the environment variable `env` when set, else the first found."""
    if os.environ.get(env):
        path = shutil.which(os.environ[env])
        return path if path else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    for path in extra:
        if os.access(path, os.X_OK):
            return path
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """A WebDriver session on a chromedriver this script started."""

    def __init__(self, chromedriver, chromium, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [chromedriver, f"--port={self.port}"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.session = None
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise Fatal(f"chromedriver exited with {self.proc.returncode} (log: {log_path})")
            try:
                if self.call("GET", "/status").get("ready"):
                    break
            except (OSError, Fatal):
                pass
            if time.monotonic() > deadline:
                raise Fatal(f"chromedriver did not answer on port {self.port} within 30 s")
            time.sleep(0.1)
        caps = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--window-size={WIDTH},{HEIGHT}",
                    "--hide-scrollbars",
                ],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})
        self.session = value["sessionId"]
        self.call("POST", self.path("/timeouts"), {"pageLoad": 60000, "script": 30000})

    def path(self, tail):
        return f"/session/{self.session}{tail}"

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                payload = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                payload = json.load(e)
            except ValueError:
                raise Fatal(f"WebDriver {method} {path}: HTTP {e.code}") from None
        value = payload.get("value")
        if isinstance(value, dict) and value.get("error"):
            message = value.get("message", "").splitlines()[0] if value.get("message") else ""
            raise Fatal(f"WebDriver {method} {path}: {value['error']}: {message}")
        return value

    def script(self, source):
        return self.call("POST", self.path("/execute/sync"), {"script": source, "args": []})

    def browser_log(self):
        return self.call("POST", self.path("/se/log"), {"type": "browser"}) or []

    def screenshot(self, width, height):
        """A PNG of the whole page: Chromium's DevTools capture beyond the viewport."""
        params = {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        }
        try:
            value = self.call(
                "POST",
                self.path("/goog/cdp/execute"),
                {"cmd": "Page.captureScreenshot", "params": params},
            )
            return base64.b64decode(value["data"])
        except Fatal:
            # Another driver: the viewport only.
            return base64.b64decode(self.call("GET", self.path("/screenshot")))

    def close(self):
        try:
            if self.session:
                self.call("DELETE", self.path(""))
        except (OSError, Fatal):
            pass
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.log.close()


def check_page(driver, page, rel, shots):
    """Opens one page; returns (problems, visible text, number of charts)."""
    driver.browser_log()  # drop what an earlier page left
    driver.call("POST", driver.path("/url"), {"url": page.resolve().as_uri()})
    deadline = time.monotonic() + 30
    while not driver.script(SETTLE):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    probe = driver.script(PROBE)
    problems = []
    for entry in driver.browser_log():
        if entry.get("level") == "SEVERE":
            problems.append(f"browser log SEVERE: {entry.get('message', '').strip()}")
    for src in probe["broken"]:
        problems.append(f"image did not load: {src}")
    declared_text = probe["declared"]
    try:
        declared = int(declared_text) if declared_text is not None else 0
    except ValueError:
        declared = None
        problems.append(f'<body data-charts="{declared_text}"> is not a number')
    if declared is not None and probe["charts"] != declared:
        problems.append(
            f"{probe['charts']} img.chart loaded but <body data-charts> says {declared}"
        )
    if probe["scrollWidth"] > probe["innerWidth"] + 1:
        what = "; ".join(probe["wide"]) or "no element found"
        problems.append(
            f"page is {probe['scrollWidth']} px wide, wider than the {probe['innerWidth']} px "
            f"window (reaching past it: {what})"
        )
    if probe["injected"]:
        problems.append("window.__jiebang_injected is defined: text from a unit ran as script")
    for h in probe["handlers"][:5]:
        problems.append(f"inline event handler attribute: {h}")
    if len(probe["handlers"]) > 5:
        problems.append(f"... and {len(probe['handlers']) - 5} more handler attributes")
    out = shots / (str(rel) + ".png")
    out.parent.mkdir(parents=True, exist_ok=True)
    height = max(int(probe["scrollHeight"]), 1)
    out.write_bytes(driver.screenshot(max(int(probe["scrollWidth"]), WIDTH), height))
    return problems, probe["text"], probe["charts"]


def main(argv):
    ap = argparse.ArgumentParser(
        description="Open every page of a static site in headless Chromium and check it.",
        epilog="Exit codes: 0 every page passed, 1 a page failed or an expected text is "
        "missing, 2 error (no chromium/chromedriver: " + INSTALL + ").",
    )
    ap.add_argument("site", type=Path, help="the site folder (every *.html under it is opened)")
    ap.add_argument("--screenshots", type=Path, required=True, metavar="OUT",
                    help="folder for one full-page PNG per page")
    ap.add_argument("--expect-text", action="append", default=[], metavar="TEXT",
                    help="text that must be visible on at least one page (repeatable)")
    args = ap.parse_args(argv)

    if not args.site.is_dir():
        print(f"check-site: {args.site}: not a folder", file=sys.stderr)
        return 2
    pages = sorted(p for p in args.site.rglob("*.html") if p.is_file())
    if not pages:
        print(f"check-site: {args.site}: no *.html page under it", file=sys.stderr)
        return 2
    chromedriver = find_program(
        "JIEBANG_CHROMEDRIVER", ["chromedriver"], ["/usr/lib/chromium/chromedriver"]
    )
    chromium = find_program(
        "JIEBANG_CHROMIUM",
        ["chromium", "chromium-browser", "google-chrome"],
        ["/usr/lib/chromium/chromium"],
    )
    if not chromedriver or not chromium:
        missing = " and ".join(
            n for n, p in [("chromium", chromium), ("chromedriver", chromedriver)] if not p
        )
        print(
            f"check-site: {missing} not found (PATH, or JIEBANG_CHROMIUM / "
            f"JIEBANG_CHROMEDRIVER when set); install them with: {INSTALL}",
            file=sys.stderr,
        )
        return 2

    args.screenshots.mkdir(parents=True, exist_ok=True)
    failed = 0
    texts = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="check-site-") as tmp:
        log_path = Path(tmp) / "chromedriver.log"
        try:
            driver = Driver(chromedriver, chromium, log_path)
        except Fatal as e:
            print(f"check-site: could not start the browser: {e}", file=sys.stderr)
            if log_path.exists():
                sys.stderr.write(log_path.read_text(errors="replace")[-2000:])
            return 2
        try:
            for page in pages:
                rel = page.relative_to(args.site)
                t0 = time.monotonic()
                problems, text, charts = check_page(driver, page, rel, args.screenshots)
                texts.append(text)
                took = time.monotonic() - t0
                if problems:
                    failed += 1
                    print(f"FAIL {rel} ({charts} charts, {took:.1f} s)")
                    for p in problems:
                        print(f"     {p}")
                else:
                    print(f"ok   {rel} ({charts} charts, {took:.1f} s)")
        except Fatal as e:
            print(f"check-site: {e}", file=sys.stderr)
            return 2
        finally:
            driver.close()
    missing = [t for t in args.expect_text if not any(t in x for x in texts)]
    for t in missing:
        print(f"FAIL expected text not shown on any page: {t!r}")
    print(
        f"check-site: {len(pages)} pages, {failed} failed, "
        f"{len(args.expect_text) - len(missing)}/{len(args.expect_text)} expected texts found, "
        f"{time.monotonic() - started:.1f} s; screenshots in {args.screenshots}"
    )
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
