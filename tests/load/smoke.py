"""Load smoke for ``make test``: at most 30 s and 300 requests of the mixed
load against 2 gunicorn workers on PostgreSQL; fails (exit 1) on any error,
any server 5xx, or a work log answered as saved that is not in the database.

    PG_TEST_PORT=55448 scripts/with-postgres.sh .venv/bin/python -m tests.load.smoke
"""

from __future__ import annotations

import argparse

from tests.load import driver, server


def main() -> int:
    parser = argparse.ArgumentParser(description="short load smoke; fails on any error")
    driver.add_common(parser, duration=30, concurrency=4)
    parser.set_defaults(max_requests=300)
    args = parser.parse_args()
    args.duration = min(args.duration, 30)
    before = server.machine()
    with driver.target(args) as tgt:
        runner = driver.Runner(
            tgt.base_url,
            driver.logins_for(args, tgt),
            duration=args.duration,
            max_requests=args.max_requests,
            rate=args.rate,
            master_pid=tgt.master_pid,
            rss_interval=args.rss_interval,
        )
        runner.run()
        workers_after = tgt.gunicorn.worker_pids() if tgt.gunicorn else None
    rep = runner.report()
    rep["machine"] = {"before": before, "after": server.machine()}
    driver.print_report(rep, "smoke")
    problems = []
    if rep["overall"]["errors"]:
        problems.append(f"{rep['overall']['errors']} failed requests")
    if rep["server_5xx"]:
        problems.append(f"{rep['server_5xx']} server errors (5xx)")
    if rep["overall"]["requests"] < 50:
        problems.append(f"only {rep['overall']['requests']} requests made")
    if tgt.database_url and runner.posts_ok:
        missing = set(runner.posts_ok) - server.committed_tokens(tgt.database_url, runner.run_id)
        rep["posts"]["missing"] = sorted(missing)
        if missing:
            problems.append(f"{len(missing)} work logs answered as saved are not in the database")
    if not runner.posts_ok:
        problems.append("no work log was posted")
    if workers_after is not None and len(workers_after) != args.workers:
        problems.append(f"workers after the run: {workers_after}")
    rep["problems"] = problems
    driver.write_json(rep, "smoke", args.out)
    for p in problems:
        print(f"SMOKE FAILED: {p}")
    if not problems:
        print("smoke passed")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
