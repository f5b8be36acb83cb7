from meetings.models import MORNING_ITEMS
from portal.exports import Column


def meeting_columns() -> list[Column]:
    columns = [
        Column("日期", lambda m: m.date, "date", 12),
        Column("营业部", lambda m: m.branch.name, "text", 16),
        Column("团队", lambda m: m.team.name, "text", 22),
        Column("会议类型", lambda m: m.get_kind_display(), "text", 12),
        Column("所属期间", lambda m: m.period_label, "text", 16),
        Column("主持人", lambda m: m.host.name, "text", 10),
        Column("记录人", lambda m: m.recorded_by.name, "text", 10),
        Column("应到", lambda m: m.roll_total, "int", 6),
        Column("缺席", lambda m: m.roll_absent, "int", 6),
        Column("未完成待办", lambda m: m.open_actions, "int", 10),
    ]
    columns += [
        Column(label, lambda m, n=name: getattr(m, n), "text", 30) for name, label in MORNING_ITEMS
    ]
    columns += [
        Column("会议议程", lambda m: m.agenda, "text", 30),
        Column("会议纪要", lambda m: m.minutes, "text", 50),
        Column("工作进度回顾", lambda m: m.progress_review, "text", 30),
        Column("工作方法调整", lambda m: m.method_changes, "text", 30),
        Column("会议决定", lambda m: m.decisions, "text", 30),
    ]
    return columns


def action_columns() -> list[Column]:
    return [
        Column("团队", lambda a: a.team.name, "text", 22),
        Column(
            "提出会议",
            lambda a: f"{a.meeting.date:%Y-%m-%d} {a.meeting.get_kind_display()}",
            "text",
            22,
        ),
        Column("事项", lambda a: a.description, "text", 40),
        Column("负责人", lambda a: a.owner.name, "text", 10),
        Column("工号", lambda a: a.owner.employee_no, "text", 12),
        Column("完成期限", lambda a: a.due_date, "date", 12),
        Column("状态", lambda a: a.get_status_display(), "text", 10),
        Column("进展说明", lambda a: a.progress_note, "text", 30),
        Column("完成/取消日期", lambda a: a.closed_on, "date", 14),
    ]


def competitor_columns() -> list[Column]:
    return [
        Column("日期", lambda c: c.date, "date", 12),
        Column("营业部", lambda c: c.branch.name, "text", 16),
        Column("团队", lambda c: c.team.name, "text", 22),
        Column("会议", lambda c: c.meeting.get_kind_display(), "text", 12),
        Column("竞争对手", lambda c: c.competitor, "text", 20),
        Column("对手动态", lambda c: c.action, "text", 50),
        Column("信息来源", lambda c: c.source, "text", 20),
    ]


def compliance_columns() -> list[Column]:
    def summary(kind, key):
        return lambda r: r.summary(kind)[key]

    def missed(kind, fmt):
        return lambda r: "、".join(s.start.strftime(fmt) for s in r.summary(kind)["missed_slots"])

    return [
        Column("营业部", lambda r: r.team.branch.name, "text", 16),
        Column("团队", lambda r: r.team.name, "text", 22),
        Column("团队类型", lambda r: r.team.get_kind_display(), "text", 12),
        Column("晨会应开", summary("morning", "required"), "int", 9),
        Column("晨会已开", summary("morning", "held"), "int", 9),
        Column("晨会未开", summary("morning", "missed"), "int", 9),
        Column("晨会未开日期", missed("morning", "%m-%d"), "text", 30),
        Column("周例会应开", summary("weekly", "required"), "int", 10),
        Column("周例会已开", summary("weekly", "held"), "int", 10),
        Column("周例会未开", summary("weekly", "missed"), "int", 10),
        Column("周例会未开（周一）", missed("weekly", "%m-%d"), "text", 24),
        Column("月度例会", lambda r: "、".join(s.label for s in r.monthly) or "无需", "text", 12),
    ]
