"""Action items across meetings, and competitor information searched across
meetings and teams (R-3.1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from meetings import permissions, selectors, services
from meetings.exports import action_columns, competitor_columns
from meetings.filters import ActionItemFilter, CompetitorFilter
from meetings.forms import ActionStatusForm
from meetings.views.meetings import decorate_actions
from portal.exports import clean_filters, xlsx_response
from portal.history import change_log
from portal.views import paginate


def _actions(request):
    data = request.GET.copy()
    if "status" not in data:  # open items unless another status is asked for
        data["status"] = "active"
    return ActionItemFilter(
        data, queryset=selectors.action_items_for(request.user), user=request.user
    )


def action_list(request):
    items = _actions(request)
    page = paginate(request, items.qs.order_by("due_date", "id"))
    decorate_actions(request.user, page.object_list)
    return render(
        request,
        "meetings/action_list.html",
        {
            "filter": items,
            "page_obj": page,
            "today": timezone.localdate(),
            "can_export": permissions.can_export(request.user),
        },
    )


def action_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return xlsx_response(
        user=request.user,
        what="会议待办事项",
        columns=action_columns(),
        rows=_actions(request).qs.order_by("due_date", "id").iterator(),
        filters=clean_filters(request.GET),
    )


def action_detail(request, pk: int):
    item = selectors.action_detail(request.user, pk)
    decorate_actions(request.user, [item])
    return render(
        request,
        "meetings/action_detail.html",
        {
            "item": item,
            "reviews": selectors.item_reviews(item),
            "change_log": change_log(item),
            "today": timezone.localdate(),
        },
    )


@require_POST
def action_status(request, pk: int):
    """Moves an action item's status — also after the minutes became read-only."""
    item = selectors.action_detail(request.user, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.transition_action(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, f"待办事项“{item.description}”已改为“{form.cleaned_data_label()}”。"
            )
    else:
        messages.error(request, "请选择新的状态。")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(item)


def _competitors(request):
    return CompetitorFilter(
        request.GET or None,
        queryset=selectors.competitor_notes_for(request.user),
        user=request.user,
    )


def competitor_list(request):
    notes = _competitors(request)
    return render(
        request,
        "meetings/competitor_list.html",
        {
            "filter": notes,
            "page_obj": paginate(request, notes.qs.order_by("-date", "competitor", "id")),
            "can_export": permissions.can_export(request.user),
        },
    )


def competitor_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return xlsx_response(
        user=request.user,
        what="竞争对手信息",
        columns=competitor_columns(),
        rows=_competitors(request).qs.order_by("-date", "competitor", "id").iterator(),
        filters=clean_filters(request.GET),
    )
