"""Excel columns of the archives' lists, and the closed month's index
workbook (several sheets, written in openpyxl's write-only mode)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.exports import FORMATS, Column, build_workbook


def _text(value) -> str:
    return "" if value is None else str(value)


def slip_columns() -> list[Column]:
    return [
        Column("流水号", lambda s: s.number, width=20),
        Column("确认日期", lambda s: s.issued_on, "date", 12),
        Column("客户号", lambda s: s.client.crm_code, width=16),
        Column("客户名称", lambda s: s.client.name, width=24),
        Column("开户日期", lambda s: s.opened_on, "date", 12),
        Column("客户经理工号", lambda s: s.manager.employee_no, width=12),
        Column("客户经理", lambda s: s.manager.name, width=10),
        Column("团队", lambda s: _text(s.team.name if s.team else ""), width=20),
        Column("新建客户档案", lambda s: "是" if s.new_client else "否", width=8),
        Column("确认人", lambda s: s.confirmed_by.name, width=10),
        Column("状态", lambda s: s.get_status_display(), width=8),
        Column("作废原因", lambda s: s.void_reason, width=24),
        Column("作废人", lambda s: s.voided_by.name if s.voided_by else "", width=10),
        Column("备注", lambda s: s.note, width=20),
    ]


def contract_columns(today) -> list[Column]:
    return [
        Column("工号", lambda c: c.person.employee_no, width=12),
        Column("姓名", lambda c: c.person.name, width=10),
        Column("团队", lambda c: _text(c.person.team.name if c.person.team else ""), width=20),
        Column("合同类型", lambda c: c.get_kind_display(), width=12),
        Column("合同编号", lambda c: c.number, width=16),
        Column("起始日期", lambda c: c.starts_on, "date", 12),
        Column("终止日期", lambda c: c.ends_on, "date", 12),
        Column("签订日期", lambda c: c.signed_on, "date", 12),
        Column(
            "状态",
            lambda c: c.State(c.state_on(today, renewed=c.is_renewed)).label,
            width=10,
        ),
        Column("续签自", lambda c: str(c.previous.starts_on) if c.previous else "", width=12),
        Column("提前终止日期", lambda c: c.terminated_on, "date", 12),
        Column("原件存放位置", lambda c: c.original_location, width=28),
    ]


def file_columns(flags_missing) -> list[Column]:
    return [
        Column("工号", lambda p: p.employee_no, width=12),
        Column("姓名", lambda p: p.name, width=10),
        Column("营业部", lambda p: _text(p.branch.name if p.branch else ""), width=18),
        Column("团队", lambda p: _text(p.team.name if p.team else ""), width=20),
        Column("用工类型", lambda p: p.get_employment_type_display(), width=22),
        Column("人员状态", lambda p: p.get_status_display(), width=8),
        Column("缺少材料", lambda p: "、".join(flags_missing(p)), width=40),
        Column("证件待核验", lambda p: "是" if p.unchecked else "", width=10),
        Column("核验不符", lambda p: "是" if p.check_failed else "", width=10),
        Column("合同到期日", lambda p: p.contract_ends, "date", 12),
        Column("执业登记编号", lambda p: p.sac_no, width=18),
        Column("执业登记有效期至", lambda p: p.sac_expires_on, "date", 14),
    ]


def expiry_columns(kind: str, today) -> list[Column]:
    if kind in ("sac_expiring", "sac_expired"):
        return [
            Column("工号", lambda p: p.employee_no, width=12),
            Column("姓名", lambda p: p.name, width=10),
            Column("团队", lambda p: _text(p.team.name if p.team else ""), width=20),
            Column("执业登记编号", lambda p: p.sac_no, width=18),
            Column("有效期至", lambda p: p.sac_expires_on, "date", 12),
            Column("剩余天数", lambda p: (p.sac_expires_on - today).days, "int", 10),
        ]
    return [
        *contract_columns(today)[:8],
        Column("剩余天数", lambda c: (c.ends_on - today).days, "int", 10),
        Column("原件存放位置", lambda c: c.original_location, width=28),
    ]


def list_workbook(title: str, columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    return build_workbook(title, columns, rows)


# -- the closed month's index -------------------------------------------------------------


def _sheet(wb: Workbook, title: str, columns: list[Column], rows: Iterable[Any]) -> int:
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            value = column.value(row)
            if value is not None and column.kind == "text":
                value = str(value)
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = FORMATS[column.kind]
            cells.append(cell)
        ws.append(cells)
        count += 1
    return count


def index_workbook(archive, *, files, slips, managers, clients) -> bytes:
    """归档索引: the files in the bundle, the slips, each manager's results
    and every client per manager."""
    wb = Workbook(write_only=True)
    _sheet(
        wb,
        "文件目录",
        [
            Column("序号", lambda r: r[0], "int", 6),
            Column("文件名", lambda r: r[1], width=50),
            Column("内容", lambda r: r[2], width=50),
        ],
        [(n, name, what) for n, (name, what) in enumerate(files, start=1)],
    )
    _sheet(wb, "客户确认单", slip_columns(), slips)
    _sheet(
        wb,
        "客户经理业绩",
        [
            Column("工号", lambda m: m.manager.employee_no, width=12),
            Column("姓名", lambda m: m.manager.name, width=10),
            Column("团队", lambda m: _text(m.team.name if m.team else ""), width=20),
            Column("客户数", lambda m: m.client_count, "int", 8),
            Column("当月新开户", lambda m: m.new_accounts, "int", 10),
            Column("净收入（元）", lambda m: m.net_revenue, "money", 14),
            Column("月末客户资产（元）", lambda m: m.month_end_assets, "money", 18),
            Column("有效确认单", lambda m: m.slips, "int", 10),
            Column("应发合计（元）", lambda m: m.gross_pay, "money", 14),
            Column("实发金额（元）", lambda m: m.net_pay, "money", 14),
        ],
        managers,
    )
    _sheet(
        wb,
        "客户明细",
        [
            Column("客户经理工号", lambda c: c.manager.employee_no, width=12),
            Column("客户经理", lambda c: c.manager.name, width=10),
            Column("客户号", lambda c: c.crm_code, width=16),
            Column("客户名称", lambda c: c.name, width=24),
            Column("当月新开户", lambda c: "是" if c.new_account else "", width=10),
            Column("净收入（元）", lambda c: c.net_revenue, "money", 14),
            Column("月末资产（元）", lambda c: c.month_end_assets, "money", 16),
        ],
        clients,
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
