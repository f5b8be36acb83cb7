"""The heavy operations, each measured in a process of its own.

``python -m bench.tasks NAME`` prepares what the task needs (untimed), then
runs it once and prints one JSON line: seconds (wall and CPU), peak resident memory of the
process during the task (Linux ``VmHWM``, reset after the preparation by
writing 5 to ``/proc/self/clear_refs``; ``ru_maxrss`` elsewhere) and what it
produced. Everything runs inside a transaction that is rolled back, so the
benchmark database stays as seeded.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

TASKS: dict[str, Callable] = {}
LABELS: dict[str, str] = {}


def task(name: str, label: str):
    def register(fn):
        TASKS[name] = fn
        LABELS[name] = label
        return fn

    return register


# -- memory -------------------------------------------------------------------------------


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def _cpu_seconds() -> float:
    """CPU time of this process (user + system): unlike wall time, it does
    not grow when other processes share the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    kb = _status_kb("VmRSS") or 0
    return kb / 1024


# -- helpers ------------------------------------------------------------------------------


def _finance(branch):
    from staff.models import Role, RoleAssignment

    ra = (
        RoleAssignment.objects.filter(role=Role.FINANCE, branch=branch)
        .select_related("user")
        .order_by("user__employee_no")
        .first()
    )
    return ra.user


def _latest_run_month():
    from payroll.models import PayrollRun

    return PayrollRun.objects.order_by("-month").values_list("month", flat=True).first()


def _client_for(login: str):
    from django.test import Client

    from staff.models import User

    client = Client()
    client.force_login(User.objects.get(employee_no=login))
    return client


def _get(client, url: str) -> dict:
    from portal.models import ExportLog

    before = ExportLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    log = ExportLog.objects.filter(pk__gt=before).order_by("-pk").first()
    return {"bytes": len(body), "rows": log.rows if log else None}


# -- the tasks ----------------------------------------------------------------------------


def _pay(branches):
    from payroll import services

    month = _latest_run_month()
    people = 0
    for branch in branches:
        run = services.compute_payroll(actor=_finance(branch), branch=branch, month=month)
        people += run.totals["people"]
    return {"month": f"{month:%Y-%m}", "branches": len(branches), "people": people}


@task("pay_branch", "一个营业部一个月的薪酬计算")
def pay_branch(prepare):
    from staff.models import Branch

    branches = [Branch.objects.order_by("code").first()]
    yield
    yield _pay(branches)


@task("pay_all", "全部营业部一个月的薪酬计算")
def pay_all(prepare):
    from staff.models import Branch

    branches = list(Branch.objects.order_by("code"))
    yield
    yield _pay(branches)


NEW_PER_BRANCH = 50  # a month's new accounts in a branch of 150 client managers


def _crm_files(month: dt.date) -> list[tuple]:
    """This month's CRM export of every branch: each client of the branch
    with its figures (150,000 rows at the large scale), a few new accounts,
    and as xlsx, the format branches receive."""
    from openpyxl import Workbook

    from clients.models import Client
    from staff.models import Branch, User

    rng = __import__("random").Random(12)
    files = []
    for branch in Branch.objects.order_by("code"):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("CRM")
        ws.append(["客户号", "客户名称", "客户经理工号", "开户日期", "当月净收入", "月末资产"])
        rows = 0
        for code, name, manager, opened in (
            Client.objects.filter(branch=branch, manager__isnull=False)
            .order_by("crm_code")
            .values_list("crm_code", "name", "manager__employee_no", "opened_on")
            .iterator(chunk_size=5000)
        ):
            revenue = Decimal(f"{rng.lognormvariate(6.8, 1.0):.2f}")
            assets = Decimal(f"{rng.lognormvariate(12.2, 0.9):.2f}")
            ws.append([code, name, manager, opened, revenue, assets])
            rows += 1
        managers = list(
            User.objects.filter(branch=branch, clients__isnull=False)
            .distinct()
            .values_list("employee_no", flat=True)
        )
        for i in range(NEW_PER_BRANCH):
            opened = month + dt.timedelta(days=i % 20)
            ws.append(
                [
                    f"9{branch.code[2:]}{month:%y%m}{i:05d}",
                    f"新客户{i}",
                    managers[i % len(managers)],
                    opened,
                    Decimal("88.00"),
                    Decimal("50000.00"),
                ]
            )
            rows += 1
        buffer = io.BytesIO()
        wb.save(buffer)
        files.append((branch, _finance(branch), buffer.getvalue(), rows))
    return files


