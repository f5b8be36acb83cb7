"""The closed month as one download: a zip of its PDFs and an Excel index
(R-6.1). Built by a background task (DESIGN: long work such as archive
bundles runs through django-tasks) for the person who asked: every PDF
carries his name and 工号 (R-8.6); the zip is served through /files/<id>/,
which checks it is his and logs the download."""

from __future__ import annotations

import io
import logging
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from archives.exports import index_workbook
from archives.models import ArchiveBundle, MonthArchive
from archives.selectors.monthly import archived_clients, archived_managers
from archives.selectors.slips import gap_report
from payroll import selectors as payroll_selectors
from portal.models import Attachment
from portal.pdf import render_pdf, watermark_text
from teams import selectors as team_selectors

logger = logging.getLogger(__name__)


def _pdf(template: str, context: dict, user, *, title: str, landscape: bool = False) -> bytes:
    context = {
        "pdf_title": title,
        **context,
        "watermark": watermark_text(user),
        "watermark_cells": range(24),
        "landscape": landscape,
        "printed_by": user,
        "printed_at": timezone.localtime(),
    }
    return render_pdf(template, context)


def bundle_files(archive: MonthArchive, user) -> list[tuple[str, bytes, str]]:
    """(name in the zip, content, description) of every file of the month."""
    stamp = f"{archive.branch.code}-{archive.month:%Y%m}"
    report = gap_report(archive.branch, archive.month)
    managers = list(archived_managers(archive))
    files: list[tuple[str, bytes, str]] = []
    context = {"archive": archive, "report": report, "managers": managers}
    files.append(
        (
            f"01-{stamp}-客户确认单登记表.pdf",
            _pdf("archives/pdf/slip_register.html", context, user, title="客户确认单登记表"),
            f"客户确认单登记表（{report['issued']} 张，作废 {len(report['voided'])} 张）",
        )
    )
    if report["slips"]:
        files.append(
            (
                f"02-{stamp}-客户确认单.pdf",
                _pdf(
                    "archives/pdf/slips.html",
                    {"slips": report["slips"]},
                    user,
                    title="客户经理营销客户确认单",
                ),
                f"客户经理营销客户确认单（逐张，{report['issued']} 页）",
            )
        )
    files.append(
        (
            f"03-{stamp}-客户经理客户及业绩.pdf",
            _pdf(
                "archives/pdf/managers.html",
                context,
                user,
                title="客户经理客户及业绩",
                landscape=True,
            ),
            f"客户经理客户及业绩（{len(managers)} 人，客户明细见索引表）",
        )
    )
    sheet = payroll_selectors.signed_sheet(archive.branch, archive.month)
    if sheet is not None:
        files.append(
            (
                f"04-{stamp}-薪酬月报表.pdf",
                _pdf(
                    "payroll/pdf/sheet.html",
                    payroll_selectors.sheet_pdf_context(sheet),
                    user,
                    title="薪酬月报表",
                    landscape=True,
                ),
                str(sheet),
            )
        )
    for n, team_report in enumerate(
        team_selectors.archived_reports(archive.branch, archive.month.year, archive.month.month),
        start=1,
    ):
        files.append(
            (
                f"05-{n:02d}-{stamp}-{team_report.team.name}月度业务分析报告.pdf",
                _pdf(
                    "teams/pdf/report.html",
                    {"report": team_report, "charts": []},
                    user,
                    title=str(team_report),
                ),
                str(team_report),
            )
        )
    cover = _pdf(
        "archives/pdf/cover.html",
        {**context, "files": [(name, what) for name, _content, what in files]},
        user,
        title="月度归档说明",
    )
    files.insert(0, (f"00-{stamp}-归档说明.pdf", cover, "月度归档说明（目录与存放位置）"))
    index = index_workbook(
        archive,
        files=[(name, what) for name, _content, what in files],
        slips=report["slips"],
        managers=managers,
        clients=archived_clients(archive).iterator(chunk_size=5000),
    )
    files.append((f"{stamp}-归档索引.xlsx", index, "归档索引（Excel）"))
    return files


def zip_bytes(files: list[tuple[str, bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive_zip:
        for name, content, _what in files:
            archive_zip.writestr(name, content)
    return buffer.getvalue()


@task()
def build_bundle(bundle_id: int) -> str:
    """Builds one requested bundle; a failure is recorded on it, not raised."""
    bundle = ArchiveBundle.objects.select_related("archive", "archive__branch", "requested_by").get(
        pk=bundle_id
    )
    if bundle.status != ArchiveBundle.Status.QUEUED:
        return bundle.status
    try:
        files = bundle_files(bundle.archive, bundle.requested_by)
        content = zip_bytes(files)
        _store(bundle, content, len(files))
    except Exception as exc:  # recorded for the user; the worker goes on
        logger.exception("archive bundle %s failed", bundle_id)
        ArchiveBundle.objects.filter(pk=bundle_id).update(
            status=ArchiveBundle.Status.FAILED,
            finished_at=timezone.now(),
            error=str(exc)[:300],
        )
        return ArchiveBundle.Status.FAILED
    return ArchiveBundle.Status.READY


@transaction.atomic
def _store(bundle: ArchiveBundle, content: bytes, count: int) -> None:
    """Stores the zip as the bundle's attachment (outside the static root)."""
    import hashlib

    from django.contrib.contenttypes.models import ContentType

    archive = bundle.archive
    name = f"{archive.branch.name}{archive.month:%Y年%m月}归档.zip"
    item = Attachment(
        content_type=ContentType.objects.get_for_model(ArchiveBundle),
        object_id=bundle.pk,
        purpose="bundle",
        original_name=name,
        size=len(content),
        kind="zip",
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=bundle.requested_by,
    )
    item.file.save(name, SimpleUploadedFile(name, content), save=False)
    item.save()
    ArchiveBundle.objects.filter(pk=bundle.pk).update(
        status=ArchiveBundle.Status.READY,
        finished_at=timezone.now(),
        files=count,
        attachment=item,
    )
