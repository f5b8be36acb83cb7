"""损失事件: registered by the keeper, decided by the team leader (R-4.4)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from assets import selectors, services
from assets.filters import IncidentFilter
from assets.forms import IncidentDecisionForm, IncidentReportForm, SubmitForm
from assets.permissions import can_edit_incident, can_report_incident
from portal.forms import apply_errors
from portal.history import change_log
from portal.views import paginate
from staff.models import User


def _people(team):
    # Anyone still on the team's books may answer for a loss, including a
    # person who is leaving.
    return User.objects.filter(team=team).exclude(status=User.Status.LEFT).order_by("employee_no")


def incident_list(request):
    incidents = IncidentFilter(request.GET or None, queryset=selectors.incidents_for(request.user))
    return render(
        request,
        "assets/incident_list.html",
        {"filter": incidents, "page_obj": paginate(request, incidents.qs)},
    )


def incident_report(request, pk: int):
    item = selectors.item_detail(request.user, pk)
    if not can_report_incident(request.user, item):
        raise PermissionDenied("只有实物管理员或团队负责人可以登记损失事件。")
    initial = {"responsible": item.custodian_id}
    form = IncidentReportForm(
        request.POST or None, initial=initial, item=item, people=_people(item.team)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not item.category.is_stock:
            data["quantity"] = 1
        try:
            incident = services.report_incident(actor=request.user, item=item, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记 {incident.number}，请填写处理决定后报批。")
            return redirect(incident)
    return render(request, "assets/incident_report.html", {"form": form, "item": item})


def incident_detail(request, pk: int):
    incident = selectors.incident_detail(request.user, pk)
    locked = approval_selectors.is_locked(incident)
    editable = can_edit_incident(request.user, incident, locked)
    return render(
        request,
        "assets/incident_detail.html",
        {
            "incident": incident,
            "approval": approval_selectors.request_for(incident),
            "can_edit": editable,
            "submit_form": SubmitForm(),
            "ready": bool(incident.decision and incident.decision_reason),
            "change_log": change_log(incident),
        },
    )


def incident_edit(request, pk: int):
    incident = selectors.incident_detail(request.user, pk)
    if not can_edit_incident(request.user, incident, approval_selectors.is_locked(incident)):
        raise PermissionDenied("该损失事件当前不能修改。")
    form = IncidentDecisionForm(
        request.POST or None, instance=incident, people=_people(incident.team)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_incident(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存处理意见。")
            return redirect(incident)
    return render(request, "assets/incident_form.html", {"form": form, "incident": incident})


@require_POST
def incident_submit(request, pk: int):
    incident = selectors.incident_detail(request.user, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        req = services.submit_incident(
            actor=request.user, incident=incident, opinion=form.cleaned_data.get("opinion", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已报批，当前步骤：{req.current_step.name}。")
    return redirect(incident)
