"""Leave pages: balances and list, the request form, a request's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from approvals import selectors as approval_selectors
from attendance import exports, permissions, selectors
from attendance.forms import LeaveForm
from attendance.models import LeaveKind, LeaveRequest
from attendance.rules import days_text
from attendance.services import leave as services
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.uploads import attachments_of
from portal.views import paginate


def _filtered(request):
    leaves = selectors.leaves_for(request.user)
    mine = request.GET.get("who") != "team"
    leaves = leaves.filter(person=request.user) if mine else leaves.exclude(person=request.user)
    if (status := request.GET.get("status")) in LeaveRequest.Status.values:
        leaves = leaves.filter(status=status)
    if (kind := request.GET.get("kind")) in LeaveKind.values:
        leaves = leaves.filter(kind=kind)
    if q := request.GET.get("q", "").strip():
        leaves = leaves.filter(Q(person__name__icontains=q) | Q(person__employee_no__icontains=q))
    return mine, leaves.order_by("-start_date", "-id")


def leave_list(request):
    mine, leaves = _filtered(request)
    today = timezone.localdate()
    return render(
        request,
        "attendance/leave_list.html",
        {
            "mine": mine,
            "page_obj": paginate(request, leaves),
            "balances": selectors.leave_balances(request.user, today.year) if mine else [],
            "year": today.year,
            "statuses": LeaveRequest.Status.choices,
            "kinds": LeaveKind.choices,
            "can_export": permissions.can_export(request.user),
            # Plain client managers see only their own: no second tab.
            "sees_others": permissions.can_export(request.user),
        },
    )


def leave_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出权限。")
    _mine, leaves = _filtered(request)
    return xlsx_response(
        user=request.user,
        what="请假记录",
        columns=exports.leave_columns(),
        rows=leaves.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def leave_create(request):
    user = request.user
    form = LeaveForm(request.POST or None, request.FILES or None, person=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.submit_leave(
                actor=user,
                kind=data["kind"],
                start_date=data["start_date"],
                start_half=data["start_half"],
                end_date=data["end_date"],
                end_half=data["end_half"],
                reason=data["reason"],
                deputy=data["deputy"],
                sick_note=data.get("sick_note"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"请假申请已提交（{days_text(leave.days)} 个工作日），等待审批。"
            )
            return redirect(leave)
    today = timezone.localdate()
    return render(
        request,
        "attendance/leave_form.html",
        {
            "form": form,
            "balances": selectors.leave_balances(user, today.year),
            "year": today.year,
        },
    )


def leave_detail(request, pk: int):
    leave = selectors.leave_detail(request.user, pk)
    return render(
        request,
        "attendance/leave_detail.html",
        {
            "leave": leave,
            "approval": approval_selectors.request_for(leave),
            "attachments": attachments_of(leave),
            "change_log": change_log(leave),
            "records": leave.records.select_related("team").order_by("date"),
        },
    )