@task("crm_import", "CRM 月度导入（全部营业部，共 15 万行）")
def crm_import(prepare):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from clients import services

    month = timezone.localdate().replace(day=1)
    files = _crm_files(month)
    yield
    rows = 0
    for branch, actor, content, _count in files:
        upload = SimpleUploadedFile(
            f"crm_{branch.code}_{month:%Y%m}.xlsx",
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        batch = services.upload_crm(actor=actor, branch=branch, month=month, upload=upload)
        if batch.problems:
            raise RuntimeError(f"{branch}: {batch.problems[:3]}")
        crm = services.commit_crm(actor=actor, batch=batch)
        rows += crm.row_count
    yield {"files": len(files), "rows": rows}


@task("export_attendance_year", "考勤明细导出（全公司一年）")
def export_attendance_year(prepare):
    from django.utils import timezone

    today = timezone.localdate()
    # Twelve months, this one included: the most one export may cover.
    index = today.year * 12 + today.month - 1 - 11
    start = dt.date(index // 12, index % 12 + 1, 1)
    client = _client_for("admin")
    url = f"/attendance/records/export.xlsx?from={start:%Y-%m}&to={today:%Y-%m}"
    yield
    yield _get(client, url)


@task("export_clients", "客户名单导出（全部客户）")
def export_clients(prepare):
    client = _client_for("admin")
    yield
    yield _get(client, "/clients/export.xlsx")


@task("export_staff", "人员名单导出（全部人员）")
def export_staff(prepare):
    client = _client_for("admin")
    yield
    yield _get(client, "/staff/export.xlsx")


@task("export_slips", "出访单导出（全部）")
def export_slips(prepare):
    client = _client_for("admin")
    yield
    yield _get(client, "/attendance/outings/export.xlsx?who=team")


def _sheet():
    """A sheet on the latest computed run of the first branch (made here:
    the large demo computes pay but does not sign sheets)."""
    from payroll.models import PayrollRun, PayrollSheet
    from staff.models import Branch

    branch = Branch.objects.order_by("code").first()
    run = PayrollRun.objects.filter(branch=branch, status=PayrollRun.Status.CURRENT).latest("month")
    sheet = PayrollSheet.objects.filter(run=run).first()
    if sheet is None:
        sheet = PayrollSheet.objects.create(
            run=run, branch=branch, month=run.month, prepared_by=_finance(branch)
        )
    return sheet


@task("payroll_sheet_xlsx", "薪酬月报表 Excel（一个营业部）")
def payroll_sheet_xlsx(prepare):
    sheet = _sheet()
    client = _client_for(_finance(sheet.branch).employee_no)
    yield
    yield _get(client, f"/payroll/sheets/{sheet.pk}/export.xlsx")


@task("payroll_pdf", "薪酬月报表 PDF（一个营业部）")
def payroll_pdf(prepare):
    from weasyprint import HTML

    sheet = _sheet()
    client = _client_for(_finance(sheet.branch).employee_no)
    # A serving worker has WeasyPrint imported and its fonts loaded after
    # its first PDF: measure that, not the import (about a second).
    HTML(string="<p>预热 warm-up</p>").write_pdf()
    yield
    yield _get(client, f"/payroll/sheets/{sheet.pk}/export.pdf")


# -- running one ------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def run(name: str) -> dict:
    from django.db import transaction

    out: dict = {"task": name, "label": LABELS[name]}
    try:
        with transaction.atomic():
            steps = TASKS[name](None)
            next(steps)  # preparation
            exact = reset_peak()
            before = rss_mb()
            started, cpu = time.perf_counter(), _cpu_seconds()
            result = next(steps)
            out["seconds"] = round(time.perf_counter() - started, 2)
            out["cpu_seconds"] = round(_cpu_seconds() - cpu, 2)
            out["load"] = round(os.getloadavg()[0], 1)
            out["peak_mb"] = round(peak_mb(), 1)
            out["rss_before_mb"] = round(before, 1)
            out["peak_exact"] = exact
            out.update(result or {})
            raise _Rollback
    except _Rollback:
        pass
    except Exception as exc:  # reported, not raised: the other tasks still run
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
    import django

    django.setup()
    for name in argv or list(TASKS):
        print(json.dumps(run(name), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
