"""客户经理营销客户确认单: list, issue, void, print, the gap and void report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from archives import permissions, selectors, services
from archives.exports import slip_columns
from archives.filters import SlipFilter
from archives.forms import MonthField, ReasonForm, SlipForm
from archives.services.common import is_month_closed
from archives.views.common import today
from clients.models import Client
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.pdf import pdf_response
from portal.views import paginate
from staff.access import scope_for
from staff.models import Branch, Role, User


def _filtered(request) -> SlipFilter:
    return SlipFilter(
        request.GET or None, queryset=selectors.slips_for(request.user), user=request.user
    )


def slip_list(request):
    if not permissions.uses_slips(request.user):
        raise PermissionDenied("您没有客户确认单。")
    slips = _filtered(request)
    return render(
        request,
        "archives/slip_list.html",
        {
            "filter": slips,
            "page_obj": paginate(request, slips.qs),
            "can_issue": permissions.can_issue_slips(request.user),
            "can_export": permissions.can_export(request.user),
        },
    )


def slip_export_xlsx(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出客户确认单的权限。")
    slips = _filtered(request)
    return xlsx_response(
        user=request.user,
        what="客户确认单清单",
        columns=slip_columns(),
        rows=slips.qs.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def _issuable_managers(user):
    """Active client managers the user may confirm clients for."""
    scope = scope_for(user)
    people = User.objects.filter(status=User.Status.ACTIVE, team__isnull=False).exclude(pk=user.pk)
    if not scope.superuser:
        from django.db.models import Q

        people = people.filter(
            Q(branch_id__in=scope.ids(Role.ARCHIVE_CLERK))
            | Q(team_id__in=scope.ids(Role.TEAM_LEADER))
        )
    return people.select_related("team").order_by("team__code", "employee_no")


def slip_new(request):
    if not permissions.can_issue_slips(request.user):
        raise PermissionDenied("只有交易管理岗或团队负责人可以出具客户确认单。")
    managers = _issuable_managers(request.user)
    form = SlipForm(
        request.POST or None,
        managers=managers,
        clients=Client.objects.filter(branch_id__in=managers.values("branch_id")),
        initial={"issued_on": today(), "manager": request.GET.get("manager")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_client = None
        if data["client"] is None:
            new_client = {"crm_code": data["crm_code"], "name": data["name"], "kind": data["kind"]}
        try:
            slip = services.issue_slip(
                actor=request.user,
                manager=data["manager"],
                client=data["client"],
                new_client=new_client,
                opened_on=data["opened_on"],
                issued_on=data["issued_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"已出具确认单 {slip.number}：{slip.client.name} 归属 {slip.manager.name}。",
            )
            return redirect(slip)
    return render(request, "archives/slip_form.html", {"form": form})


def slip_detail(request, pk: int):
    slip = selectors.slip_detail(request.user, pk)
    closed = is_month_closed(slip.branch_id, slip.month)
    return render(
        request,
        "archives/slip_detail.html",
        {
            "slip": slip,
            "closed": closed,
            "can_void": not closed and permissions.can_void_slip(request.user, slip),
            "change_log": change_log(slip),
        },
    )


def slip_void(request, pk: int):
    slip = selectors.slip_detail(request.user, pk)
    if not permissions.can_void_slip(request.user, slip):
        raise PermissionDenied("您不能作废该确认单。")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "作废原因"
    if request.method == "POST" and form.is_valid():
        try:
            slip, outcome = services.void_slip(
                actor=request.user, slip=slip, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"确认单 {slip.number} 已作废（流水号保留）。{outcome}")
            return redirect(slip)
    return render(
        request,
        "archives/simple_form.html",
        {
            "form": form,
            "title": f"作废确认单 {slip.number}",
            "back": slip.get_absolute_url(),
            "danger": True,
            "intro": "作废后流水号保留、不再使用；若该单变更了客户归属，客户将恢复原客户经理。",
        },
    )


def slip_pdf(request, pk: int):
    slip = selectors.slip_detail(request.user, pk)
    return pdf_response(
        request,
        template="archives/pdf/slip.html",
        context={"slip": slip, "pdf_title": "客户经理营销客户确认单"},
        what="客户确认单",
        filename=f"客户确认单{slip.number}.pdf",
        rows=1,
        filters={"slip": slip.pk},
    )


def _report_branches(user):
    """The gap and void report is the branch's: its archive clerk and management."""
    scope = scope_for(user)
    if scope.superuser:
        return Branch.objects.order_by("code")
    return Branch.objects.filter(pk__in=scope.ids(*permissions.ARCHIVE_BRANCH_ROLES)).order_by(
        "code"
    )


def _report_params(request):
    branches = _report_branches(request.user)
    if not branches:
        raise PermissionDenied("您没有查看空号与作废报表的权限。")
    branch_id = request.GET.get("branch", "")
    branch = get_object_or_404(branches, pk=branch_id) if branch_id.isdigit() else branches.first()
    last = (today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    try:
        month = MonthField(required=False).clean(request.GET.get("month", "")) or today().replace(
            day=1
        )
    except ValidationError:
        month = last
    return branches, branch, month


def slip_report(request):
    """空号与作废: every number of the branch's month, gaps and voided slips (R-6.4)."""
    branches, branch, month = _report_params(request)
    report = selectors.gap_report(branch, month)
    return render(
        request,
        "archives/slip_report.html",
        {
            "branches": branches,
            "branch": branch,
            "month": month,
            "report": report,
            "closed": is_month_closed(branch.pk, month),
            "can_export": permissions.can_export(request.user),
            "export_url": reverse("archives:slip_report_xlsx")
            + f"?branch={branch.pk}&month={month:%Y-%m}",
        },
    )


def slip_report_xlsx(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    _branches, branch, month = _report_params(request)
    report = selectors.gap_report(branch, month)
    rows = report["slips"]
    return xlsx_response(
        user=request.user,
        what=f"客户确认单空号与作废{branch.code}{month:%Y%m}",
        columns=slip_columns(),
        rows=rows,
        filters={"branch": branch.pk, "month": f"{month:%Y-%m}"},
    )
