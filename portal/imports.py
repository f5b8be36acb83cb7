"""Imports (DESIGN: imports): a downloadable template; xlsx, xls and csv
(UTF-8 or GBK); every row validated with the problem's row and column; a
preview; commit all-or-nothing; the original file kept. Codes and ID
numbers are read as text: no lost leading zeros, no scientific notation."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    required: bool = True
    kind: str = "text"  # text | int | decimal | date | choice
    choices: dict[str, str] = field(default_factory=dict)  # label -> value
    aliases: tuple[str, ...] = ()
    example: str = ""
    width: float = 14


@dataclass(frozen=True)
class Problem:
    row: int  # the row number as Excel shows it
    column: str
    message: str


class UnreadableFile(Exception):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def read_rows(content: bytes) -> list[list[str]]:
    """All rows of the first sheet (or the CSV) as text, header row first."""
    if content.startswith(b"PK\x03\x04"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise UnreadableFile("无法读取该 Excel 文件（.xlsx），请确认文件未损坏。") from exc
        ws = wb.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if content.startswith(XLS_MAGIC):
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=content)
        except Exception as exc:
            raise UnreadableFile("无法读取该 Excel 文件（.xls），请确认文件未损坏。") from exc
        sheet = book.sheet_by_index(0)
        rows = []
        for r in range(sheet.nrows):
            out = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    out.append(
                        _cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    )
                else:
                    out.append(_cell_text(cell.value))
            rows.append(out)
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(
            "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV，或使用 Excel 模板。"
        )
    if "\x00" in text:
        raise UnreadableFile("文件不是 Excel 或 CSV 格式。")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _parse(value: str, spec: Field):
    if spec.kind == "text":
        return value
    if spec.kind == "int":
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise ValueError("应为整数") from None
        if number != number.to_integral_value():
            raise ValueError("应为整数")
        return int(number)
    if spec.kind == "decimal":
        try:
            return Decimal(value.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise ValueError("应为数字") from None
    if spec.kind == "date":
        text = (
            value.replace("/", "-")
            .replace(".", "-")
            .replace("年", "-")
            .replace("月", "-")
            .rstrip("日")
        )
        try:
            y, m, d = (int(p) for p in text.split(" ")[0].split("-"))
            return dt.date(y, m, d)
        except (ValueError, TypeError):
            raise ValueError("应为日期，如 2026-03-01") from None
    if spec.kind == "choice":
        if value in spec.choices:
            return spec.choices[value]
        raise ValueError(f"应为：{'、'.join(spec.choices)}")
    raise AssertionError(spec.kind)


def parse_table(rows: list[list[str]], fields: Iterable[Field]) -> tuple[list[dict], list[Problem]]:
    """Maps columns by header, parses every cell, and collects every problem."""
    fields = list(fields)
    problems: list[Problem] = []
    if not rows:
        return [], [Problem(1, "", "文件是空的。")]
    header = [h.strip() for h in rows[0]]
    index: dict[str, int] = {}
    for spec in fields:
        for name in (spec.header, *spec.aliases):
            if name in header:
                index[spec.key] = header.index(name)
                break
        else:
            if spec.required:
                problems.append(Problem(1, spec.header, "缺少这一列，请使用导入模板。"))
    if problems:
        return [], problems
    records = []
    for offset, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = {"_row": offset}
        for spec in fields:
            position = index.get(spec.key)
            raw = row[position].strip() if position is not None and position < len(row) else ""
            if not raw:
                if spec.required:
                    problems.append(Problem(offset, spec.header, "不能为空"))
                record[spec.key] = None
                continue
            try:
                record[spec.key] = _parse(raw, spec)
            except ValueError as exc:
                problems.append(Problem(offset, spec.header, f"“{raw}”{exc}"))
                record[spec.key] = None
        records.append(record)
    if not records and not problems:
        problems.append(Problem(2, "", "文件中没有数据行。"))
    return records, problems


def template_bytes(fields: Iterable[Field], *, title: str, notes: list[str] = ()) -> bytes:
    """An xlsx template: the header row, an example row, text-formatted code
    columns, and a sheet of instructions."""
    fields = list(fields)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for col, spec in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=col, value=spec.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7" if spec.required else "F2F2F2")
        example = ws.cell(row=2, column=col, value=spec.example or None)
        if spec.kind == "text":
            for row in range(2, 1002):
                ws.cell(row=row, column=col).number_format = "@"
            example.number_format = "@"
        ws.column_dimensions[get_column_letter(col)].width = spec.width
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("填写说明")
    help_sheet.append(["列名", "是否必填", "说明"])
    for spec in fields:
        detail = (
            "、".join(spec.choices)
            if spec.kind == "choice"
            else {
                "date": "日期，如 2026-03-01",
                "int": "整数",
                "decimal": "数字",
                "text": "文本",
            }[spec.kind]
        )
        help_sheet.append([spec.header, "必填" if spec.required else "选填", detail])
    for line in notes:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
