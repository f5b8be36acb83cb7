"""``make bench`` / ``python -m bench``: the large demo, measured.

1. Loads the large demo into the benchmark database (``var/bench/large.sqlite3``,
   or DATABASE_URL when set), restored from the demo cache when the
   migrations and demo modules are unchanged (``seed_demo --cache``).
2. Starts the app behind a real HTTP server with DEBUG off and requests each
   main page as each role, reading server time and query count from the
   ``Server-Timing`` header.
3. Runs the heavy operations (pay, CRM import, exports, PDF) one process
   each, for time and peak memory.
4. Writes ``bench/results.json`` and prints the figures against the budgets
   of issue 12.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "bench" / "results.json"
CACHE = BASE / "var" / "demo-cache"
BENCH_DB = BASE / "var" / "bench" / "large.sqlite3"

# Budgets of issue 12.
PAGE_MS = 50
PAGE_QUERIES = 15
TASK_BUDGETS = {
    "pay_branch": {"seconds": 2},
    "pay_all": {"seconds": 5},
    "crm_import": {"seconds": 30},
    "export_attendance_year": {"peak_mb": 300},
    "payroll_pdf": {"seconds": 5},
}


def say(message: str = "") -> None:
    print(message, flush=True)


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=env, check=True)  # noqa: S603


def prepare_database(env: dict[str, str], *, fresh: bool) -> float:
    """Migrated and seeded (or restored from the cache); returns seconds."""
    started = time.monotonic()
    if "DATABASE_URL" not in os.environ:
        BENCH_DB.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for path in BENCH_DB.parent.glob(BENCH_DB.name + "*"):
                path.unlink()
        env["DATABASE_URL"] = f"sqlite:///{BENCH_DB}"
    # seed_demo migrates an empty database itself, after looking in the cache.
    manage("seed_demo", "--scale", "large", "--if-empty", "--cache", str(CACHE), env=env)
    return time.monotonic() - started


def run_tasks(names: list[str], env: dict[str, str]) -> list[dict]:
    out = []
    for name in names:
        say(f"  {name} …")
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.tasks", name],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode or not lines:
            result = {"task": name, "error": (proc.stderr or proc.stdout)[-2000:]}
        else:
            result = json.loads(lines[-1])
        budget = TASK_BUDGETS.get(name, {})
        result["budget"] = budget
        result["ok"] = "error" not in result and all(
            result.get(key, float("inf")) <= limit for key, limit in budget.items()
        )
        out.append(result)
        say(f"    {json.dumps(result, ensure_ascii=False)}")
    return out


def page_table(pages: list[dict]) -> list[str]:
    lines = [
        f"{'角色':<12} {'页面':<40} {'状态':>4} {'中位毫秒':>8} {'CPU毫秒':>7} {'查询':>5}  结论",
        "-" * 84,
    ]
    for p in pages:
        ok = p["ok"]
        lines.append(
            f"{p['role']:<12} {p['path']:<40} {p['status']:>4} {p['median_ms']:>8.1f} "
            f"{p['median_cpu_ms'] or 0:>7.1f} {p['median_queries']:>5}  {'OK' if ok else '超出'}"
        )
    return lines


def task_table(tasks: list[dict]) -> list[str]:
    lines = [
        f"{'任务':<24} {'秒':>8} {'CPU秒':>7} {'峰值内存MB':>10} {'行数':>8}  预算 / 结论",
        "-" * 84,
    ]
    for t in tasks:
        if "error" in t:
            lines.append(f"{t['task']:<24} 出错：{t['error'].splitlines()[-1][:60]}")
            continue
        budget = ", ".join(
            f"≤ {v} {'秒' if k == 'seconds' else 'MB'}" for k, v in t["budget"].items()
        )
        verdict = ("OK" if t["ok"] else "超出") if budget else "（记录）"
        rows = t.get("rows") if t.get("rows") is not None else t.get("people", "")
        lines.append(
            f"{t['task']:<24} {t['seconds']:>8.2f} {t.get('cpu_seconds', 0):>7.2f} "
            f"{t['peak_mb']:>10.1f} {rows!s:>8}  "
            f"{budget} {verdict}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="每个页面请求次数（取中位数）")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-tasks", action="store_true")
    parser.add_argument("--tasks", help="只运行这些任务（逗号分隔）")
    parser.add_argument("--roles", help="只测这些登录（逗号分隔）")
    parser.add_argument("--reuse", action="store_true", help="沿用现有基准数据库，不从缓存重新恢复")
    args = parser.parse_args()

    started = time.monotonic()
    env = dict(os.environ)
    from bench.pages import ROLES, run_pages, server_env

    env.update(server_env(BASE))
    say("==> 准备大规模演示数据")
    seed_seconds = prepare_database(env, fresh=not args.reuse)
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from django.db import connection

    results: dict = {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
            "database": connection.vendor,
        },
        "budgets": {"page_ms": PAGE_MS, "page_queries": PAGE_QUERIES, "tasks": TASK_BUDGETS},
        "prepare_seconds": round(seed_seconds, 1),
    }
    if args.roles:
        wanted = set(args.roles.split(","))
        for login in list(ROLES):
            if login not in wanted:
                del ROLES[login]
    pages: list[dict] = []
    if not args.skip_pages:
        say("==> 页面（每个角色的主要页面）")
        measured, server = run_pages(BASE, env, args.runs, say)
        results["server"] = server
        for page in measured:
            row = page.as_dict()
            row["ok"] = (
                page.status == 200
                and row["median_ms"] <= PAGE_MS
                and row["median_queries"] <= PAGE_QUERIES
            )
            pages.append(row)
    results["pages"] = pages
    tasks: list[dict] = []
    if not args.skip_tasks:
        from bench.tasks import TASKS

        names = args.tasks.split(",") if args.tasks else list(TASKS)
        say("==> 重型操作（每项一个进程）")
        tasks = run_tasks(names, env)
    results["tasks"] = tasks
    results["total_seconds"] = round(time.monotonic() - started, 1)
    if pages:
        results["summary"] = {
            "pages": len(pages),
            "pages_over_budget": sum(not p["ok"] for p in pages),
            "median_of_medians_ms": round(statistics.median(p["median_ms"] for p in pages), 1),
        }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    say()
    for line in [*page_table(pages), "", *task_table(tasks)]:
        say(line)
    say()
    say(f"预算：页面中位数 ≤ {PAGE_MS} 毫秒且 ≤ {PAGE_QUERIES} 次查询。结果：{RESULTS}")
    say(f"总用时 {results['total_seconds']:.0f} 秒（准备数据 {seed_seconds:.0f} 秒）")


if __name__ == "__main__":
    main()
