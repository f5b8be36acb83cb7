"""Reading and validating a month's CRM export (R-5.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from clients.models import Client, ClientAssignment
from portal.imports import Field, Problem, UnreadableFile, parse_table, read_rows
from staff.models import User, in_force_q

CRM_FIELDS = [
    Field("crm_code", "客户号", example="0010000001", width=16),
    Field("name", "客户名称", example="张伟", width=18),
    Field(
        "manager",
        "客户经理工号",
        example="0100003",
        width=14,
        aliases=("经纪人工号", "客户经理编号"),
    ),
    Field("opened_on", "开户日期", kind="date", required=False, example="2026-11-05", width=12),
    Field(
        "net_revenue",
        "当月净收入",
        kind="decimal",
        example="1234.56",
        width=14,
        aliases=("净收入",),
    ),
    Field(
        "month_end_assets",
        "月末资产",
        kind="decimal",
        example="500000.00",
        width=16,
        aliases=("月末总资产",),
    ),
]


def read_crm(
    branch, month: dt.date, content: bytes
) -> tuple[list[dict], list[Problem], dict[int, User]]:
    """Rows, problems (each with row and column) and the flagged rows: a
    client whose manager differs from its registered owner that month."""
    try:
        rows = read_rows(content)
    except UnreadableFile as exc:
        return [], [Problem(1, "", str(exc))], {}
    records, problems = parse_table(rows, CRM_FIELDS)
    if not records:
        return records, problems, {}
    numbers = {r["manager"] for r in records if r.get("manager")}
    managers = {u.employee_no: u for u in User.objects.filter(employee_no__in=numbers)}
    codes = [r["crm_code"] for r in records if r.get("crm_code")]
    clients: dict[str, Client] = {}
    for start in range(0, len(codes), 2000):
        for c in Client.objects.filter(crm_code__in=codes[start : start + 2000]):
            clients[c.crm_code] = c
    month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    owners: dict[int, int] = {}
    ids = [c.pk for c in clients.values()]
    for start in range(0, len(ids), 2000):
        for client_id, manager_id in ClientAssignment.objects.filter(
            in_force_q(month_end), client_id__in=ids[start : start + 2000]
        ).values_list("client_id", "manager_id"):
            owners[client_id] = manager_id
    owner_users = {u.pk: u for u in User.objects.filter(pk__in=set(owners.values()))}
    seen: dict[str, int] = {}
    flags: dict[int, User] = {}
    for r in records:
        row = r["_row"]
        code = r.get("crm_code")
        if code:
            if code in seen:
                problems.append(Problem(row, "客户号", f"“{code}”与第 {seen[code]} 行重复"))
            seen.setdefault(code, row)
        manager = managers.get(r.get("manager") or "")
        if r.get("manager") and manager is None:
            problems.append(Problem(row, "客户经理工号", f"“{r['manager']}”不存在"))
        elif manager is not None and manager.branch_id != branch.pk:
            problems.append(
                Problem(
                    row, "客户经理工号", f"{manager.name}（{manager.employee_no}）不属于本营业部"
                )
            )
        if r.get("month_end_assets") is not None and r["month_end_assets"] < 0:
            problems.append(Problem(row, "月末资产", "不能为负数"))
        for key, header in (("net_revenue", "当月净收入"), ("month_end_assets", "月末资产")):
            value = r.get(key)
            if value is not None and (
                value.as_tuple().exponent < -2 or abs(value) >= Decimal("1e14")
            ):
                problems.append(Problem(row, header, f"“{value}”超出范围或小数超过两位"))
        if r.get("opened_on") and r["opened_on"] > month_end:
            problems.append(Problem(row, "开户日期", "晚于导入月份"))
        client = clients.get(code or "")
        if client is not None and client.branch_id != branch.pk:
            problems.append(Problem(row, "客户号", f"客户“{client.name}”属于其他营业部"))
        r["_client"] = client
        r["_manager"] = manager
        if client is not None and manager is not None:
            owner_id = owners.get(client.pk)
            if owner_id is not None and owner_id != manager.pk:
                flags[row] = owner_users[owner_id]
    problems.sort(key=lambda p: (p.row, p.column))
    return records, problems, flags
