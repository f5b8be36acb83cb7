"""PDF renderer (DESIGN: exports): WeasyPrint from a template, A4, page
numbers, the CJK font installed by setup, and a watermark naming the
downloader (R-8.6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from portal.exports import attachment, log_export
from portal.models import ExportLog


def watermark_text(user) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return f"{user.name} {user.employee_no} {stamp}"


def render_pdf(template: str, context: dict[str, Any], *, request=None) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which pages that
    # never print should not pay for.
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(
    request,
    *,
    template: str,
    context: dict[str, Any],
    what: str,
    filename: str,
    rows: int = 0,
    filters: dict | None = None,
    watermark: bool = True,
    landscape: bool = False,
):
    """Renders, logs the export and returns the PDF download."""
    context = {
        **context,
        "pdf_title": context.get("pdf_title", what),
        "watermark": watermark_text(request.user) if watermark else "",
        "watermark_cells": range(24) if watermark else (),
        "landscape": landscape,
        "printed_by": request.user,
        "printed_at": timezone.localtime(),
    }
    content = render_pdf(template, context, request=request)
    log_export(user=request.user, what=what, fmt=ExportLog.Format.PDF, filters=filters, rows=rows)
    return attachment(content, filename=filename, content_type="application/pdf")
