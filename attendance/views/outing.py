"""Outing slip pages (filed from a phone), the printable slip, and the
leader's after-checks."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attendance import exports, permissions, selectors
from attendance.forms import CheckResultForm, CheckRoundForm, OutingSlipForm
from attendance.models import OutingCheck
from attendance.services import outing as services
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.pdf import pdf_response
from portal.uploads import attachments_of
from portal.views import paginate
from staff.access import scope_for
from staff.models import Role, Team


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(request):
    slips = selectors.slips_for(request.user)
    mine = request.GET.get("who") != "team"
    slips = slips.filter(person=request.user) if mine else slips.exclude(person=request.user)
    if start := _date(request.GET.get("start")):
        slips = slips.filter(planned_out__date__gte=start)
    if end := _date(request.GET.get("end")):
        slips = slips.filter(planned_out__date__lte=end)
    if q := request.GET.get("q", "").strip():
        slips = slips.filter(
            Q(person__name__icontains=q) | Q(destination__icontains=q) | Q(visitee__icontains=q)
        )
    return mine, slips.order_by("-planned_out", "-id")


def slip_list(request):
    mine, slips = _filtered(request)
    return render(
        request,
        "attendance/slip_list.html",
        {
            "mine": mine,
            "page_obj": paginate(request, slips),
            "can_export": permissions.can_export(request.user),
            # Plain client managers see only their own: no second tab.
            "sees_others": permissions.can_export(request.user),
        },
    )


def slip_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出权限。")
    _mine, slips = _filtered(request)
    return xlsx_response(
        user=request.user,
        what="营销人员出访单",
        columns=exports.slip_columns(),
        rows=slips.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def slip_create(request):
    form = OutingSlipForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slip = services.file_outing_slip(
                actor=request.user,
                destination=data["destination"],
                visitee=data["visitee"],
                contact=data["contact"],
                purpose=data["purpose"],
                planned_out=data["planned_out"],
                planned_back=data["planned_back"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                accuracy=data.get("accuracy"),
                photo=data.get("photo"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"出访单 {slip.number} 已提交，一路顺利。")
            return redirect(slip)
    return render(request, "attendance/slip_form.html", {"form": form})


def slip_detail(request, pk: int):
    slip = selectors.slip_detail(request.user, pk)
    return render(
        request,
        "attendance/slip_detail.html",
        {
            "slip": slip,
            "photos": attachments_of(slip, "photo"),
            "checks": selectors.slip_checks(slip),
        },
    )


def slip_pdf(request, pk: int):
    """The slip printed like the paper form, with signature blocks (R-8.3)."""
    slip = selectors.slip_detail(request.user, pk)
    return pdf_response(
        request,
        template="attendance/pdf/slip.html",
        context={
            "slip": slip,
            "checks": list(selectors.slip_checks(slip)),
            "pdf_title": "营销人员出访单",
        },
        what="营销人员出访单",
        filename=f"出访单_{slip.number}.pdf",
        rows=1,
        filters={"slip": slip.pk},
    )


# -- after-checks ----------------------------------------------------------------------


def _led_teams(user):
    scope = scope_for(user)
    teams = Team.objects.exclude(status=Team.Status.DISSOLVED).select_related("branch")
    return teams if scope.superuser else teams.filter(pk__in=scope.ids(Role.TEAM_LEADER))


def check_list(request):
    if not permissions.can_view_checks(request.user):
        raise PermissionDenied("您没有查看出访单检查的权限。")
    rounds = selectors.rounds_for(request.user).order_by("-created_at", "-id")
    return render(
        request,
        "attendance/check_list.html",
        {
            "page_obj": paginate(request, rounds),
            "can_start": permissions.leads_any_team(request.user),
        },
    )


def check_create(request):
    teams = _led_teams(request.user)
    if not teams.exists():
        raise PermissionDenied("只有团队负责人可以检查出访单。")
    today = timezone.localdate()
    form = CheckRoundForm(
        request.POST or None,
        teams=teams,
        initial={"period_start": today.replace(day=1), "period_end": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_round = services.start_check_round(
                actor=request.user,
                team=data["team"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                mode=data["mode"],
                sample_size=data.get("sample_size"),
                seed=data.get("seed"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"已{check_round.get_mode_display()} {check_round.sample_size} 份出访单"
                f"（期间共 {check_round.population} 份）。",
            )
            return redirect(check_round)
    return render(request, "attendance/check_form.html", {"form": form})


def check_detail(request, pk: int):
    check_round = selectors.round_detail(request.user, pk)
    checks = list(selectors.round_checks(check_round))
    can_check = permissions.can_check_outings(request.user, check_round.team)
    redrawn = services.redraw(check_round)
    return render(
        request,
        "attendance/check_detail.html",
        {
            "round": check_round,
            "rows": [
                {"check": c, "form": CheckResultForm(prefix=f"c{c.pk}", initial=_initial(c))}
                for c in checks
            ],
            "can_check": can_check,
            "reproducible": redrawn == sorted(c.slip_id for c in checks),
        },
    )


def _initial(check: OutingCheck) -> dict:
    if check.result == OutingCheck.Result.PENDING:
        return {}
    return {"result": check.result, "note": check.note}


@require_POST
def check_result(request, pk: int):
    check = get_object_or_404(
        OutingCheck.objects.filter(round__in=selectors.rounds_for(request.user)), pk=pk
    )
    form = CheckResultForm(request.POST, prefix=f"c{check.pk}")
    if form.is_valid():
        try:
            services.record_check_result(
                actor=request.user,
                check=check,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "核查结果已登记。")
    else:
        messages.error(request, "请选择核查结果。")
    return redirect(f"{check.round.get_absolute_url()}#check-{check.pk}")
