"""督办事项: the owner's and the responsible person's lists, a follow-up's
page with its moves (R-7.3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.exports import clean_filters, xlsx_response
from portal.history import change_log
from portal.views import paginate
from visits import permissions, rules, selectors
from visits.exports import followup_columns
from visits.filters import FollowUpFilter
from visits.forms import ExtendFollowUpForm, MoveFollowUpForm
from visits.models import FollowUpStatus
from visits.services import followups as services


def _followups(request) -> FollowUpFilter:
    data = request.GET.copy()
    if "status" not in data:  # not yet closed unless another status is asked for
        data["status"] = "active"
    return FollowUpFilter(data, queryset=selectors.followups_for(request.user), user=request.user)


def followup_list(request):
    followups = _followups(request)
    return render(
        request,
        "visits/followup_list.html",
        {
            "filter": followups,
            "page_obj": paginate(request, followups.qs.order_by("due_on", "id")),
            "today": timezone.localdate(),
            "can_export": permissions.can_export(request.user),
        },
    )


def followup_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return xlsx_response(
        user=request.user,
        what="督办事项",
        columns=followup_columns(),
        rows=_followups(request).qs.order_by("due_on", "id").iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def followup_detail(request, pk: int):
    followup = selectors.followup_detail(request.user, pk)
    can_move = permissions.can_move_followup(request.user, followup)
    today = timezone.localdate()
    moves = []
    if can_move:
        for status in rules.TRANSITIONS[followup.status]:
            form = MoveFollowUpForm(
                initial={
                    "resolved_on": today,
                    "informed_on": today,
                    "department": followup.department,
                    "department_note": followup.department_note,
                },
                prefix=status,
            )
            label = rules.ACTION_LABELS[status]
            if status == FollowUpStatus.HANDLING and followup.status == FollowUpStatus.RESOLVED:
                label = "重新处理（客户有异议）"
            moves.append({"status": status, "label": label, "fields": form.visible(status)})
    return render(
        request,
        "visits/followup_detail.html",
        {
            "followup": followup,
            "steps": list(selectors.followup_steps(followup)),
            "moves": moves,
            "extend_form": ExtendFollowUpForm(initial={"due_on": followup.due_on}),
            "can_extend": can_move and followup.is_open,
            "today": today,
            "change_log": change_log(followup),
        },
    )


@require_POST
def followup_move(request, pk: int):
    followup = selectors.followup_detail(request.user, pk)
    status = request.POST.get("to_status", "")
    if status not in FollowUpStatus.values:
        messages.error(request, "请选择办理操作。")
        return redirect(followup)
    form = MoveFollowUpForm(request.POST, prefix=status)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(followup)
    data = form.cleaned_data
    try:
        services.move_followup(
            actor=request.user,
            followup=followup,
            to_status=status,
            note=data["note"],
            department=data["department"],
            department_note=data["department_note"],
            resolution=data["resolution"],
            resolved_on=data["resolved_on"],
            informed_on=data["informed_on"],
            informed_how=data["informed_how"],
            informed_note=data["informed_note"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"督办事项已改为“{FollowUpStatus(status).label}”。")
    return redirect(followup)


@require_POST
def followup_extend(request, pk: int):
    followup = selectors.followup_detail(request.user, pk)
    form = ExtendFollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.extend_followup(
                actor=request.user,
                followup=followup,
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "办结期限已调整。")
    else:
        messages.error(request, "请填写新的期限和调整原因。")
    return redirect(followup)
