"""月度归档: the months of each branch, closing one, a closed month's
record, its bundle download, and the archive search."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from archives import permissions, selectors, services
from archives.forms import ArchiveLocationForm, CloseMonthForm
from archives.selectors.monthly import (
    archived_clients,
    archived_managers,
    bundles_of,
    closed_months,
    month_refusals,
    recent_months,
)
from archives.views.common import messages_of, today
from portal.forms import apply_errors
from portal.history import change_log
from portal.views import paginate
from staff.access import scope_for
from staff.models import Branch


def _branches(user):
    scope = scope_for(user)
    if scope.superuser:
        return Branch.objects.filter(is_active=True).order_by("code")
    return Branch.objects.filter(pk__in=scope.ids(*permissions.ARCHIVE_BRANCH_ROLES)).order_by(
        "code"
    )


def month_list(request):
    if not permissions.uses_monthly_archive(request.user):
        raise PermissionDenied("您没有查看月度归档的权限。")
    branches = list(_branches(request.user))
    months = recent_months(today(), 12)
    closed = closed_months([b.pk for b in branches], months)
    rows = [
        {
            "branch": branch,
            "months": [
                {
                    "month": month,
                    "archive": closed.get((branch.pk, month)),
                    "can_close": permissions.can_close_month(request.user, branch.pk),
                }
                for month in months
            ],
        }
        for branch in branches
    ]
    return render(request, "archives/month_list.html", {"rows": rows, "months": months})


def _parse_month(value: str) -> dt.date:
    try:
        year, month = (int(p) for p in value.split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError("月份格式应为 YYYY-MM。") from None


def month_close(request, branch: int, month: str):
    """The preview of what the month holds, and the closing."""
    branch = get_object_or_404(_branches(request.user), pk=branch)
    if not permissions.can_close_month(request.user, branch.pk):
        raise PermissionDenied("只有本营业部交易管理岗可以办理月度归档。")
    try:
        month = _parse_month(month)
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
        return redirect("archives:month_list")
    data = selectors.gather(branch, month)
    refusals = month_refusals(branch, month, sheet=data["sheet"])
    form = CloseMonthForm(request.POST or None)
    if request.method == "POST" and not refusals and form.is_valid():
        try:
            archive = services.close_month(
                actor=request.user, branch=branch, month=month, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{archive} 已完成，该月记录自此只读。")
            return redirect(archive)
    managers = data["managers"].values()
    return render(
        request,
        "archives/month_close.html",
        {
            "branch": branch,
            "month": month,
            "data": data,
            "refusals": refusals,
            "form": form,
            "manager_total": len(data["managers"]),
            "paid": sum(1 for m in managers if m["net_pay"] is not None),
        },
    )


def archive_detail(request, pk: int):
    archive = selectors.archive_detail(request.user, pk)
    can_edit = permissions.can_close_month(request.user, archive.branch_id)
    return render(
        request,
        "archives/archive_detail.html",
        {
            "archive": archive,
            "managers": list(archived_managers(archive)),
            "report": selectors.gap_report(archive.branch, archive.month),
            "bundles": list(bundles_of(archive, request.user)[:5]),
            "location_form": ArchiveLocationForm(initial={"paper_location": archive.paper_location})
            if can_edit
            else None,
            "change_log": change_log(archive),
        },
    )


def archive_clients(request, pk: int):
    archive = selectors.archive_detail(request.user, pk)
    rows = archived_clients(archive)
    manager = request.GET.get("manager", "").strip()
    if manager:
        rows = rows.filter(manager__employee_no=manager)
    return render(
        request,
        "archives/archive_clients.html",
        {"archive": archive, "page_obj": paginate(request, rows), "manager": manager},
    )


@require_POST
def archive_location(request, pk: int):
    archive = selectors.archive_detail(request.user, pk)
    form = ArchiveLocationForm(request.POST)
    if form.is_valid():
        try:
            services.update_paper_location(actor=request.user, archive=archive, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, "已更新纸质原件存放位置。")
    else:
        messages.error(request, "请填写存放位置和变更原因。")
    return redirect(archive)


@require_POST
def archive_bundle(request, pk: int):
    archive = selectors.archive_detail(request.user, pk)
    try:
        bundle = services.request_bundle(actor=request.user, archive=archive)
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
        return redirect(archive)
    bundle.refresh_from_db()
    if bundle.status == "ready":
        messages.success(request, "归档下载包已生成，请点击下载。")
    else:
        messages.info(request, "正在生成归档下载包，完成后可在本页下载。")
    return redirect(archive)


def search(request):
    if not permissions.uses_monthly_archive(request.user):
        raise PermissionDenied("您没有检索归档的权限。")
    q = request.GET.get("q", "").strip()
    results = selectors.archive_search(request.user, q)
    return render(
        request,
        "archives/search.html",
        {
            "q": q,
            "results": results,
            "count": sum(len(v) for v in results.values()),
        },
    )
