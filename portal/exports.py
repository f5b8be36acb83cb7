"""Excel export helper (DESIGN: exports).

Columns are declared once; the writer uses openpyxl's write-only mode so a
sheet of tens of thousands of rows streams with little memory. Codes and ID
numbers are written as text so Excel keeps leading zeros and never turns
them into scientific notation. Every export is logged (R-8.6).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.models import ExportLog

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMATS = {
    "text": "@",
    "int": "0",
    "money": "#,##0.00",
    "rate": "0.0000",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    kind: str = "text"  # one of FORMATS
    width: float = 14


def _coerce(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "text":
        return str(value)
    if kind == "money":
        return Decimal(value)
    if kind == "datetime" and isinstance(value, dt.datetime):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def build_workbook(
    title: str,
    columns: list[Column],
    rows: Iterable[Any],
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """Returns the xlsx bytes and the number of data rows written;
    ``progress(rows_so_far)`` is called every 1,000 rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=_coerce(column.value(row), column.kind))
            cell.number_format = FORMATS[column.kind]
            cells.append(cell)
        ws.append(cells)
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def log_export(*, user, what: str, fmt: str, filters: dict | None, rows: int) -> ExportLog:
    return ExportLog.objects.create(
        user=user, what=what, format=fmt, filters=filters or {}, rows=rows
    )


def clean_filters(querydict) -> dict:
    """The filters a list was exported with, as a plain dict for the log."""
    return {k: v for k, v in querydict.items() if v not in ("", None) and k != "page"}


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 5987 so browsers keep the Chinese file name.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(
    *,
    user,
    what: str,
    columns: list[Column],
    rows: Iterable[Any],
    filters: dict | None = None,
    filename: str | None = None,
) -> HttpResponse:
    """Builds the workbook, logs the export and returns the download."""
    content, count = build_workbook(what, columns, rows)
    log_export(user=user, what=what, fmt=ExportLog.Format.XLSX, filters=filters, rows=count)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return attachment(content, filename=filename or f"{what}_{stamp}.xlsx", content_type=XLSX_MIME)
