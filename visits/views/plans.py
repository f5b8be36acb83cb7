"""走访计划: plan visits (with the overlap warning) and turn them into logs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.forms import apply_errors
from portal.views import paginate
from visits import permissions, selectors
from visits.filters import PlanFilter
from visits.forms import CancelPlanForm, PlanForm
from visits.services import visits as services
from visits.views.util import int_param


def plan_list(request):
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "planned"
    plans = PlanFilter(data, queryset=selectors.plans_for(request.user), user=request.user)
    return render(
        request,
        "visits/plan_list.html",
        {
            "filter": plans,
            "page_obj": paginate(request, plans.qs.order_by("planned_on", "id")),
            "today": timezone.localdate(),
            "can_file": permissions.files_visits(request.user),
        },
    )


def plan_new(request):
    user = request.user
    if not permissions.files_visits(user):
        raise PermissionDenied("只有团队成员可以制订走访计划。")
    client = None
    if request.GET.get("client"):
        client = selectors.client_for_visit(user, int_param(request.GET, "client"))
    form = PlanForm(request.POST or None, user=user, client=client)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_visit(
                actor=user,
                client=data["client"],
                planned_on=data["planned_on"],
                purpose=data["purpose"],
                mode=data["mode"],
                confirm_overlap=data["confirm_overlap"],
            )
        except services.OverlapNeedsConfirmation as exc:
            warnings = exc.warnings
            form.data = form.data.copy()
            form.data["confirm_overlap"] = "on"
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"已计划于 {plan.planned_on:%Y-%m-%d} 走访{plan.client.name}。"
            )
            return redirect("visits:plan_list")
    return render(
        request,
        "visits/plan_form.html",
        {"form": form, "client": client, "warnings": warnings},
    )


@require_POST
def plan_cancel(request, pk: int):
    plan = selectors.plan_detail(request.user, pk)
    form = CancelPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写取消原因。")
        return redirect("visits:plan_list")
    try:
        services.cancel_plan(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "走访计划已取消。")
    return redirect("visits:plan_list")
