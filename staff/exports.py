"""The staff list as Excel and PDF: same filters, same scope, logged."""

from __future__ import annotations

from portal.exports import Column
from portal.identity import mask_tail
from staff.permissions import can_view_identity


def identity_value(viewer, field: str):
    def value(person):
        raw = getattr(person, field) or ""
        return raw if can_view_identity(viewer, person) else mask_tail(raw)

    return value


def people_columns(viewer) -> list[Column]:
    return [
        Column("工号", lambda p: p.employee_no, "text", 12),
        Column("姓名", lambda p: p.name, "text", 10),
        Column("营业部", lambda p: p.branch.name if p.branch else "", "text", 18),
        Column("团队", lambda p: p.team.name if p.team else "", "text", 20),
        Column("小组", lambda p: p.group.name if p.group else "", "text", 10),
        Column("网点", lambda p: p.outlet.name if p.outlet else "", "text", 20),
        Column("岗位", lambda p: p.title, "text", 12),
        Column("级别", lambda p: p.level.name if p.level else "", "text", 12),
        Column("用工类型", lambda p: p.get_employment_type_display(), "text", 20),
        Column("状态", lambda p: p.get_status_display(), "text", 8),
        Column("手机号", lambda p: p.phone, "text", 14),
        Column("身份证号", identity_value(viewer, "id_number"), "text", 22),
        Column("工资卡号", identity_value(viewer, "bank_account"), "text", 24),
        Column("执业登记编号", lambda p: p.sac_no, "text", 18),
        Column("执业登记有效期至", lambda p: p.sac_expires_on, "date", 14),
        Column("入职日期", lambda p: p.hired_on, "date", 12),
    ]
