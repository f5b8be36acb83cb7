"""``python -m bench.report``: bench/results.json as Markdown tables, for
docs/performance.md (pages by role, then the heavy tasks)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def pages(results: dict) -> list[str]:
    budget_ms = results["budgets"]["page_ms"]
    budget_q = results["budgets"]["page_queries"]
    out = []
    role = None
    for p in results["pages"]:
        if p["role"] != role:
            role = p["role"]
            out += [
                "",
                f"**{role}**",
                "",
                "| 页面 | 路径 | 中位 ms | CPU ms | 查询 | 结论 |",
                "|---|---|---:|---:|---:|---|",
            ]
        over = []
        if p["status"] != 200:
            over.append(f"HTTP {p['status']}")
        if p["median_ms"] > budget_ms:
            over.append("时间")
        if p["median_queries"] > budget_q:
            over.append("查询")
        cpu = p.get("median_cpu_ms")
        out.append(
            f"| {p['label']} | `{p['path']}` | {p['median_ms']:.1f} | "
            f"{'' if cpu is None else f'{cpu:.1f}'} | {p['median_queries']} | "
            f"{'超出：' + '、'.join(over) if over else 'OK'} |"
        )
    return out


def tasks(results: dict) -> list[str]:
    out = [
        "| 任务 | 秒 | CPU 秒 | 峰值内存 MB | 行数 | 预算 | 结论 |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for t in results["tasks"]:
        if "error" in t:
            out.append(f"| {t['label'] if 'label' in t else t['task']} | 出错 | | | | | |")
            continue
        budget = "，".join(
            f"≤ {v} {'秒' if k == 'seconds' else 'MB'}" for k, v in t["budget"].items()
        )
        verdict = ("OK" if t["ok"] else "超出") if budget else "（记录）"
        rows = t.get("rows") if t.get("rows") is not None else t.get("people", "")
        out.append(
            f"| {t['label']} | {t['seconds']:.1f} | {t.get('cpu_seconds', 0):.1f} | "
            f"{t['peak_mb']:.0f} | {rows} | {budget} | {verdict} |"
        )
    return out


def main(argv: list[str]) -> None:
    results = json.loads(Path(argv[0] if argv else RESULTS).read_text())
    m = results["machine"]
    print(
        f"测于 {results['when']}，{m['cpus']} 核，开始时负载 {m['load'][0]:.1f}，"
        f"数据库 {m['database']}，服务 {results.get('server', '')}，"
        f"准备数据 {results['prepare_seconds']:.0f} 秒，总用时 {results['total_seconds']:.0f} 秒。"
    )
    print("\n".join(pages(results)))
    print()
    print("\n".join(tasks(results)))


if __name__ == "__main__":
    main(sys.argv[1:])
