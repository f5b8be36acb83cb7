from portal.exports import Column, clean_filters
from portal.jobs import ExportSpec


def filing_columns() -> list[Column]:
    return [
        Column("团队", lambda f: f.team.name, "text", 22),
        Column("营业部", lambda f: f.branch.name, "text", 16),
        Column("文件类型", lambda f: f.get_kind_display(), "text", 20),
        Column("年度", lambda f: f.year, "int", 8),
        Column("标题", lambda f: f.title, "text", 30),
        Column("版本", lambda f: f.version, "int", 6),
        Column("状态", lambda f: f.get_status_display(), "text", 14),
        Column("目标开户数", lambda f: f.target_new_accounts, "int", 12),
        Column("目标净收入（元）", lambda f: f.target_net_revenue, "money", 16),
        Column("目标客户资产（元）", lambda f: f.target_client_assets, "money", 18),
        Column("合作银行", lambda f: f.partner_bank.name if f.partner_bank else "", "text", 14),
        Column("编制人", lambda f: f.prepared_by.name, "text", 10),
        Column("批准时间", lambda f: f.approved_at, "datetime", 18),
    ]


def worklog_columns() -> list[Column]:
    return [
        Column("日期", lambda w: w.date, "date", 12),
        Column("工号", lambda w: w.person.employee_no, "text", 12),
        Column("姓名", lambda w: w.person.name, "text", 10),
        Column("团队", lambda w: w.team.name if w.team else "", "text", 20),
        Column("小组", lambda w: w.group.name if w.group else "", "text", 10),
        Column("今日工作", lambda w: w.done, "text", 50),
        Column("联系客户情况", lambda w: w.contacts, "text", 40),
        Column("明日计划", lambda w: w.plan_tomorrow, "text", 40),
        Column("填写时间", lambda w: w.created_at, "datetime", 18),
    ]


def worklog_export(request) -> ExportSpec:
    """工作日志 as filtered on the list page, within the user's scope."""
    from teams import selectors
    from teams.filters import WorkLogFilter

    logs = WorkLogFilter(
        request.GET or None, queryset=selectors.work_logs_for(request.user), user=request.user
    ).qs.order_by("-date", "person__employee_no")
    return ExportSpec(
        what="工作日志",
        columns=worklog_columns(),
        rows=logs.iterator(chunk_size=2000),
        total=logs.count(),
        filters=clean_filters(request.GET),
    )
