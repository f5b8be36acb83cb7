"""Real-browser tests: Playwright driving Debian's Chromium against the live server."""

import io
import os
import sqlite3
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            *browser_type_launch_args.get("args", []),
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


_SNAPSHOT: dict[str, sqlite3.Connection] = {}


@pytest.fixture
def site(live_server, django_db_serialized_rollback, transactional_db):
    """The small demo organisation behind a live server.

    The demo is seeded once per run and copied aside with SQLite's backup API;
    each later test starts from an exact copy of it (milliseconds instead of a
    fresh seed). The live server shares the in-memory connection.
    """
    assert connection.vendor == "sqlite", "browser tests run on the in-memory SQLite test db"
    connection.ensure_connection()
    if "demo" not in _SNAPSHOT:
        call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _SNAPSHOT["demo"] = snapshot
    else:
        _SNAPSHOT["demo"].backup(connection.connection)
    cache.clear()
    return live_server.url


class Browser:
    """A user's browser session with CSP violations collected."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.csp_errors: list[str] = []
        self.server_errors: list[str] = []
        page.on("console", self._console)
        page.on(
            "response",
            lambda r: self.server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.csp_errors.append(message.text)

    def login(self, login: str, password: str = "demo12345") -> None:
        self.page.goto(f"{self.base_url}/accounts/login/")
        self.page.get_by_label("工号").fill(login)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{self.base_url}/")

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def settled(self) -> None:
        """Waits until htmx has loaded every deferred block (the home page's
        ``hx-trigger="load"`` slots) and no htmx request is in flight. htmx
        swaps synchronously, so a violation in a block is logged before its
        slot is replaced. Cheaper than "networkidle", which always idles
        for 500 ms."""
        self.page.wait_for_function(
            "() => !document.querySelector('[hx-trigger=load], .htmx-request')"
        )

    def no_sideways_scroll(self) -> bool:
        return self.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def desktop(page, site):
    page.set_viewport_size(DESKTOP)
    return Browser(page, site)


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield Browser(page, site)
    context.close()
