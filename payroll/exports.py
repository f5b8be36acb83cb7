"""The payroll sheet as Excel and PDF, the bank's batch-payment file and the
tax withholding list (R-5.2)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from approvals.models import Action
from approvals.selectors import request_for
from payroll.models import PayrollRun, PayrollSheet, Payslip, PayslipLine
from portal.numerals import rmb_upper

ZERO = Decimal("0")
MONEY_FORMAT = "#,##0.00"

# Sheet columns: header, how a payslip's lines map to it.
COLUMNS = [
    ("基本工资", lambda code, kind: code == "base"),
    ("有效开户奖励", lambda code, kind: code == "accounts"),
    ("净收入提成", lambda code, kind: code == "commission"),
    ("资产奖励", lambda code, kind: code == "assets"),
    (
        "其他应发",
        lambda code, kind: (
            kind == PayslipLine.Kind.EARNING
            and code not in ("base", "accounts", "commission", "assets")
        ),
    ),
    ("应发合计", None),
    ("迟到扣款", lambda code, kind: code == "late"),
    ("旷工扣款", lambda code, kind: code == "absence"),
    ("赔偿扣款", lambda code, kind: code == "asset_charge"),
    ("扣回", lambda code, kind: kind == PayslipLine.Kind.DEDUCTION and code.startswith("adjust")),
    ("养老保险", lambda code, kind: code == "pension"),
    ("医疗保险", lambda code, kind: code == "medical"),
    ("失业保险", lambda code, kind: code == "unemployment"),
    ("住房公积金", lambda code, kind: code == "housing"),
    ("个人所得税", lambda code, kind: kind == PayslipLine.Kind.TAX),
    ("实发金额", None),
]
HEADERS = ["序号", "工号", "姓名", "团队", "级别", "用工类型", *(c[0] for c in COLUMNS)]


def sheet_payslips(run: PayrollRun):
    """The run's payslips with their lines, in two queries."""
    return list(
        run.payslips.select_related("person", "team", "level")
        .prefetch_related("lines")
        .order_by("team__code", "person__employee_no")
    )


def sheet_rows(run: PayrollRun) -> tuple[list[dict], dict]:
    """One row per person with every sheet column, and the totals row."""
    rows = []
    totals = {header: ZERO for header, _ in COLUMNS}
    for number, slip in enumerate(sheet_payslips(run), start=1):
        values = {}
        for header, match in COLUMNS:
            if header == "应发合计":
                values[header] = slip.gross
            elif header == "实发金额":
                values[header] = slip.net
            else:
                values[header] = sum(
                    (ln.amount for ln in slip.lines.all() if match(ln.code, ln.kind)), ZERO
                )
            totals[header] += values[header]
        rows.append({"number": number, "slip": slip, "values": [values[h] for h, _ in COLUMNS]})
    return rows, totals


def signatures(sheet: PayrollSheet) -> list[dict]:
    """编制 and each signature of the latest round, with who and when."""
    out = [{"role": "编制", "name": sheet.prepared_by.name, "when": sheet.created_at}]
    request = request_for(sheet)
    if request is None:
        return out
    steps = list(request.flow.steps.order_by("order"))
    signed = {}
    for action in request.actions.filter(
        kind=Action.Kind.APPROVE, round=request.round
    ).select_related("actor", "on_behalf_of", "step"):
        signed[action.step_id] = action
    for step in steps:
        action = signed.get(step.pk)
        name = ""
        if action is not None:
            name = action.actor.name + (
                f"（代{action.on_behalf_of.name}）" if action.on_behalf_of_id else ""
            )
        out.append(
            {
                "role": step.name.replace("签字", ""),
                "name": name,
                "when": action.created_at if action else None,
            }
        )
    return out


