"""Headless Debian Chromium for the browser tests (driven by Playwright; never downloaded)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
#: Headless, no sandbox (root in CI), and none of Chromium's own calls to Google services.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def open_offline(playwright, url: str, wait_for: str):  # noqa: ANN001, ANN201 - playwright types
    """Open ``url`` in headless Chromium with every request but file:/data:/blob: refused.

    Returns the browser, the page and a log of ``blocked`` requests, ``failed`` loads and
    console/page ``errors``; the caller closes the browser.
    """
    log: dict[str, list] = {"blocked": [], "failed": [], "errors": []}
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})

    def handle(route):  # noqa: ANN001, ANN202
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            return route.continue_()
        log["blocked"].append(url)
        return route.abort()

    ctx.route("**/*", handle)
    page = ctx.new_page()
    page.on("console", lambda m: m.type == "error" and log["errors"].append(m.text))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("requestfailed", lambda r: log["failed"].append((r.resource_type, r.url)))
    page.goto(url)
    page.wait_for_selector(wait_for)
    return browser, page, log
