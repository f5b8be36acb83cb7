"""The server side of the load scripts: a production-like environment,
2 gunicorn workers on loopback, the throwaway PostgreSQL cluster that
``scripts/with-postgres.sh`` started, and what the scripts read from the
operating system (worker processes, their RSS, the load average).

Nothing here is collected by pytest; the scripts in this folder import it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parents[2]
OUT_DIR = BASE_DIR / "var" / "load"


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production server on plain-http loopback."""
    env = dict(os.environ)
    env.update(
        PORTAL_PROFILE="production",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PORTAL_MANIFEST_STATIC="1",
        PORTAL_HTTPS="0",  # production settings mark cookies Secure unless this is 0
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> str:
    """Runs ``manage.py <args>`` with the production environment."""
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    if not quiet:
        print(proc.stdout, end="")
    return proc.stdout


def prepare(env: dict[str, str], *, collectstatic: bool = True) -> None:
    """Migrates, seeds the small demo (once) and collects static files."""
    t0 = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")  # the production profile's shared cache
    manage(env, "seed_demo", "--scale", "small", "--if-empty")
    if collectstatic:
        manage(env, "collectstatic", "--noinput")
    print(
        f"[prepare] migrate + createcachetable + seed_demo small + collectstatic: {time.monotonic() - t0:.0f} s"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Gunicorn:
    """A gunicorn master with its sync workers on a loopback port."""

    env: dict[str, str]
    workers: int = 2
    port: int = field(default_factory=free_port)
    timeout: int = 30
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> Gunicorn:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT_DIR / f"gunicorn-{self.port}.log"
        log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.port}",
                f"--timeout={self.timeout}",
                "--graceful-timeout=10",
                f"--error-logfile={self.log_path}",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/accounts/login/", timeout=5) as r:  # noqa: S310 -- our own loopback server
                    if r.status == 200 and len(self.worker_pids()) == self.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn not ready after {timeout} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        return child_pids(self.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return sorted(int(p) for p in path.read_text().split())
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(stat.split("/")[2]))
    return sorted(out)


def rss_kb(pid: int) -> int | None:
    """VmRSS of a process in kB, or None when it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def machine() -> dict:
    """What the machine was doing: cores, load average and the busiest processes."""
    top = subprocess.run(
        ["ps", "-eo", "pcpu,rss,comm", "--sort=-pcpu"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()[:8]
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "loadavg": os.getloadavg(),
        "top_processes": top,
    }


# --- PostgreSQL ---------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "DATABASE_URL must point at PostgreSQL; run under "
            "PG_TEST_PORT=55448 scripts/with-postgres.sh .venv/bin/python -m tests.load.<script>"
        )
    return url


def connect(url: str, *, superuser: bool = False):
    import psycopg

    if not superuser:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    u = urlparse(url)
    return psycopg.connect(
        host=u.hostname, port=u.port or 5432, user="postgres", dbname="postgres", autocommit=True
    )


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def data_directory(url: str) -> str:
    with connect(url, superuser=True) as conn:
        return conn.execute("SHOW data_directory").fetchone()[0]


def pg_restart(url: str) -> float:
    """``pg_ctl restart -m fast`` on the throwaway cluster; returns seconds taken."""
    pgbin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]
    d = data_directory(url)
    cmd = f"{pgbin}/pg_ctl -D {shlex.quote(d)} -l {shlex.quote(d)}/log -m fast -w restart"
    argv = ["su", "postgres", "-s", "/bin/sh", "-c", cmd] if os.getuid() == 0 else ["sh", "-c", cmd]
    t0 = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True)
    return time.monotonic() - t0


def demo_logins(url: str, extra: int = 0) -> list[str]:
    """The named demo logins, then (if asked) more active team members."""
    named = [
        "demo_cm",
        "demo_cm2",
        "demo_tl",
        "demo_bm",
        "demo_fin",
        "demo_gl",
        "demo_rec",
        "demo_rm",
        "demo_dep",
        "demo_vp",
    ]
    if extra <= 0:
        return named
    rows = query(
        url,
        "SELECT employee_no FROM staff_user WHERE team_id IS NOT NULL AND status = 'active'"
        " AND NOT must_change_password AND employee_no NOT LIKE 'demo_%%'"
        " ORDER BY employee_no LIMIT %s",
        (extra,),
    )
    return named + [r[0] for r in rows]


def committed_tokens(url: str, run_id: str) -> set[str]:
    """The post tokens of a run found in the work logs' history (each
    successful save of a 工作日志 writes one historical row)."""
    import re

    rows = query(
        url,
        "SELECT done FROM teams_historicalworklog WHERE done LIKE %s",
        (f"%标记 LT{run_id}-%",),
    )
    found: set[str] = set()
    for (done,) in rows:
        found.update(re.findall(r"LT[\w-]+", done))
    return found


def poster_logins(url: str, n: int) -> list[str]:
    """``n`` active team members who may file a 工作日志 (demo logins first)."""
    rows = query(
        url,
        "SELECT employee_no FROM staff_user WHERE team_id IS NOT NULL AND status = 'active'"
        " AND NOT must_change_password AND is_active"
        " ORDER BY employee_no NOT LIKE 'demo_%%', employee_no LIMIT %s",
        (n,),
    )
    return [r[0] for r in rows]
