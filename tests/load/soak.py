"""Soak: the load driver for 30 minutes at a moderate, paced rate, sampling
the gunicorn workers' VmRSS every 30 s; memory is "flat" when the mean of
the last third of the samples is within ``--max-growth`` per cent of the
mean of the first third (and no worker was replaced).

    PG_TEST_PORT=55448 scripts/with-postgres.sh .venv/bin/python -m tests.load.soak

Exit status 1 when memory grew or more than 0.1 % of the requests failed.
"""

from __future__ import annotations

import argparse

from tests.load import driver, server


def main() -> int:
    parser = argparse.ArgumentParser(description="30-minute soak with worker RSS sampling")
    driver.add_common(parser, duration=30 * 60, concurrency=6)
    parser.set_defaults(rate=3.0, rss_interval=30)
    parser.add_argument("--max-growth", type=float, default=10.0, help="per cent")
    args = parser.parse_args()
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
    rep = runner.report()
    rep["machine"] = {"before": before, "after": server.machine()}
    rss = rep["rss_summary"]
    flat = bool(rss) and rss["growth_pct"] <= args.max_growth
    replaced = bool(rss) and len(rss["workers_seen"]) > args.workers
    ok = flat and not replaced and rep["overall"]["error_rate"] <= 0.001
    rep["verdict"] = {
        "memory_flat": flat,
        "max_growth_pct": args.max_growth,
        "workers_replaced": replaced,
        "passed": ok,
    }
    driver.print_report(rep, "soak")
    if rep["rss"]:
        print("RSS samples (t s: worker MB …):")
        for row in rep["rss"]:
            mbs = " ".join(f"{(v or 0) / 1024:.1f}" for v in row.get("workers_kb", {}).values())
            print(f"  {row['t']:>7}: {mbs}  load {row['load']:.2f}")
    print(f"memory flat: {flat} (growth {rss.get('growth_pct')} %), passed: {ok}")
    driver.write_json(rep, "soak", args.out)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
