"""Excel columns of the attendance chapter: the monthly sheet, outing slips
and leave. Rows come from the same scoped selectors as the pages."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from attendance.models import AttendanceRecord, LeaveKind
from attendance.selectors import RECORD_EXPORT_FIELDS, SUMMED, MonthFigures
from portal.exports import Column


def sheet_columns() -> list[Column]:
    columns = [
        Column("工号", lambda r: r.person.employee_no, "text", 12),
        Column("姓名", lambda r: r.person.name, "text", 10),
        Column("应出勤天数", lambda r: r.working_days, "int", 10),
        Column("其中暂定日历天数", lambda r: r.provisional_days, "int", 12),
        Column("已记录天数", lambda r: r.recorded_days, "int", 10),
        Column("出勤天数", lambda r: r.present_days, "money", 10),
        Column("迟到次数", lambda r: r.late_count, "int", 9),
        Column("迟到分钟", lambda r: r.late_minutes, "int", 9),
        Column("早退次数", lambda r: r.early_count, "int", 9),
        Column("早退分钟", lambda r: r.early_minutes, "int", 9),
        Column("旷工天数", lambda r: r.absent_days, "money", 9),
        Column("擅自离岗次数", lambda r: r.left_post_count, "int", 11),
    ]
    for kind, label in LeaveKind.choices:
        columns.append(Column(f"{label}（天）", lambda r, kind=kind: r.leave_of(kind), "money", 9))
    columns += [
        Column("请假合计（天）", lambda r: r.leave_total, "money", 12),
        Column("外出天数", lambda r: r.outing_days, "int", 9),
        Column("加班小时", lambda r: r.overtime_hours, "money", 9),
        Column("活动缺席次数", lambda r: r.event_absences, "int", 11),
    ]
    return columns


def totals_row(rows: list[MonthFigures]) -> MonthFigures:
    """A 合计 row for the sheet, summing every figure."""
    total = MonthFigures(person=SimpleNamespace(employee_no="合计", name=f"{len(rows)} 人"))
    for name in SUMMED:
        setattr(total, name, sum((getattr(r, name) for r in rows), 0))
    total.leave_days = {
        kind: sum((r.leave_of(kind) for r in rows), Decimal(0)) for kind in LeaveKind.values
    }
    return total


def _local(value):
    return timezone.localtime(value) if value else None


def slip_columns() -> list[Column]:
    return [
        Column("出访单编号", lambda s: s.number, "text", 16),
        Column("出访人", lambda s: s.person.name, "text", 10),
        Column("工号", lambda s: s.person.employee_no, "text", 12),
        Column("团队", lambda s: s.team.name if s.team else "", "text", 20),
        Column("目的地", lambda s: s.destination, "text", 28),
        Column("被访人", lambda s: s.visitee, "text", 12),
        Column("联系方式", lambda s: s.contact, "text", 14),
        Column("出访目的", lambda s: s.purpose, "text", 30),
        Column("计划外出", lambda s: s.planned_out, "datetime", 17),
        Column("计划返回", lambda s: s.planned_back, "datetime", 17),
        Column("填单时间", lambda s: s.filed_at, "datetime", 17),
        Column("定位", lambda s: "有" if s.has_location else "", "text", 6),
    ]


def leave_columns() -> list[Column]:
    return [
        Column("请假人", lambda lv: lv.person.name, "text", 10),
        Column("工号", lambda lv: lv.person.employee_no, "text", 12),
        Column("团队", lambda lv: lv.team.name if lv.team else "", "text", 20),
        Column("假别", lambda lv: lv.get_kind_display(), "text", 8),
        Column("开始日期", lambda lv: lv.start_date, "date", 12),
        Column("结束日期", lambda lv: lv.end_date, "date", 12),
        Column("期间", lambda lv: lv.period_label, "text", 28),
        Column("天数", lambda lv: lv.days, "money", 8),
        Column("状态", lambda lv: lv.get_status_display(), "text", 8),
        Column("事后补办", lambda lv: "是" if lv.filed_after else "", "text", 8),
        Column("事由", lambda lv: lv.reason, "text", 30),
        Column("申请时间", lambda lv: lv.created_at, "datetime", 17),
    ]


def record_columns() -> list[Column]:
    """考勤明细: one row per person per day, read as tuples in
    ``RECORD_EXPORT_FIELDS`` order (a year of a branch is ~40,000 rows, of
    the whole firm ~400,000)."""
    at = {name: i for i, name in enumerate(RECORD_EXPORT_FIELDS)}
    status = dict(AttendanceRecord.Status.choices)
    kinds = dict(LeaveKind.choices)

    def get(name):
        index = at[name]
        return lambda r: r[index]

    def slip_number(r):
        pk, filed = r[at["outing_slip_id"]], r[at["outing_slip__filed_at"]]
        if pk is None:
            return ""
        return f"CF{filed:%Y%m}-{pk:06d}" if filed else "—"  # as OutingSlip.number

    def clock(name):
        index = at[name]
        return lambda r: f"{r[index]:%H:%M}" if r[index] else ""

    return [
        Column("日期", get("date"), "date", 11),
        Column("工号", get("person__employee_no"), "text", 10),
        Column("姓名", get("person__name"), "text", 8),
        Column("营业部", get("branch__name"), "text", 14),
        Column("团队", get("team__name"), "text", 18),
        Column("上班时间", clock("work_start"), "text", 8),
        Column("下班时间", clock("work_end"), "text", 8),
        Column("出勤情况", lambda r: status.get(r[at["status"]], ""), "text", 8),
        Column("到岗时间", clock("arrived_at"), "text", 8),
        Column("迟到分钟", get("late_minutes"), "int", 8),
        Column("离岗时间", clock("left_at"), "text", 8),
        Column("早退分钟", get("early_minutes"), "int", 8),
        Column("擅自离岗", lambda r: "是" if r[at["left_post"]] else "", "text", 8),
        Column("加班小时", get("overtime_hours"), "money", 8),
        Column("假别", lambda r: kinds.get(r[at["leave_kind"]], ""), "text", 8),
        Column("请假天数", get("leave_days"), "money", 8),
        Column("出勤天数", get("present_days"), "money", 8),
        Column("旷工天数", get("absent_days"), "money", 8),
        Column("出访单", slip_number, "text", 16),
        Column("备注", get("note"), "text", 24),
    ]
