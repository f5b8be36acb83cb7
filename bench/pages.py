"""Pages as each role sees them, measured through a real HTTP server.

The pages are discovered, not listed: the home page and each of its
lazily loaded blocks (``/home/<code>/``), the to-do list, a search, and
every navigation entry (``portal.registry.nav_sections()`` with their
dropdown children) the role may see, so a chapter that registers its
navigation later is measured without touching this file. The server time
and query count come from each response's ``Server-Timing`` header
(``portal.middleware.ServerTimingMiddleware``).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

ROLES = {
    "demo_cm": "客户经理",
    "demo_tl": "团队负责人",
    "demo_fin": "财务",
    "demo_bm": "营业部经理",
    "demo_hr": "总部人力资源部",
    "demo_office": "总部综合室",
    "admin": "系统管理员",
}
SEARCH_TERM = "王"  # the commonest surname: many hits in every scope
TIMING = re.compile(r'total;dur=([\d.]+), cpu;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+) queries"')


@dataclass
class PageResult:
    role: str
    label: str
    path: str
    status: int = 0
    runs: int = 0
    app_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    db_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    bytes: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.app_ms) if self.app_ms else float("nan")

    @property
    def median_queries(self) -> int:
        return int(statistics.median(self.queries)) if self.queries else -1

    def as_dict(self) -> dict:
        out = asdict(self)
        out["median_ms"] = round(self.median_ms, 1)
        out["median_cpu_ms"] = round(statistics.median(self.cpu_ms), 1) if self.cpu_ms else None
        out["median_db_ms"] = round(statistics.median(self.db_ms), 1) if self.db_ms else None
        out["median_queries"] = self.median_queries
        out["max_queries"] = max(self.queries, default=-1)
        return out


def discover(user) -> list[tuple[str, str]]:
    """(label, path) of the pages a user reaches from the navigation."""
    from django.urls import reverse

    from portal.registry import home_blocks_for, nav_sections, todo_url_name

    pages = [("首页", reverse("home"))]
    # The home page is a frame; each block is fetched on its own.
    for block in home_blocks_for(user):
        pages.append((f"首页·{block.code}", reverse("home_block", args=[block.code])))
    pages.append(("待办", reverse(todo_url_name())))
    pages.append(("搜索", reverse("search") + "?q=" + quote(SEARCH_TERM)))
    for section in nav_sections():
        if not section.visible(user):
            continue
        pages.append((section.label, reverse(section.url_name)))
        for label, url_name, visible in section.children:
            if visible(user):
                pages.append((f"{section.label}·{label}", reverse(url_name)))
    seen: set[str] = set()
    unique = []
    for label, path in pages:
        if path not in seen:
            seen.add(path)
            unique.append((label, path))
    return unique


def session_for(user) -> str:
    """A logged-in session created directly (no password round, no login
    throttling), the way the test client's force_login does."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn (one sync worker: requests are measured one at a time) with
    DEBUG off; ``runserver --noreload`` when gunicorn is not installed."""

    def __init__(self, base: Path, env: dict[str, str]):
        self.base = base
        self.env = env
        # BENCH_PORT pins the port (a shared machine with assigned ports).
        self.port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        bindir = Path(sys.executable).parent
        gunicorn = bindir / "gunicorn"
        if gunicorn.exists():
            cmd = [
                str(gunicorn),
                "portal.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ]
        else:
            cmd = [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--nothreading",
                f"127.0.0.1:{self.port}",
            ]
        self.server = Path(cmd[0]).name
        self.proc = subprocess.Popen(cmd, cwd=self.base, env=self.env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/accounts/login/", "")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("服务未能启动")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def get(self, path: str, session: str) -> tuple[int, str, int]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            headers = {"Host": "127.0.0.1"}
            if session:
                headers["Cookie"] = f"sessionid={session}"
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            return response.status, response.getheader("Server-Timing", ""), len(body)
        finally:
            conn.close()


def measure(
    server: Server, role: str, label: str, path: str, session: str, runs: int
) -> PageResult:
    result = PageResult(role=role, label=label, path=path)
    server.get(path, session)  # warm-up: templates, caches, first connection
    for i in range(runs):
        status, timing, size = server.get(path, session)
        result.status, result.bytes = status, size
        match = TIMING.fullmatch(timing)
        if match:
            result.app_ms.append(float(match[1]))
            result.cpu_ms.append(float(match[2]))
            result.db_ms.append(float(match[3]))
            result.queries.append(int(match[4]))
        result.runs += 1
        # A page slower than two seconds is already far over budget: three runs do.
        if i >= 2 and result.app_ms and min(result.app_ms) > 2000:
            break
    return result


def run_pages(base: Path, env: dict[str, str], runs: int, say) -> tuple[list[PageResult], str]:
    from staff.models import User

    plan = []
    for login in ROLES:
        user = User.objects.filter(employee_no=login).first()
        if user is None:
            say(f"  （演示数据中没有 {login}，跳过）")
            continue
        plan.append((login, session_for(user), discover(user)))
    results: list[PageResult] = []
    with Server(base, env) as server:
        say(f"  服务：{server.server}，端口 {server.port}，每页 {runs} 次")
        for login, session, pages in plan:
            for label, path in pages:
                result = measure(server, login, label, path, session, runs)
                results.append(result)
                say(
                    f"  {login:<12} {path:<32} {result.status} "
                    f"{result.median_ms:8.1f} ms（CPU {statistics.median(result.cpu_ms or [0]):6.1f}）"
                    f"{result.median_queries:4d} 次查询"
                )
    return results, server.server


def server_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "PORTAL_SERVER_TIMING": "1",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PYTHONPATH": str(base),
        }
    )
    return env