def sheet_workbook(sheet: PayrollSheet) -> tuple[bytes, int]:
    """The sheet in its paper layout: title, one row per person, totals, the
    total in capital numerals, and the signature row."""
    run = sheet.run
    rows, totals = sheet_rows(run)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{sheet.month:%Y-%m}"[:31]
    width = len(HEADERS)
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{sheet.branch.name}客户经理薪酬月报表（{sheet.month:%Y年%m月}）"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"计算版本：第 {run.version} 版　　状态：{sheet.get_status_display()}　　单位：元"
    ws["A2"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin", color="888888")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    r = 4
    for row in rows:
        slip = row["slip"]
        fixed = [
            row["number"],
            slip.person.employee_no,
            slip.person.name,
            slip.team.name if slip.team else "",
            slip.level.name if slip.level else "",
            slip.get_employment_type_display(),
        ]
        for col, value in enumerate([*fixed, *row["values"]], start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = border
            if col == 2:
                cell.number_format = "@"
            elif col > 6:
                cell.number_format = MONEY_FORMAT
        r += 1
    ws.cell(row=r, column=1, value="合计").font = Font(bold=True)
    ws.cell(row=r, column=3, value=f"{len(rows)} 人")
    for col, (header, _) in enumerate(COLUMNS, start=7):
        cell = ws.cell(row=r, column=col, value=totals[header])
        cell.number_format = MONEY_FORMAT
        cell.font = Font(bold=True)
    for col in range(1, width + 1):
        ws.cell(row=r, column=col).border = border
    r += 1
    ws.merge_cells(f"A{r}:{last}{r}")
    ws.cell(row=r, column=1, value=f"实发合计（大写）：人民币{rmb_upper(totals['实发金额'])}")
    ws.cell(row=r, column=1).font = Font(bold=True)
    r += 2
    for col, sign in enumerate(signatures(sheet)):
        text = f"{sign['role']}：{sign['name'] or '　　　'}"
        if sign["when"]:
            text += f"　{sign['when']:%Y-%m-%d}"
        ws.cell(row=r, column=1 + col * 4, value=text)
    widths = [5, 10, 8, 18, 12, 10, *([12] * len(COLUMNS))]
    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "D4"
    ws.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), len(rows)


def _simple_workbook(
    title: str,
    headers: list[str],
    rows: list[list],
    money_columns: set[int],
    text_columns: set[int],
    total_label: str,
    total_column: int,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    total = ZERO
    for row in rows:
        ws.append(row)
        total += row[total_column]
    for r in range(2, len(rows) + 2):
        for c in money_columns:
            ws.cell(row=r, column=c + 1).number_format = MONEY_FORMAT
        for c in text_columns:
            ws.cell(row=r, column=c + 1).number_format = "@"
    ws.append([total_label, *([""] * (total_column - 1)), total])
    ws.cell(row=len(rows) + 2, column=total_column + 1).number_format = MONEY_FORMAT
    ws.freeze_panes = "A2"
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 22 if col - 1 in text_columns else 14
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bank_file(sheet: PayrollSheet) -> tuple[bytes, int, Decimal]:
    """代发工资明细: name, bank, account, amount; its total is the sheet's net total."""
    slips = [
        s
        for s in Payslip.objects.filter(run=sheet.run)
        .select_related("person")
        .order_by("person__employee_no")
        if s.net != 0
    ]
    missing = [
        f"{s.person.name}（{s.person.employee_no}）" for s in slips if not s.person.bank_account
    ]
    if missing:
        raise ValidationError(f"以下人员未登记工资卡号，不能生成代发文件：{'、'.join(missing)}")
    rows = [
        [i, s.person.employee_no, s.person.name, s.person.bank_name, s.person.bank_account, s.net]
        for i, s in enumerate(slips, start=1)
    ]
    content = _simple_workbook(
        "代发工资明细",
        ["序号", "工号", "姓名", "开户银行", "银行账号", "金额"],
        rows,
        money_columns={5},
        text_columns={1, 4},
        total_label="合计",
        total_column=5,
    )
    return content, len(rows), sum((row[5] for row in rows), ZERO)


TAX_ITEMS = {"iit": None, "bonus_tax": "全年一次性奖金收入", "labour_tax": "劳务报酬"}


def tax_rows(sheet: PayrollSheet) -> list[list]:
    """The month's withholding list, one row per income item of each person."""
    rows = []
    for slip in sheet_payslips(sheet.run):
        person = slip.person
        broker = slip.employment_type == "part_time"
        for line in slip.lines.all():
            if line.kind != PayslipLine.Kind.TAX:
                continue
            if line.code == "iit":
                item = "工资薪金所得" if not broker else "劳务报酬（保险营销员、证券经纪人）"
                income, special, additional = slip.tax_income, slip.tax_special, slip.tax_additional
            elif line.code.startswith("bonus_tax"):
                item = "全年一次性奖金收入"
                income, special, additional = Decimal(line.inputs["bonus"]), ZERO, ZERO
            else:
                item = "劳务报酬（一般劳务）"
                income, special, additional = Decimal(line.inputs["amount"]), ZERO, ZERO
            rows.append(
                [
                    len(rows) + 1,
                    person.employee_no,
                    person.name,
                    "居民身份证",
                    person.id_number,
                    item,
                    income,
                    special,
                    additional,
                    line.amount,
                ]
            )
    return rows


def tax_file(sheet: PayrollSheet) -> tuple[bytes, int]:
    rows = tax_rows(sheet)
    headers = [
        "序号",
        "工号",
        "姓名",
        "证件类型",
        "证件号码",
        "所得项目",
        "本期收入",
        "本期专项扣除",
        "本期专项附加扣除",
        "本期应扣缴税额",
    ]
    content = _simple_workbook(
        "个税扣缴明细",
        headers,
        rows,
        money_columns={6, 7, 8, 9},
        text_columns={1, 4},
        total_label="合计",
        total_column=9,
    )
    return content, len(rows)
