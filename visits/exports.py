"""Excel exports of the visits chapter (R-8.3); every export is logged."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.exports import Column


def visit_columns() -> list[Column]:
    return [
        Column("走访日期", lambda v: v.visited_on, "date", 12),
        Column("客户号", lambda v: v.client.crm_code, "text", 14),
        Column("客户名称", lambda v: v.client.name, "text", 24),
        Column("客户级别", lambda v: v.client.tier.name if v.client.tier_id else "", "text", 10),
        Column("走访人", lambda v: v.visitor.name, "text", 10),
        Column("工号", lambda v: v.visitor.employee_no, "text", 12),
        Column("团队", lambda v: v.team.name if v.team_id else "", "text", 16),
        Column("走访方式", lambda v: v.get_mode_display(), "text", 8),
        Column("走访内容", lambda v: v.content, "text", 40),
        Column("客户意见和建议", lambda v: v.opinions, "text", 30),
        Column("发现的需求", lambda v: v.needs, "text", 30),
        Column("下一步安排", lambda v: v.next_step, "text", 30),
        Column("督办事项数", lambda v: getattr(v, "followup_count", 0), "int", 10),
        Column(
            "月度核验",
            lambda v: v.submission.get_status_display() if v.submission_id else "未提交",
            "text",
            10,
        ),
        Column("重叠提示", lambda v: v.overlap_note, "text", 30),
    ]


def followup_columns() -> list[Column]:
    return [
        Column("登记日期", lambda f: f.raised_on, "date", 12),
        Column("客户号", lambda f: f.client.crm_code, "text", 14),
        Column("客户名称", lambda f: f.client.name, "text", 24),
        Column("问题类别", lambda f: f.get_category_display(), "text", 12),
        Column("问题描述", lambda f: f.description, "text", 40),
        Column("转办部门", lambda f: f.get_department_display(), "text", 14),
        Column("承办部门/经办人", lambda f: f.department_note, "text", 16),
        Column("督办人", lambda f: f.owner.name, "text", 10),
        Column("团队", lambda f: f.team.name if f.team_id else "", "text", 16),
        Column("办结期限", lambda f: f.due_on, "date", 12),
        Column("状态", lambda f: f.get_status_display(), "text", 10),
        Column("处理结果", lambda f: f.resolution, "text", 30),
        Column("解决日期", lambda f: f.resolved_on, "date", 12),
        Column("告知客户日期", lambda f: f.informed_on, "date", 12),
        Column("告知方式", lambda f: f.get_informed_how_display(), "text", 10),
    ]


def overdue_columns(today, status_of) -> list[Column]:
    return [
        Column("客户号", lambda c: c.crm_code, "text", 14),
        Column("客户名称", lambda c: c.name, "text", 24),
        Column("客户级别", lambda c: c.tier.name, "text", 10),
        Column("走访周期（天）", lambda c: c.tier.visit_interval_days, "int", 12),
        Column("客户经理", lambda c: c.manager.name if c.manager_id else "", "text", 10),
        Column("团队", lambda c: c.team.name if c.team_id else "", "text", 16),
        Column("最近走访", lambda c: c.last_visit, "date", 12),
        Column("应访日期", lambda c: status_of(c, today).due_on, "date", 12),
        Column("逾期天数", lambda c: status_of(c, today).overdue_days, "int", 10),
    ]


# -- the quarterly report: one workbook, a sheet per table -----------------------------


def _sheet(wb: Workbook, title: str, headers: list[tuple[str, float]], rows: list[list]) -> int:
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    for i, (_header, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append([h for h, _w in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        ws.append(row)
    return len(rows)


def report_workbook(report) -> tuple[bytes, int]:
    f = report.figures
    wb = Workbook()
    wb.remove(wb.active)
    totals, fu = f.get("totals", {}), f.get("followups", {})
    summary = [
        ["报告", str(report)],
        [
            "期间",
            f"{f.get('start')} 至 {f.get('end')}"
            + ("（截至 " + f.get("until") + "）" if f.get("partial") else ""),
        ],
        ["走访次数", totals.get("visits", 0)],
        ["其中上门", totals.get("onsite", 0)],
        ["其中电话", totals.get("phone", 0)],
        ["其中线上", totals.get("online", 0)],
        ["分级客户数", totals.get("clients", 0)],
        ["已走访客户数", totals.get("covered", 0)],
        ["走访覆盖率", totals.get("cover_rate", "—")],
        ["达到频次要求客户数", totals.get("met", 0)],
        ["频次达标率", totals.get("met_rate", "—")],
        ["督办事项新增", fu.get("raised", 0)],
        ["已解决", fu.get("resolved", 0)],
        ["未解决", fu.get("open", 0)],
        ["逾期", fu.get("overdue", 0)],
        ["平均解决天数", fu.get("avg_days", "—")],
        ["最长解决天数", fu.get("max_days", "—")],
        ["上季遗留", fu.get("carried", 0)],
        ["客户诉求处理评价", report.get_rating_display()],
        ["评价说明", report.rating_note],
        ["走访情况分析", report.analysis],
        ["改进措施", report.measures],
    ]
    rows = _sheet(wb, "概况", [("项目", 22), ("内容", 60)], summary)
    coverage_headers = [
        ("分级客户数", 12),
        ("应访次数", 10),
        ("实访次数", 10),
        ("已走访客户", 12),
        ("达标客户", 10),
        ("覆盖率", 10),
        ("达标率", 10),
    ]

    def coverage(row, prefix=""):
        return [
            row.get(f"{prefix}clients"),
            row.get(f"{prefix}required"),
            row.get(f"{prefix}visits_to"),
            row.get(f"{prefix}covered"),
            row.get(f"{prefix}met"),
            row.get(f"{prefix}cover_rate"),
            row.get(f"{prefix}met_rate"),
        ]

    rows += _sheet(
        wb,
        "按客户级别",
        [
            ("客户级别", 10),
            ("走访周期（天）", 12),
            ("每户应访", 10),
            ("走访次数", 10),
            *coverage_headers,
        ],
        [
            [t["tier"], t["interval"], t["required_each"], t["visits"], *coverage(t)]
            for t in f.get("tiers", [])
        ],
    )
    fu_headers = [("督办新增", 10), ("已解决", 10), ("逾期", 8), ("平均天数", 10), ("最长天数", 10)]

    def fu_cells(row):
        return [
            row.get("fu_raised"),
            row.get("fu_resolved"),
            row.get("fu_overdue"),
            row.get("fu_avg_days"),
            row.get("fu_max_days"),
        ]

    if f.get("managers"):
        rows += _sheet(
            wb,
            "按客户经理",
            [
                ("客户经理", 10),
                ("工号", 12),
                ("走访次数", 10),
                ("上门", 8),
                ("电话", 8),
                ("线上", 8),
                ("走访客户数", 10),
                *coverage_headers,
                *fu_headers,
            ],
            [
                [
                    m["name"],
                    m["employee_no"],
                    m["visits"],
                    m["onsite"],
                    m["phone"],
                    m["online"],
                    m["clients_visited"],
                    *coverage(m, "own_"),
                    *fu_cells(m),
                ]
                for m in f["managers"]
            ],
        )
    if f.get("teams"):
        rows += _sheet(
            wb,
            "按团队",
            [("团队", 16), ("走访次数", 10), *coverage_headers, *fu_headers],
            [[t["team"], t["visits"], *coverage(t), *fu_cells(t)] for t in f["teams"]],
        )
    rows += _sheet(
        wb,
        "督办按类别",
        [
            ("问题类别", 16),
            ("新增", 8),
            ("已解决", 8),
            ("未解决", 8),
            ("逾期", 8),
            ("平均天数", 10),
            ("最长天数", 10),
        ],
        [
            [
                c["category"],
                c["raised"],
                c["resolved"],
                c["open"],
                c["overdue"],
                c["avg_days"],
                c["max_days"],
            ]
            for c in f.get("categories", [])
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), rows
