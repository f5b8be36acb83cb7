"""Pages of the daily roll, records and disputes, the monthly sheet and a
person's month calendar."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from attendance import exports, permissions, selectors
from attendance.forms import CorrectionForm, DisputeForm, ResolveForm, RollForm, parse_month
from attendance.models import AttendanceDispute, LeaveKind
from attendance.services import roll as services
from portal.exports import xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.views import paginate
from staff import calendar


def _last_working_day(on: dt.date) -> dt.date:
    days = calendar.working_days(on - dt.timedelta(days=20), on)
    return days[-1] if days else on


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def home(request):
    """我的考勤: the person's month, his leave balances and his disputes."""
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    user = request.user
    return render(
        request,
        "attendance/home.html",
        {
            "person": user,
            "month": selectors.person_month(user, year, month),
            "period": dt.date(year, month, 1),
            "nav": _month_nav(year, month),
            "balances": selectors.leave_balances(user, year),
            "disputes": selectors.disputes_for(user).filter(person=user)[:5],
            "keeps_roll": permissions.keeps_any_roll(user),
            "today": today,
        },
    )


def _month_nav(year: int, month: int) -> dict:
    first = dt.date(year, month, 1)
    previous = first - dt.timedelta(days=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return {"prev": f"{previous:%Y-%m}", "next": f"{following:%Y-%m}", "this": f"{first:%Y-%m}"}


def roll(request):
    """The recorder's day (R-2.2): every member on one screen, present by
    default; approved leave and filed slips fill themselves in."""
    teams = list(selectors.roll_teams(request.user))
    if not teams:
        raise PermissionDenied("只有考勤员或团队负责人可以记录考勤。")
    team_id = request.GET.get("team")
    team = teams[0]
    if team_id:
        team = next((t for t in teams if str(t.pk) == team_id), None)
        if team is None:
            raise PermissionDenied("您不是该团队的考勤员或负责人。")
    today = timezone.localdate()
    day = _parse_date(request.GET.get("date")) or _last_working_day(today)
    context = {"teams": teams, "team": team, "day": day, "today": today}
    if day > today:
        messages.error(request, "不能记录未来日期的考勤。")
        return redirect(f"{reverse('attendance:roll')}?team={team.pk}")
    working = calendar.is_working_day(day)
    context.update(
        working=working,
        provisional=calendar.is_provisional(day),
        prev_day=_last_working_day(day - dt.timedelta(days=1)),
    )
    if working:
        rows = selectors.roll_rows(team, day)
        saved = selectors.roll_day(team, day)
        data = request.POST if request.method == "POST" else None
        form = RollForm(data, rows=rows, saved=saved is not None)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_roll(
                    actor=request.user,
                    team=team,
                    day=day,
                    entries=form.entries(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"{team.name} {day:%Y-%m-%d} 的考勤已{'更正' if saved else '保存'}。",
                )
                return redirect(f"{reverse('attendance:roll')}?team={team.pk}&date={day}")
        context.update(
            form=form,
            saved=saved,
            rows=form.row_fields(),
            corrections=selectors.roll_corrections(team, day) if saved else [],
            counts={
                "members": len(rows),
                "leave": sum(1 for r in rows if r.leave),
                "outing": sum(1 for r in rows if r.slip),
            },
        )
    return render(request, "attendance/roll.html", context)


def record_detail(request, pk: int):
    record = selectors.record_detail(request.user, pk)
    user = request.user
    disputes = list(record.disputes.select_related("person", "resolved_by"))
    has_open = any(d.status == AttendanceDispute.Status.OPEN for d in disputes)
    open_dispute = next((d for d in disputes if d.status == AttendanceDispute.Status.OPEN), None)
    can_correct = permissions.can_record_roll(user, record.team)
    return render(
        request,
        "attendance/record_detail.html",
        {
            "record": record,
            "disputes": disputes,
            "change_log": change_log(record),
            "can_dispute": permissions.can_dispute(user, record, has_open=has_open),
            "dispute_form": DisputeForm(),
            "can_correct": can_correct and not has_open,
            "correction_form": CorrectionForm(record=record),
            "open_dispute": open_dispute,
            "can_resolve": open_dispute is not None
            and permissions.can_resolve_dispute(user, open_dispute),
            "resolve_form": ResolveForm(record=record),
        },
    )


@require_POST
def record_correct(request, pk: int):
    record = selectors.record_detail(request.user, pk)
    form = CorrectionForm(request.POST, record=record)
    if form.is_valid():
        try:
            services.correct_record(
                actor=request.user,
                record=record,
                entry=form.entry(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "考勤记录已更正。")
    else:
        messages.error(request, "请填写更正原因并检查输入。")
    return redirect(record)


@require_POST
def dispute_file(request, pk: int):
    record = selectors.record_detail(request.user, pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.file_dispute(
                actor=request.user, record=record, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "申诉已提交，考勤员或团队负责人处理后会通知您。")
    else:
        messages.error(request, "请填写申诉理由。")
    return redirect(record)


@require_POST
def dispute_resolve(request, pk: int):
    dispute = get_object_or_404(selectors.disputes_for(request.user), pk=pk)
    form = ResolveForm(request.POST, record=dispute.record)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.resolve_dispute(
                actor=request.user,
                dispute=dispute,
                accept=accept,
                resolution=form.cleaned_data["resolution"],
                entry=form.entry() if accept else None,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "申诉已处理。")
    else:
        messages.error(request, "请选择处理结果并填写处理意见。")
    return redirect(dispute.record)


def dispute_list(request):
    disputes = selectors.disputes_for(request.user)
    status = request.GET.get("status", "")
    if status in AttendanceDispute.Status.values:
        disputes = disputes.filter(status=status)
    return render(
        request,
        "attendance/dispute_list.html",
        {
            "page_obj": paginate(request, disputes.order_by("-created_at", "-id")),
            "status": status,
            "statuses": AttendanceDispute.Status.choices,
        },
    )


# -- the monthly sheet ---------------------------------------------------------------


def _sheet(request):
    teams = list(selectors.sheet_teams(request.user))
    if not teams or not permissions.can_view_sheets(request.user):
        raise PermissionDenied("您没有查看月度考勤表的权限。")
    team = teams[0]
    if team_id := request.GET.get("team"):
        team = next((t for t in teams if str(t.pk) == team_id), None)
        if team is None:
            raise PermissionDenied("您不能查看该团队的考勤表。")
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    rows = selectors.month_figures(year, month, team=team, viewer=request.user)
    return teams, team, year, month, rows


def sheet(request):
    """月度考勤表: per person and team totals; provisional days marked."""
    teams, team, year, month, rows = _sheet(request)
    return render(
        request,
        "attendance/sheet.html",
        {
            "teams": teams,
            "team": team,
            "period": dt.date(year, month, 1),
            "nav": _month_nav(year, month),
            "rows": rows,
            "totals": selectors.sheet_totals(rows),
            "kinds": LeaveKind.choices,
            "provisional": any(r.provisional_days for r in rows),
            "can_export": permissions.can_export(request.user),
        },
    )


def sheet_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出权限。")
    _teams, team, year, month, rows = _sheet(request)
    return xlsx_response(
        user=request.user,
        what="月度考勤表",
        columns=exports.sheet_columns(),
        rows=[*rows, exports.totals_row(rows)],
        filters={"team": team.pk, "month": f"{year}-{month:02d}"},
        filename=f"月度考勤表_{team.name}_{year}-{month:02d}.xlsx",
    )


MAX_EXPORT_MONTHS = 12


def records_export(request):
    """考勤明细: every record of a team (or of all teams the user may see,
    ``team`` left out) from month ``from`` to month ``to``, at most a year."""
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出权限。")
    today = timezone.localdate()
    team = None
    if team_id := request.GET.get("team"):
        teams = selectors.sheet_teams(request.user)
        team = teams.filter(pk=int(team_id)).first() if team_id.isdigit() else None
        if team is None:
            raise PermissionDenied("您不能导出该团队的考勤。")
    first = parse_month(request.GET.get("from") or request.GET.get("month"), today)
    last = parse_month(request.GET.get("to") or request.GET.get("month"), today)
    start = dt.date(*first, 1)
    end = selectors.month_bounds(*last)[1]
    if start > end:
        start, end = dt.date(*last, 1), selectors.month_bounds(*first)[1]
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_EXPORT_MONTHS:
        raise PermissionDenied(f"一次最多导出 {MAX_EXPORT_MONTHS} 个月的考勤明细。")
    label = (
        f"{start:%Y-%m}"
        if start.replace(day=1) == end.replace(day=1)
        else (f"{start:%Y-%m}至{end:%Y-%m}")
    )
    return xlsx_response(
        user=request.user,
        what="考勤明细",
        columns=exports.record_columns(),
        rows=selectors.records_between(request.user, start, end, team=team),
        filters={"team": team.pk if team else None, "from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}"},
        filename=f"考勤明细_{team.name if team else '全部'}_{label}.xlsx",
    )


def person_calendar(request, pk: int):
    """One person's month as a calendar."""
    person = selectors.attendance_person(request.user, pk)
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    figures = selectors.month_figures(year, month, people=[person], viewer=request.user)
    return render(
        request,
        "attendance/person_calendar.html",
        {
            "person": person,
            "month": selectors.person_month(person, year, month, viewer=request.user),
            "period": dt.date(year, month, 1),
            "nav": _month_nav(year, month),
            "figures": figures[0] if figures else None,
            "kinds": LeaveKind.choices,
            "today": today,
        },
    )
