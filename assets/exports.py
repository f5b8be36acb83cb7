"""The register and the ledger as Excel: same filters, same scope, logged."""

from __future__ import annotations

from portal.exports import Column


def _who(user) -> str:
    return f"{user.name}（{user.employee_no}）" if user else ""


def register_columns() -> list[Column]:
    return [
        Column("资产编号", lambda i: i.asset_no, "text", 20),
        Column("名称", lambda i: i.name, "text", 20),
        Column("类别", lambda i: i.category.name, "text", 10),
        Column("规格型号", lambda i: i.specification, "text", 24),
        Column("购置日期", lambda i: i.purchase_date, "date", 12),
        Column("单价（元）", lambda i: i.value, "money", 12),
        Column("账面数量", lambda i: i.quantity, "int", 10),
        Column("库存数量", lambda i: i.in_store, "int", 10),
        Column("计量单位", lambda i: i.category.unit, "text", 8),
        Column("账面金额（元）", lambda i: i.value * i.quantity, "money", 14),
        Column("状态", lambda i: i.get_status_display(), "text", 8),
        Column("团队", lambda i: i.team.name, "text", 20),
        Column("所在网点", lambda i: i.outlet.name if i.outlet else "", "text", 22),
        Column("保管人", lambda i: _who(i.custodian), "text", 16),
        Column("备注", lambda i: i.note, "text", 20),
    ]


def ledger_columns() -> list[Column]:
    return [
        Column("流水号", lambda m: m.pk, "int", 10),
        Column("业务日期", lambda m: m.occurred_on, "date", 12),
        Column("类型", lambda m: m.get_kind_display(), "text", 10),
        Column("资产编号", lambda m: m.item.asset_no, "text", 20),
        Column("名称", lambda m: m.item.name, "text", 20),
        Column("数量", lambda m: m.quantity, "int", 8),
        Column("调出网点", lambda m: m.from_outlet.name if m.from_outlet else "", "text", 20),
        Column(
            "交出人",
            lambda m: _who(m.from_holder) if m.from_holder else ("库存" if m.from_outlet else ""),
            "text",
            16,
        ),
        Column("调入网点", lambda m: m.to_outlet.name if m.to_outlet else "", "text", 20),
        Column(
            "接收人",
            lambda m: _who(m.to_holder) if m.to_holder else ("库存" if m.to_outlet else ""),
            "text",
            16,
        ),
        Column("说明", lambda m: m.note, "text", 24),
        Column("团队", lambda m: m.team.name, "text", 20),
        Column("经办人", lambda m: _who(m.recorded_by), "text", 16),
        Column("记录时间", lambda m: m.recorded_at, "datetime", 17),
    ]
