"""Background jobs (issue 13): work too long for a request runs in
``manage.py db_worker``; the user sees its progress at ``/jobs/<id>/`` and
gets a notice with the download when it is done.

A chapter registers a runner with :func:`register_job`; the runner gets the
job and a ``progress(done, total)`` callback and returns a
:class:`JobResult` (a file to download, or a link to the result). Large
Excel exports go through :func:`export_response`, which runs an export
inline when it is small and as a job when it is large."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect
from django.test import RequestFactory
from django.utils import timezone
from django_tasks import task

from portal.exports import XLSX_MIME, Column, build_workbook, log_export, xlsx_response
from portal.models import BackgroundJob, ExportLog
from portal.registry import notify_users

logger = logging.getLogger(__name__)


@dataclass
class JobResult:
    message: str
    content: bytes | None = None
    filename: str = ""
    url: str = ""


_runners: dict[str, Callable[[BackgroundJob, Callable[[int, int], None]], JobResult]] = {}


def register_job(kind: str, runner) -> None:
    _runners[kind] = runner


def start_job(*, actor, kind: str, title: str, params: dict) -> BackgroundJob:
    """Queues a job; it starts once the surrounding transaction commits."""
    if kind not in _runners:
        raise ValueError(f"unknown job kind {kind}")
    job = BackgroundJob.objects.create(kind=kind, title=title, params=params, user=actor)
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


class _Progress:
    """Writes progress at most once a second (each write is a query)."""

    def __init__(self, job: BackgroundJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 1 and done < total:
            return
        self.last = now
        BackgroundJob.objects.filter(pk=self.job.pk).update(done=done, total=total)


@task()
def run_job(job_id: int) -> str:
    job = BackgroundJob.objects.select_related("user").get(pk=job_id)
    if job.status != BackgroundJob.Status.QUEUED:
        return job.status  # already run (a task delivered twice)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING, started_at=timezone.now()
    )
    try:
        result = _runners[job.kind](job, _Progress(job))
    except Exception as exc:
        logger.exception("job %s failed", job.pk)
        reason = "；".join(getattr(exc, "messages", [])) or "系统出错，错误已记录"
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.FAILED, message=reason[:500], finished_at=timezone.now()
        )
        notify_users(
            [job.user], title=f"{job.title}：未能完成", body=reason, url=job.get_absolute_url()
        )
        return BackgroundJob.Status.FAILED
    job.refresh_from_db()
    job.status = BackgroundJob.Status.DONE
    job.message = result.message[:500]
    job.result_url = result.url
    job.finished_at = timezone.now()
    if result.content is not None:
        job.filename = result.filename
        job.file.save(result.filename, ContentFile(result.content), save=False)
    job.save()
    notify_users(
        [job.user], title=f"{job.title}：已完成", body=job.message, url=job.get_absolute_url()
    )
    return BackgroundJob.Status.DONE


def jobs_of(user):
    return BackgroundJob.objects.filter(user=user)


# Excel exports, inline or in the background ---------------------------------


@dataclass
class ExportSpec:
    what: str
    columns: list[Column]
    rows: Iterable[Any]
    total: int | None = None  # rows to be written, when cheaply known
    filters: dict = field(default_factory=dict)
    filename: str | None = None


_exports: dict[str, Callable[[Any], ExportSpec]] = {}


def register_export(code: str, builder: Callable[[Any], ExportSpec]) -> None:
    """``builder(request) -> ExportSpec``; it is called again in the worker
    with a request carrying the same user and query string, so the export
    sees exactly what the user saw."""
    _exports[code] = builder


def export_response(request, code: str):
    spec = _exports[code](request)
    if spec.total is not None and spec.total > settings.PORTAL_EXPORT_BACKGROUND_ROWS:
        job = start_job(
            actor=request.user,
            kind="export",
            title=f"导出{spec.what}（{spec.total:,} 行）",
            params={"export": code, "query": request.GET.urlencode(), "path": request.path},
        )
        messages.info(request, "数据较多，已转入后台生成；完成后会通知您，也可在本页查看进度。")
        return redirect(job)
    return xlsx_response(
        user=request.user,
        what=spec.what,
        columns=spec.columns,
        rows=spec.rows,
        filters=spec.filters,
        filename=spec.filename,
    )


def _run_export(job: BackgroundJob, progress) -> JobResult:
    request = RequestFactory().get(job.params.get("path", "/"))
    request.GET = QueryDict(job.params.get("query", ""))
    request.user = job.user
    spec = _exports[job.params["export"]](request)
    total = spec.total or 0
    content, count = build_workbook(
        spec.what, spec.columns, spec.rows, progress=lambda n: progress(n, max(total, n))
    )
    log_export(
        user=job.user, what=spec.what, fmt=ExportLog.Format.XLSX, filters=spec.filters, rows=count
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return JobResult(
        message=f"共 {count:,} 行。",
        content=content,
        filename=spec.filename or f"{spec.what}_{stamp}.xlsx",
    )


register_job("export", _run_export)

__all__ = ["XLSX_MIME", "ExportSpec", "JobResult", "export_response", "register_export"]
