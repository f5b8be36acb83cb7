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


def report_columns() -> list[Column]:
    return [
        Column("团队", lambda r: r.team.name, "text", 22),
        Column("营业部", lambda r: r.branch.name, "text", 16),
        Column("报告", lambda r: f"{r.period_label}{r.get_period_display()}报告", "text", 24),
        Column("期间起", lambda r: r.start, "date", 12),
        Column("期间止", lambda r: r.end, "date", 12),
        Column("状态", lambda r: r.get_status_display(), "text", 10),
        Column("撰写人", lambda r: r.prepared_by.name, "text", 10),
        Column("起草时间", lambda r: r.created_at, "datetime", 18),
        Column("归档时间", lambda r: r.archived_at, "datetime", 18),
    ]


def spotcheck_columns() -> list[Column]:
    return [
        Column("团队", lambda c: c.team.name, "text", 22),
        Column("期间起", lambda c: c.period_start, "date", 12),
        Column("期间止", lambda c: c.period_end, "date", 12),
        Column("日志总数", lambda c: c.population, "int", 10),
        Column("抽取份数", lambda c: c.sampled, "int", 10),
        Column("已检查", lambda c: c.checked, "int", 10),
        Column("抽查人", lambda c: c.drawn_by.name, "text", 10),
        Column("抽取时间", lambda c: c.drawn_at, "datetime", 18),
        Column("随机种子", lambda c: c.seed, "text", 22),
    ]


# Lists exported as filtered on their page, within the user's scope:
# code → (what, filter set, scoped rows for a user, default order, columns).
LIST_EXPORTS = {
    "worklogs": (
        "工作日志",
        "WorkLogFilter",
        "work_logs_for",
        ("-date", "person__employee_no"),
        worklog_columns,
    ),
    "teams_reports": (
        "业务分析报告",
        "ReportFilter",
        "reports_for",
        ("-year", "-start", "team__code"),
        report_columns,
    ),
    "teams_spotchecks": (
        "日志抽查记录",
        "SpotCheckFilter",
        "spot_checks_for",
        ("-drawn_at",),
        spotcheck_columns,
    ),
}


def list_export(code: str):
    """The export builder of one of ``LIST_EXPORTS``."""
    what, filter_name, rows_for, order, columns = LIST_EXPORTS[code]

    def build(request) -> ExportSpec:
        from teams import filters, selectors

        filterset = getattr(filters, filter_name)
        queryset = getattr(selectors, rows_for)(request.user)
        rows = filterset(request.GET or None, queryset=queryset, user=request.user).ordered(*order)
        return ExportSpec(
            what=what,
            columns=columns(),
            rows=rows.iterator(chunk_size=2000),
            total=rows.count(),
            filters=clean_filters(request.GET),
        )

    return build
