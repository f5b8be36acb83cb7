"""A small load driver: threads, ``http.client`` and a cookie jar per user.

Each virtual client logs in as its own demo user (password demo12345) and
then draws actions from a weighted mix — the home page, its lazily loaded
blocks, the main lists, the to-do inbox and (for team members) filing
today's 工作日志 — until the duration or the request budget runs out.
While it runs, a sampler reads the gunicorn workers' VmRSS from /proc.

Run (starts 2 gunicorn workers against the throwaway PostgreSQL cluster)::

    PG_TEST_PORT=55448 scripts/with-postgres.sh \\
        .venv/bin/python -m tests.load.driver --duration 60 --concurrency 8

or against a running server: ``--base-url http://127.0.0.1:8000 [--master-pid N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

from tests.load import server

PASSWORD = "demo12345"

# The mix: (action, weight). "worklog_post" is drawn only by team members.
DEFAULT_MIX = {
    "home": 15,
    "home_block": 30,
    "clients": 10,
    "staff": 8,
    "approvals": 12,
    "worklogs": 8,
    "leave": 7,
    "worklog_post": 10,
}
LIST_PATHS = {
    "clients": "/clients/",
    "staff": "/staff/",
    "approvals": "/approvals/",
    "worklogs": "/teams/worklogs/",
    "leave": "/attendance/leave/",
}
POST_PATH = "/teams/worklogs/today/"
POST_DONE = "/teams/worklogs/"

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
BLOCK_RE = re.compile(rb'hx-get="(/home/[\w-]+/)"')


class LoginFailed(Exception):
    pass


class PostCut(OSError):
    """A work-log POST was sent but no answer came back."""


@dataclass
class Sample:
    label: str
    t: float  # seconds since the run started (request start)
    ms: float
    status: int  # 0 when no response came
    ok: bool
    error: str = ""


class Session:
    """One logged-in user: a cookie jar and a fresh connection per request
    (gunicorn's sync workers close the connection after each response)."""

    def __init__(self, base_url: str, login: str, timeout: float = 30):
        u = urlparse(base_url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.login_name = login
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.blocks: list[str] = []
        self.allowed: list[str] = []
        self.poster = False

    def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        hdrs = {
            "User-Agent": "portal-load/1",
            "Accept": "text/html",
            "Accept-Language": "zh-CN",
            **(headers or {}),
        }
        data = None
        if body is not None:
            data = urlencode(body).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
        finally:
            conn.close()
        for raw in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return resp.status, resp.headers, payload

    def login(self, password: str = PASSWORD) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        m = CSRF_RE.search(page)
        if status != 200 or not m:
            raise LoginFailed(f"{self.login_name}: login page {status}")
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": m.group(1).decode(),
                "username": self.login_name,
                "password": password,
                "next": "/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise LoginFailed(f"{self.login_name}: login answered {status}")
        if "/accounts/password" in (headers.get("Location") or ""):
            raise LoginFailed(f"{self.login_name}: must change password first")


class Runner:
    """Drives the mix with one thread per session and collects samples."""

    def __init__(
        self,
        base_url: str,
        logins: list[str],
        *,
        mix: dict[str, int] | None = None,
        duration: float = 60,
        max_requests: int = 100_000,
        rate: float | None = None,
        master_pid: int | None = None,
        rss_interval: float = 5,
        run_id: str | None = None,
    ):
        self.base_url = base_url
        self.logins = logins
        self.mix = dict(mix or DEFAULT_MIX)
        self.duration = duration
        self.max_requests = max_requests
        self.rate = rate
        self.master_pid = master_pid
        self.rss_interval = rss_interval
        self.run_id = run_id or f"{time.strftime('%H%M%S')}{random.randrange(1000):03d}"
        self.samples: list[Sample] = []
        self.posts_ok: list[str] = []  # tokens of posts answered with the success redirect
        self.posts_unsure: list[str] = []  # tokens of posts that got no answer or an error
        self.rss: list[dict] = []
        self.events: list[dict] = []
        self.sessions: list[Session] = []
        self.excluded: dict[str, list[str]] = {}
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._t0 = 0.0
        self._scheduled: list[threading.Thread] = []
        self.wall = 0.0

    # --- setup ---------------------------------------------------------------
    def open_sessions(self) -> None:
        """Logs everyone in and finds, per user, the blocks and pages he may see."""
        for login in self.logins:
            s = Session(self.base_url, login)
            s.login()
            status, _, page = s.request("GET", "/")
            if status != 200:
                raise LoginFailed(f"{login}: home answered {status}")
            s.blocks = [b.decode() for b in BLOCK_RE.findall(page)]
            s.poster = "/home/worklog_today/" in s.blocks
            for action, path in LIST_PATHS.items():
                status, _, _ = s.request("GET", path)
                if status == 200:
                    s.allowed.append(action)
                elif status in (403, 404):
                    self.excluded.setdefault(login, []).append(path)
                else:
                    raise LoginFailed(f"{login}: {path} answered {status} in warm-up")
            self.sessions.append(s)

    # --- actions -------------------------------------------------------------
    def _timed(self, label: str, fn: Callable[[], tuple[bool, int, str]]) -> None:
        start = time.monotonic()
        try:
            ok, status, error = fn()
        except (OSError, http.client.HTTPException) as exc:
            ok, status, error = False, 0, f"{type(exc).__name__}: {exc}"[:200]
        ms = (time.monotonic() - start) * 1000
        self.samples.append(Sample(label, start - self._t0, ms, status, ok, error))

    def _get(self, s: Session, path: str, hx: bool = False) -> tuple[bool, int, str]:
        status, headers, body = s.request(
            "GET", path, headers={"HX-Request": "true"} if hx else None
        )
        if status == 200:
            return True, status, ""
        where = headers.get("Location") or ""
        return False, status, f"GET {path} -> {status} {where}{error_page(status, body)}".strip()

    def _post_worklog(self, s: Session, token: str) -> tuple[bool, int, str]:
        status, _, page = s.request("GET", POST_PATH)
        m = CSRF_RE.search(page)
        if status != 200 or not m:
            return False, status, f"GET {POST_PATH} -> {status}"  # nothing was posted
        try:
            status, headers, page = s.request(
                "POST",
                POST_PATH,
                {
                    "csrfmiddlewaretoken": m.group(1).decode(),
                    "done": f"负载测试：拜访客户、整理资料。标记 {token}",
                    "contacts": "电话回访两位客户。",
                    "plan_tomorrow": "继续跟进。",
                },
            )
        except (OSError, http.client.HTTPException) as exc:
            self.posts_unsure.append(token)  # sent; committed or not, we cannot tell
            raise PostCut(f"POST {POST_PATH}: {type(exc).__name__}: {exc}") from exc
        if status == 302 and (headers.get("Location") or "").endswith(POST_DONE):
            self.posts_ok.append(token)
            return True, status, ""
        self.posts_unsure.append(token)
        return False, status, f"POST {POST_PATH} -> {status}{error_page(status, page)}"

    def _draw(self, s: Session, rng: random.Random) -> str:
        choices = [
            a
            for a in self.mix
            if (a in s.allowed)
            or (a == "worklog_post" and s.poster)
            or (a == "home")
            or (a == "home_block" and s.blocks)
        ]
        weights = [self.mix[a] for a in choices]
        return rng.choices(choices, weights)[0]

    def _take(self) -> bool:
        with self._lock:
            if self._count >= self.max_requests:
                return False
            self._count += 1
            return True

    def _client(self, idx: int, s: Session) -> None:
        rng = random.Random(f"{self.run_id}-{idx}")
        interval = len(self.sessions) / self.rate if self.rate else 0
        next_at = time.monotonic() + rng.random() * interval
        seq = 0
        while not self._stop.is_set():
            if interval:
                delay = next_at - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    break
                next_at = max(next_at + interval, time.monotonic() - interval)
            if not self._take():
                break
            action = self._draw(s, rng)
            if action == "home":
                self._timed("home /", lambda: self._get(s, "/"))
            elif action == "home_block":
                path = rng.choice(s.blocks)
                self._timed("home block /home/<code>/", lambda p=path: self._get(s, p, hx=True))
            elif action == "worklog_post":
                seq += 1
                token = f"LT{self.run_id}-{idx}-{seq}"
                self._timed(
                    f"work log GET+POST {POST_PATH}", lambda t=token: self._post_worklog(s, t)
                )
            else:
                path = LIST_PATHS[action]
                self._timed(f"list {path}", lambda p=path: self._get(s, p))

    def _sample_rss(self) -> None:
        while True:
            row: dict = {"t": round(time.monotonic() - self._t0, 1), "load": os.getloadavg()[0]}
            if self.master_pid:
                workers = server.child_pids(self.master_pid)
                row["master_kb"] = server.rss_kb(self.master_pid)
                row["workers_kb"] = {str(p): server.rss_kb(p) for p in workers}
            self.rss.append(row)
            if self._stop.wait(self.rss_interval):
                break

    def at(self, seconds: float, name: str, fn: Callable[[], object]) -> None:
        """Schedules ``fn`` at ``seconds`` into the run (for the fault scripts)."""

        def fire() -> None:
            if self._stop.wait(seconds):
                return
            started = time.monotonic() - self._t0
            try:
                detail = fn()
                self.events.append({"name": name, "t": round(started, 2), "detail": detail})
            except Exception as exc:
                self.events.append({"name": name, "t": round(started, 2), "error": repr(exc)})

        self._scheduled.append(threading.Thread(target=fire, daemon=True))

    # --- run -----------------------------------------------------------------
    def run(self) -> Runner:
        if not self.sessions:
            self.open_sessions()
        self._t0 = time.monotonic()
        threads = [
            threading.Thread(target=self._client, args=(i, s), daemon=True)
            for i, s in enumerate(self.sessions)
        ]
        sampler = threading.Thread(target=self._sample_rss, daemon=True)
        for t in [sampler, *threads, *self._scheduled]:
            t.start()
        deadline = self._t0 + self.duration
        while time.monotonic() < deadline and any(t.is_alive() for t in threads):
            time.sleep(0.2)
        self._stop.set()
        for t in threads:
            t.join(timeout=60)
        self.wall = time.monotonic() - self._t0
        sampler.join(timeout=5)
        return self

    # --- report --------------------------------------------------------------
    def report(self) -> dict:
        by_label: dict[str, list[Sample]] = {}
        for s in self.samples:
            by_label.setdefault(s.label, []).append(s)
        endpoints = {label: summarise(rows, self.wall) for label, rows in sorted(by_label.items())}
        errors: dict[str, int] = {}
        for s in self.samples:
            if not s.ok:
                errors[s.error] = errors.get(s.error, 0) + 1
        return {
            "run_id": self.run_id,
            "base_url": self.base_url,
            "users": [
                {
                    "login": s.login_name,
                    "poster": s.poster,
                    "blocks": len(s.blocks),
                    "lists": s.allowed,
                }
                for s in self.sessions
            ],
            "excluded_pages": self.excluded,
            "config": {
                "concurrency": len(self.sessions),
                "duration_s": self.duration,
                "max_requests": self.max_requests,
                "rate": self.rate,
                "mix": self.mix,
            },
            "wall_s": round(self.wall, 2),
            "overall": summarise(self.samples, self.wall),
            "server_5xx": sum(1 for s in self.samples if s.status >= 500),
            "endpoints": endpoints,
            "errors": dict(sorted(errors.items(), key=lambda kv: -kv[1])[:30]),
            "posts": {"ok": len(self.posts_ok), "unsure": len(self.posts_unsure)},
            "timeline": timeline(self.samples, bucket=10),
            "rss": self.rss,
            "rss_summary": rss_summary(self.rss),
            "events": self.events,
        }


def error_page(status: int, body: bytes) -> str:
    """Which page a 5xx answer was: the portal's own 500 page or another."""
    if status < 500:
        return ""
    if "系统暂时出错了".encode() in body:
        return " (portal 500 page)"
    text = re.sub(rb"<[^>]+>|\s+", b" ", body).strip()[:60].decode(errors="replace")
    return f" (not the portal's page: {text!r})"


def percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return 0.0
    k = max(0, min(len(sorted_ms) - 1, round(p / 100 * len(sorted_ms) + 0.5) - 1))
    return round(sorted_ms[k], 1)


def summarise(rows: list[Sample], wall: float) -> dict:
    ms = sorted(r.ms for r in rows)
    errors = sum(1 for r in rows if not r.ok)
    return {
        "requests": len(rows),
        "errors": errors,
        "error_rate": round(errors / len(rows), 4) if rows else 0.0,
        "rps": round(len(rows) / wall, 2) if wall else 0.0,
        "p50_ms": percentile(ms, 50),
        "p90_ms": percentile(ms, 90),
        "p99_ms": percentile(ms, 99),
        "max_ms": round(ms[-1], 1) if ms else 0.0,
    }


def timeline(rows: list[Sample], bucket: float) -> list[dict]:
    out: dict[int, dict] = {}
    for r in rows:
        b = int(r.t // bucket)
        cell = out.setdefault(b, {"t": b * bucket, "requests": 0, "errors": 0, "ms": []})
        cell["requests"] += 1
        cell["errors"] += 0 if r.ok else 1
        cell["ms"].append(r.ms)
    result = []
    for b in sorted(out):
        cell = out[b]
        ms = sorted(cell.pop("ms"))
        result.append({**cell, "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99)})
    return result


def rss_summary(rss: list[dict]) -> dict:
    """Total worker RSS at the start and end, and the mean of the first and
    last thirds of the samples (growth between them decides 'flat')."""
    totals = [
        sum(v or 0 for v in row["workers_kb"].values()) for row in rss if row.get("workers_kb")
    ]
    if not totals:
        return {}
    third = max(1, len(totals) // 3)
    first, last = totals[:third], totals[-third:]
    first_mean, last_mean = sum(first) / len(first), sum(last) / len(last)
    pids = sorted({p for row in rss for p in row.get("workers_kb", {})})
    return {
        "samples": len(totals),
        "workers_seen": pids,
        "start_mb": round(totals[0] / 1024, 1),
        "end_mb": round(totals[-1] / 1024, 1),
        "max_mb": round(max(totals) / 1024, 1),
        "first_third_mean_mb": round(first_mean / 1024, 1),
        "last_third_mean_mb": round(last_mean / 1024, 1),
        "growth_pct": round((last_mean - first_mean) / first_mean * 100, 2),
    }


def print_report(rep: dict, title: str) -> None:
    o = rep["overall"]
    print(f"\n== {title}: {rep['config']['concurrency']} clients, {rep['wall_s']} s ==")
    head = f"{'endpoint':<40} {'n':>6} {'err':>4} {'req/s':>7} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}"
    print(head)
    for label, e in [*rep["endpoints"].items(), ("OVERALL", o)]:
        print(
            f"{label:<40} {e['requests']:>6} {e['errors']:>4} {e['rps']:>7} "
            f"{e['p50_ms']:>7} {e['p90_ms']:>7} {e['p99_ms']:>7} {e['max_ms']:>7}"
        )
    print(f"server 5xx: {rep['server_5xx']}  posts ok: {rep['posts']['ok']}")
    if rep["errors"]:
        print("errors:")
        for msg, n in rep["errors"].items():
            print(f"  {n:>5} × {msg}")
    if rep["rss_summary"]:
        r = rep["rss_summary"]
        print(
            f"worker RSS total: start {r['start_mb']} MB, end {r['end_mb']} MB, max {r['max_mb']} MB"
            f" (first third {r['first_third_mean_mb']} MB, last third {r['last_third_mean_mb']} MB,"
            f" {r['growth_pct']:+} %)"
        )


def write_json(rep: dict, name: str, out: str | None) -> Path:
    path = Path(out) if out else server.OUT_DIR / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str))
    print(f"result: {path}")
    return path


@dataclass
class Target:
    base_url: str
    master_pid: int | None
    database_url: str | None
    gunicorn: server.Gunicorn | None = None
    env: dict = field(default_factory=dict)


@contextlib.contextmanager
def target(args: argparse.Namespace):
    """The server to drive: ``--base-url`` as given, or 2 fresh gunicorn
    workers against ``DATABASE_URL`` (migrated and seeded first)."""
    if args.base_url:
        yield Target(args.base_url, args.master_pid, os.environ.get("DATABASE_URL"))
        return
    url = server.database_url()
    env = server.production_env(url)
    if not args.no_prepare:
        server.prepare(env)
    with server.Gunicorn(env, workers=args.workers) as g:
        print(f"[server] gunicorn master {g.pid}, workers {g.worker_pids()} at {g.base_url}")
        yield Target(g.base_url, g.pid, url, g, env)


def add_common(parser: argparse.ArgumentParser, *, duration: float, concurrency: int) -> None:
    parser.add_argument("--base-url", help="drive a running server instead of starting one")
    parser.add_argument("--master-pid", type=int, help="gunicorn master pid (for RSS)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate/seed/collectstatic")
    parser.add_argument("--duration", type=float, default=duration, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=concurrency)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--rate", type=float, help="total requests per second (paced)")
    parser.add_argument("--rss-interval", type=float, default=5)
    parser.add_argument("--users", help="comma-separated logins (default: the demo logins)")
    parser.add_argument("--out", help="JSON result file (default var/load/<name>-<time>.json)")


def logins_for(args: argparse.Namespace, tgt: Target) -> list[str]:
    if args.users:
        names = [u.strip() for u in args.users.split(",") if u.strip()]
    else:
        need = max(0, args.concurrency - 10)
        names = (
            server.demo_logins(tgt.database_url, extra=need)
            if tgt.database_url
            else server.demo_logins("", 0)
        )
    # One distinct user per client, so that no two clients post the same
    # person's log at once.
    if len(names) < args.concurrency:
        raise SystemExit(f"{args.concurrency} clients need as many logins; got {len(names)}")
    return names[: args.concurrency]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common(parser, duration=60, concurrency=8)
    args = parser.parse_args()
    before = server.machine()
    with target(args) as tgt:
        runner = Runner(
            tgt.base_url,
            logins_for(args, tgt),
            duration=args.duration,
            max_requests=args.max_requests,
            rate=args.rate,
            master_pid=tgt.master_pid,
            rss_interval=args.rss_interval,
        )
        runner.run()
    rep = runner.report()
    rep["machine"] = {"before": before, "after": server.machine()}
    print_report(rep, "load")
    write_json(rep, "load", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
