"""客户走访日志: the list, filing from a phone with the overlap confirm step,
the log's page, amendments, photos and further follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.uploads import attachments_of
from portal.views import paginate
from visits import permissions, selectors
from visits.exports import visit_columns
from visits.filters import VisitFilter
from visits.forms import FollowUpForm, VisitForm
from visits.services import followups as followup_services
from visits.services import visits as services
from visits.views.util import int_param


def _visits(request) -> VisitFilter:
    return VisitFilter(
        request.GET or None, queryset=selectors.visits_for(request.user), user=request.user
    )


def visit_list(request):
    visits = _visits(request)
    client = None
    if request.GET.get("client"):
        client = selectors.client_for_visit(request.user, int_param(request.GET, "client"))
    return render(
        request,
        "visits/visit_list.html",
        {
            "filter": visits,
            "page_obj": paginate(request, visits.qs.order_by("-visited_on", "-id")),
            "can_export": permissions.can_export(request.user),
            "can_file": permissions.files_visits(request.user),
            "client": client,
        },
    )


def visit_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return xlsx_response(
        user=request.user,
        what="客户走访日志",
        columns=visit_columns(),
        rows=_visits(request).qs.order_by("-visited_on", "-id").iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def _followup_input(cleaned) -> services.FollowUpInput | None:
    if not cleaned.get("fu_enabled"):
        return None
    return services.FollowUpInput(
        category=cleaned["fu_category"],
        description=cleaned["fu_description"],
        due_on=cleaned["fu_due_on"],
        department=cleaned.get("fu_department") or "",
        department_note=cleaned.get("fu_department_note") or "",
    )


def visit_new(request):
    """Files a visit. With overlap warnings the form comes back showing them
    and a confirm button; nothing is saved until the visitor confirms (R-7.2)."""
    user = request.user
    if not permissions.files_visits(user):
        raise PermissionDenied("只有团队成员可以登记客户走访。")
    plan = client = None
    if request.GET.get("plan"):
        plan = selectors.plan_detail(user, int_param(request.GET, "plan"))
        if not permissions.can_edit_plan(user, plan):
            raise Http404
        client = plan.client
    elif request.GET.get("client"):
        client = selectors.client_for_visit(user, int_param(request.GET, "client"))
        if client is None:
            raise Http404
    due_days = selectors.settings_for(user.branch_id).followup_days
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        client=client,
        due_days=due_days,
        initial={"mode": plan.mode} if plan else None,
    )
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.file_visit(
                actor=user,
                client=data["client"],
                visited_on=data["visited_on"],
                mode=data["mode"],
                content=data["content"],
                opinions=data["opinions"],
                needs=data["needs"],
                next_step=data["next_step"],
                met_with=data["met_with"],
                companions=data["companions"],
                other_companions=data["other_companions"],
                plan=plan,
                photos=data["photos"],
                followup=_followup_input(data),
                confirm_overlap=data["confirm_overlap"],
            )
        except services.OverlapNeedsConfirmation as exc:
            warnings = exc.warnings
            form.data = form.data.copy()
            form.data["confirm_overlap"] = "on"
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记对{visit.client.name}的走访。")
            _slip_hint(request, visit)
            return redirect(visit)
    return render(
        request,
        "visits/visit_form.html",
        {
            "form": form,
            "plan": plan,
            "client": client,
            "warnings": warnings,
            "had_photos": bool(warnings and request.FILES),
        },
    )


def _slip_hint(request, visit) -> None:
    """After saving an in-person visit, says whether a slip covers the day."""
    if visit.mode != "onsite":
        return
    if not [s for s in selectors.slips_of_visit(visit) if s.person_id == visit.visitor_id]:
        messages.warning(
            request,
            f"{visit.visited_on:%m 月 %d 日}您没有填写出访单，上门走访应先填写出访单；"
            "团队负责人会在“出访单核对”中看到这条记录。",
        )


def visit_detail(request, pk: int):
    visit = selectors.visit_detail(request.user, pk)
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "followups": list(selectors.visit_followups(visit)),
            "photos": list(attachments_of(visit, "photo")),
            "slips": selectors.slips_of_visit(visit),
            "overlaps": list(visit.overlaps.select_related("other_person")),
            "can_edit": permissions.can_edit_visit(request.user, visit),
            "can_followup": permissions.can_raise_followup(request.user, visit),
            "followup_form": FollowUpForm(
                due_days=selectors.settings_for(visit.branch_id).followup_days
            ),
            "change_log": change_log(visit),
        },
    )


def visit_edit(request, pk: int):
    visit = selectors.visit_detail(request.user, pk)
    if not permissions.can_edit_visit(request.user, visit):
        raise PermissionDenied("只有走访人本人可以修改，且该月日志提交核验后不能修改。")
    initial = {
        "visited_on": visit.visited_on,
        "mode": visit.mode,
        "content": visit.content,
        "opinions": visit.opinions,
        "needs": visit.needs,
        "next_step": visit.next_step,
        "met_with": visit.met_with,
        "other_companions": visit.other_companions,
        "companions": list(visit.companions.all()),
    }
    form = VisitForm(
        request.POST or None,
        user=request.user,
        client=visit.client,
        editing=True,
        initial=initial,
    )
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_visit(
                actor=request.user,
                visit=visit,
                companions=data["companions"],
                confirm_overlap=data["confirm_overlap"],
                **{name: data[name] for name in services.EDITABLE_FIELDS},
            )
        except services.OverlapNeedsConfirmation as exc:
            warnings = exc.warnings
            form.data = form.data.copy()
            form.data["confirm_overlap"] = "on"
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "走访日志已修改。")
            return redirect(visit)
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "visit": visit, "client": visit.client, "warnings": warnings},
    )


@require_POST
def visit_photos(request, pk: int):
    visit = selectors.visit_detail(request.user, pk)
    from visits.forms import PhotoField

    try:
        photos = PhotoField().clean(request.FILES.getlist("photos"))
        count = services.add_photos(actor=request.user, visit=visit, photos=photos)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if count:
            messages.success(request, f"已上传 {count} 张照片。")
    return redirect(visit)


@require_POST
def followup_new(request, pk: int):
    visit = selectors.visit_detail(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            followup = followup_services.raise_followup(
                actor=request.user,
                visit=visit,
                category=data["fu_category"],
                description=data["fu_description"],
                due_on=data["fu_due_on"],
                department=data["fu_department"] or "",
                department_note=data["fu_department_note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记督办事项。")
            return redirect(followup)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(visit)


def overlap_check(request):
    """The warning area of the visit and plan forms, refreshed by htmx as the
    client and date are chosen, so the warning comes before saving."""
    import datetime as dt

    user = request.user
    client = None
    code = (request.GET.get("crm_code") or "").strip()
    if code:
        client = selectors.client_by_code(user, code)
    elif int_param(request.GET, "client"):
        client = selectors.client_for_visit(user, int_param(request.GET, "client"))
    day = None
    for name in ("visited_on", "planned_on"):
        try:
            day = dt.date.fromisoformat(request.GET.get(name) or "")
            break
        except ValueError:
            continue
    warnings = []
    if client is not None:
        warnings = selectors.overlap_warnings(
            client=client, person=user, on=day or timezone.localdate()
        )
    return render(
        request,
        "visits/_overlap_warnings.html",
        {"warnings": warnings, "client": client, "live": True},
    )
