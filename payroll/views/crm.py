"""CRM import pages for finance (code in clients, R-5.1)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clients import services as client_services
from clients.crm import CRM_FIELDS, read_crm
from clients.models import CrmFigure, CrmImport
from payroll.forms import CrmUploadForm
from payroll.permissions import branches_financed, finance_branches, is_finance
from portal.exports import XLSX_MIME, attachment
from portal.forms import apply_errors
from portal.imports import template_bytes
from portal.jobs import JobResult, start_job
from portal.models import ImportBatch
from portal.views import paginate
from staff.models import Branch


def _imports_for(user):
    return CrmImport.objects.filter(branch__in=finance_branches(user)).select_related(
        "branch", "imported_by", "reviewed_by"
    )


def crm_list(request):
    imports = _imports_for(request.user).order_by("-month", "branch__code", "-version")
    return render(request, "payroll/crm_list.html", {"page_obj": paginate(request, imports)})


def crm_template(request):
    content = template_bytes(
        CRM_FIELDS,
        title="CRM月度数据",
        notes=[
            "客户号、工号按文本填写，不要删除前导零。",
            "开户日期在导入月份内的客户计为当月新开户。",
        ],
    )
    return attachment(content, filename="CRM月度数据导入模板.xlsx", content_type=XLSX_MIME)


def crm_upload(request):
    branches = branches_financed(request.user)
    form = CrmUploadForm(request.POST or None, request.FILES or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            batch = client_services.upload_crm(
                actor=request.user,
                branch=form.cleaned_data["branch"],
                month=form.cleaned_data["month"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("payroll:crm_preview", batch.pk)
    return render(request, "payroll/crm_upload.html", {"form": form})


def crm_preview(request, batch_pk: int):
    batch = get_object_or_404(
        ImportBatch, pk=batch_pk, kind=client_services.CRM_KIND, uploaded_by=request.user
    )
    branch = get_object_or_404(Branch, pk=batch.context["branch"])
    if not is_finance(request.user, branch):
        raise PermissionDenied("只有本营业部的财务人员可以导入 CRM 数据。")
    month = dt.date.fromisoformat(batch.context["month"])
    if request.method == "POST":
        if batch.row_count > settings.PORTAL_IMPORT_BACKGROUND_ROWS:
            job = start_job(
                actor=request.user,
                kind=CRM_IMPORT_JOB,
                title=f"导入 CRM 数据：{branch.name} {month:%Y 年 %m 月}（{batch.row_count:,} 行）",
                params={"batch": batch.pk},
            )
            messages.info(request, "数据较多，已转入后台导入；完成后会通知您。")
            return redirect(job)
        try:
            crm_import = client_services.commit_crm(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("payroll:crm_preview", batch.pk)
        messages.success(
            request,
            f"已导入 {crm_import.row_count} 行，为第 {crm_import.version} 版，请另一名财务人员复核。",
        )
        return redirect("payroll:crm_detail", crm_import.pk)
    with batch.file.open("rb") as handle:
        records, problems, flags = read_crm(branch, month, handle.read())
    bad = {p.row for p in problems}
    rows = [
        {
            "number": r["_row"],
            "bad": r["_row"] in bad,
            "flag": flags.get(r["_row"]),
            "cells": [
                r.get("crm_code"),
                r.get("name"),
                r.get("manager"),
                r.get("opened_on"),
                r.get("net_revenue"),
                r.get("month_end_assets"),
            ],
        }
        for r in records[:500]
    ]
    return render(
        request,
        "payroll/crm_preview.html",
        {
            "batch": batch,
            "branch": branch,
            "month": month,
            "rows": rows,
            "total_rows": len(records),
            "problems": problems[:300],
            "problem_count": len(problems),
            "flag_count": len(flags),
            "fields": CRM_FIELDS,
            "done": batch.status != ImportBatch.Status.PREVIEWED,
        },
    )


CRM_IMPORT_JOB = "crm_import"


def run_crm_import(job, progress) -> JobResult:
    """The background half of a large import: all rows or none, as inline."""
    batch = ImportBatch.objects.get(pk=job.params["batch"], uploaded_by=job.user)
    crm_import = client_services.commit_crm(actor=job.user, batch=batch)
    return JobResult(
        message=f"已导入 {crm_import.row_count:,} 行，为第 {crm_import.version} 版，请另一名财务人员复核。",
        url=reverse("payroll:crm_detail", args=[crm_import.pk]),
    )


def crm_detail(request, pk: int):
    crm_import = get_object_or_404(_imports_for(request.user), pk=pk)
    figures = CrmFigure.objects.filter(crm_import=crm_import).select_related(
        "client", "manager", "registry_owner"
    )
    if request.GET.get("flagged"):
        figures = figures.filter(flagged=True)
    return render(
        request,
        "payroll/crm_detail.html",
        {
            "crm_import": crm_import,
            "page_obj": paginate(request, figures.order_by("source_row")),
            "can_review": is_finance(request.user, crm_import.branch)
            and crm_import.reviewed_at is None
            and crm_import.imported_by_id != request.user.pk
            and crm_import.status == CrmImport.Status.CURRENT,
        },
    )


@require_POST
def crm_review(request, pk: int):
    crm_import = get_object_or_404(_imports_for(request.user), pk=pk)
    try:
        client_services.review_crm_import(actor=request.user, crm_import=crm_import)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "复核完成，本月薪酬可以使用该数据计算。")
    return redirect("payroll:crm_detail", crm_import.pk)
