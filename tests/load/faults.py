"""Faults under load, against 2 gunicorn workers on PostgreSQL.

(a) ``kill``: clients file 工作日志 as fast as they can; a gunicorn worker is
    killed with SIGKILL mid-request, twice (each original worker once).
    Passes when every post answered with the success redirect is in the
    database (each save writes a history row carrying the post's token), the
    master has replaced the workers, and posts succeed again afterwards.
(b) ``pgrestart``: the mixed load runs while the throwaway cluster is
    restarted with ``pg_ctl restart -m fast``. Requests during the restart
    may fail; passes when the portal serves again by itself (same gunicorn
    master and workers), no request fails after recovery, and every post
    answered as saved is in the database.

    PG_TEST_PORT=55448 scripts/with-postgres.sh .venv/bin/python -m tests.load.faults
"""

from __future__ import annotations

import argparse
import os
import signal
import time
from pathlib import Path

from tests.load import driver, server


def _runner(tgt: driver.Target, args, mix: dict[str, int], duration: float) -> driver.Runner:
    logins = server.poster_logins(tgt.database_url, args.concurrency)
    runner = driver.Runner(
        tgt.base_url,
        logins,
        mix=mix,
        duration=duration,
        master_pid=tgt.master_pid,
        rss_interval=2,
    )
    runner.open_sessions()
    not_posters = [s.login_name for s in runner.sessions if not s.poster]
    if not_posters:
        raise SystemExit(f"not team members: {not_posters}")
    return runner


def _durability(tgt: driver.Target, runner: driver.Runner) -> dict:
    committed = server.committed_tokens(tgt.database_url, runner.run_id)
    ok = set(runner.posts_ok)
    unsure = set(runner.posts_unsure)
    return {
        "posts_answered_saved": len(ok),
        "posts_without_success_answer": len(unsure),
        "saved_found_in_db": len(ok & committed),
        "saved_missing_from_db": sorted(ok - committed),
        "unanswered_but_committed": len(unsure & committed),
        "history_rows_of_run": len(committed),
    }


def _errors_between(runner: driver.Runner, start: float, end: float) -> list[dict]:
    return [
        {
            "t_end": round(s.t + s.ms / 1000, 2),
            "label": s.label,
            "status": s.status,
            "error": s.error,
        }
        for s in runner.samples
        if not s.ok and start <= s.t + s.ms / 1000 <= end
    ]


def fault_kill(tgt: driver.Target, args) -> dict:
    g = tgt.gunicorn
    assert g is not None, "the kill fault needs the gunicorn this script starts"
    runner = _runner(tgt, args, {"worklog_post": 1}, args.duration)
    original = g.worker_pids()
    killed: list[int] = []

    def kill() -> dict:
        pid = next(p for p in g.worker_pids() if p in original and p not in killed)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        t0 = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)
        forked = None
        while time.monotonic() - t0 < 60:
            pids = g.worker_pids()
            if len(pids) == args.workers and pid not in pids:
                forked = round(time.monotonic() - t0, 2)
                break
            time.sleep(0.05)
        return {"pid": pid, "state_before": state, "replacement_forked_after_s": forked}

    runner.at(args.duration * 0.2, "SIGKILL worker", kill)
    runner.at(args.duration * 0.4, "SIGKILL worker", kill)
    runner.run()
    time.sleep(1)
    after = g.worker_pids()
    rep = runner.report()
    kills = [e["t"] for e in runner.events if e["name"] == "SIGKILL worker" and "error" not in e]
    cut = [
        e
        for k in kills
        for e in _errors_between(runner, k - 0.5, k + 3)
        if e["status"] == 0 or e["status"] >= 500
    ]
    last = max(kills) if kills else 0
    # A replacement worker loads Django before it serves (no --preload); on a
    # busy machine that takes seconds, and requests wait in the listen queue.
    after_kill = [s for s in runner.samples if s.t >= last]
    first_ok = min((s.t + s.ms / 1000 for s in after_kill if s.ok), default=None)
    dur = _durability(tgt, runner)
    checks = {
        "two_kills_done": len(kills) == 2,
        "no_saved_post_lost": not dur["saved_missing_from_db"],
        "workers_replaced": len(after) == args.workers and not set(after) & set(killed),
        "posts_go_on_after_kills": sum(1 for s in after_kill if s.ok) > 0,
        "no_errors_after_the_kills": all(s.ok for s in runner.samples if s.t >= last + 1),
        "errors_only_at_the_kills": rep["overall"]["errors"] == len(cut),
    }
    return {
        "passed": all(checks.values()),
        "checks": checks,
        "workers_before": original,
        "killed": killed,
        "workers_after": after,
        "events": runner.events,
        "requests_cut_by_kill": cut,
        "posts_ok_after_last_kill": sum(1 for s in after_kill if s.ok),
        "served_again_s_after_last_kill": round(first_ok - last, 2) if first_ok else None,
        "durability": dur,
        "overall": rep["overall"],
        "errors": rep["errors"],
        "timeline": rep["timeline"],
    }


