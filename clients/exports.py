from portal.exports import Column, clean_filters
from portal.jobs import ExportSpec


def client_columns() -> list[Column]:
    return [
        Column("客户号", lambda c: c.crm_code, "text", 14),
        Column("客户名称", lambda c: c.name, "text", 18),
        Column("类型", lambda c: c.get_kind_display(), "text", 8),
        Column("级别", lambda c: c.tier.name if c.tier else "", "text", 8),
        Column("状态", lambda c: c.get_status_display(), "text", 8),
        Column("开户日期", lambda c: c.opened_on, "date", 12),
        Column("客户经理", lambda c: c.manager.name if c.manager else "", "text", 10),
        Column("客户经理工号", lambda c: c.manager.employee_no if c.manager else "", "text", 12),
        Column("团队", lambda c: c.team.name if c.team else "", "text", 20),
        Column("网点", lambda c: c.outlet.name if c.outlet else "", "text", 20),
        Column("营业部", lambda c: c.branch.name, "text", 18),
    ]


def client_export(request) -> ExportSpec:
    """客户名单 as filtered on the list page, within the user's scope."""
    from clients import selectors
    from clients.filters import ClientFilter

    clients = ClientFilter(
        request.GET or None, queryset=selectors.clients_for(request.user), user=request.user
    ).qs
    return ExportSpec(
        what="客户名单",
        columns=client_columns(),
        rows=clients.iterator(chunk_size=2000),
        total=clients.count(),
        filters=clean_filters(request.GET),
    )