def fault_pgrestart(tgt: driver.Target, args) -> dict:
    runner = _runner(tgt, args, driver.DEFAULT_MIX, args.duration)
    master = tgt.master_pid
    workers_before = server.child_pids(master) if master else []
    restart: dict = {}

    def do_restart() -> dict:
        t0 = time.monotonic()
        restart["start"] = t0 - runner._t0
        took = server.pg_restart(tgt.database_url)
        restart["end"] = time.monotonic() - runner._t0
        return {
            "seconds": round(took, 2),
            "data_directory": server.data_directory(tgt.database_url),
        }

    runner.at(args.duration * 0.3, "pg_ctl restart -m fast", do_restart)
    runner.run()
    workers_after = server.child_pids(master) if master else []
    rep = runner.report()
    failed = [s for s in runner.samples if not s.ok]
    end = restart.get("end", 0.0)
    last_error_end = max((s.t + s.ms / 1000 for s in failed), default=None)
    after = [s for s in runner.samples if s.t >= end]
    first_ok_after = min((s.t + s.ms / 1000 for s in after if s.ok), default=None)
    dur = _durability(tgt, runner)
    checks = {
        "restart_done": "end" in restart,
        "errors_only_around_restart": all(
            restart.get("start", 0) - 1 <= s.t + s.ms / 1000 <= end + args.grace for s in failed
        ),
        "serves_after_restart": first_ok_after is not None,
        "no_errors_after_grace": all(s.ok for s in after if s.t >= end + args.grace),
        "same_gunicorn_processes": workers_before == workers_after and bool(workers_after),
        "no_saved_post_lost": not dur["saved_missing_from_db"],
    }
    return {
        "passed": all(checks.values()),
        "checks": checks,
        "restart": {k: round(v, 2) for k, v in restart.items()},
        "events": runner.events,
        "failed_requests": len(failed),
        "server_5xx": rep["server_5xx"],
        "last_error_at": round(last_error_end, 2) if last_error_end else None,
        "recovered_s_after_restart": (
            round(max(0.0, last_error_end - end), 2) if last_error_end else 0.0
        ),
        "first_success_after_restart": round(first_ok_after, 2) if first_ok_after else None,
        "workers_before": workers_before,
        "workers_after": workers_after,
        "durability": dur,
        "overall": rep["overall"],
        "errors": rep["errors"],
        "timeline": rep["timeline"],
    }


def fault_double(tgt: driver.Target, args) -> dict:
    """(c, opt-in) A double submit: two sessions of the same person post
    today's first 工作日志 at the same instant. Both should be answered as
    saved (one files, the other amends); a 5xx is a race in the service."""
    import datetime as dt
    import threading
    from zoneinfo import ZoneInfo

    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    logins = [
        r[0]
        for r in server.query(
            tgt.database_url,
            "SELECT u.employee_no FROM staff_user u WHERE u.team_id IS NOT NULL"
            " AND u.status = 'active' AND u.is_active AND NOT u.must_change_password"
            " AND NOT EXISTS (SELECT 1 FROM teams_worklog w WHERE w.person_id = u.id"
            " AND w.date = %s) ORDER BY u.employee_no LIMIT %s",
            (today, args.pairs),
        )
    ]
    outcomes: list[dict] = []
    for login in logins:
        pair = [driver.Session(tgt.base_url, login) for _ in range(2)]
        tokens = []
        for s in pair:
            s.login()
            _, _, page = s.request("GET", driver.POST_PATH)
            tokens.append(driver.CSRF_RE.search(page).group(1).decode())
        barrier = threading.Barrier(2)
        statuses: list = [None, None]

        def post(i: int, pair=pair, tokens=tokens, st=statuses, barrier=barrier):
            barrier.wait()
            try:
                status, _, body = pair[i].request(
                    "POST",
                    driver.POST_PATH,
                    {"csrfmiddlewaretoken": tokens[i], "done": f"重复提交测试 {i}"},
                )
                st[i] = f"{status}{driver.error_page(status, body)}"
            except OSError as exc:
                st[i] = repr(exc)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        outcomes.append({"login": login, "answers": statuses})
    failed = [o for o in outcomes if any(not str(a).startswith("302") for a in o["answers"])]
    return {
        "passed": not failed and bool(outcomes),
        "pairs": len(outcomes),
        "pairs_with_a_failure": len(failed),
        "outcomes": outcomes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="worker kill and PostgreSQL restart under load")
    driver.add_common(parser, duration=60, concurrency=6)
    parser.add_argument(
        "--only", choices=["kill", "pgrestart", "double"], help="default: kill and pgrestart"
    )
    parser.add_argument("--pairs", type=int, default=10, help="double submits to try")
    parser.add_argument("--grace", type=float, default=10, help="seconds allowed to recover")
    args = parser.parse_args()
    if args.base_url:
        raise SystemExit("faults start their own gunicorn; do not pass --base-url")
    results: dict = {"machine_before": server.machine()}
    with driver.target(args) as tgt:
        if args.only in (None, "kill"):
            results["kill_worker"] = fault_kill(tgt, args)
            print_fault("kill a worker (SIGKILL) during form posts", results["kill_worker"])
        if args.only in (None, "pgrestart"):
            results["pg_restart"] = fault_pgrestart(tgt, args)
            print_fault("restart PostgreSQL during the mixed load", results["pg_restart"])
        if args.only == "double":
            results["double_submit"] = fault_double(tgt, args)
            d = results["double_submit"]
            print(f"\n== double submit of a first 工作日志: {'PASS' if d['passed'] else 'FAIL'} ==")
            for o in d["outcomes"]:
                print(f"  {o['login']}: {o['answers']}")
    results["machine_after"] = server.machine()
    faults = ("kill_worker", "pg_restart", "double_submit")
    passed = all(r["passed"] for k, r in results.items() if k in faults)
    results["passed"] = passed
    driver.write_json(results, "faults", args.out)
    print("faults passed" if passed else "FAULTS FAILED")
    return 0 if passed else 1


def print_fault(title: str, r: dict) -> None:
    o = r["overall"]
    print(f"\n== {title}: {'PASS' if r['passed'] else 'FAIL'} ==")
    for name, ok in r["checks"].items():
        print(f"  {'ok ' if ok else 'NOT'} {name}")
    print(
        f"  requests {o['requests']}, errors {o['errors']}, {o['rps']} req/s,"
        f" p50 {o['p50_ms']} ms, p99 {o['p99_ms']} ms"
    )
    print(f"  durability: {r['durability']}")
    for key in (
        "killed",
        "workers_before",
        "workers_after",
        "restart",
        "recovered_s_after_restart",
    ):
        if key in r:
            print(f"  {key}: {r[key]}")
    for e in r["events"]:
        print(f"  event: {e}")
    for msg, n in r["errors"].items():
        print(f"  {n:>4} × {msg}")


if __name__ == "__main__":
    raise SystemExit(main())
