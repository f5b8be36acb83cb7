"""Patrol and event pages (R-2.5, R-2.7, R-7.7)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from attendance import permissions, selectors
from attendance.forms import EventAttendanceForm, EventForm, PatrolForm
from attendance.models import TeamEvent
from attendance.services import events as services
from portal.forms import apply_errors
from portal.views import paginate
from staff.access import scope_for
from staff.models import Role, Team


def _teams(user, *roles):
    scope = scope_for(user)
    teams = Team.objects.exclude(status=Team.Status.DISSOLVED).select_related("branch")
    return list(teams if scope.superuser else teams.filter(pk__in=scope.ids(*roles)))


def _pick(request, teams):
    team_id = request.GET.get("team")
    if not team_id:
        return teams[0]
    team = next((t for t in teams if str(t.pk) == team_id), None)
    if team is None:
        raise PermissionDenied("您不能为该团队登记。")
    return team


def patrol_list(request):
    if not permissions.can_view_patrols(request.user):
        raise PermissionDenied("您没有查看巡查记录的权限。")
    patrols = selectors.patrols_for(request.user).order_by("-date", "-id")
    return render(
        request,
        "attendance/patrol_list.html",
        {
            "page_obj": paginate(request, patrols),
            "can_patrol": permissions.patrols_any(request.user),
        },
    )


def patrol_create(request):
    teams = _teams(request.user, Role.TEAM_LEADER, Role.REGIONAL_MANAGER)
    if not teams:
        raise PermissionDenied("只有团队负责人或区域经理可以登记巡查。")
    team = _pick(request, teams)
    today = timezone.localdate()
    members = list(services.members_on(team, today).values())
    form = PatrolForm(
        request.POST or None,
        team=team,
        members=members,
        initial={
            "date": today,
            "time": timezone.localtime().replace(second=0, microsecond=0).time(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patrol = services.record_patrol(
                actor=request.user,
                team=team,
                date=data["date"],
                time=data["time"],
                outlet=data["outlet"],
                notes=data["notes"],
                entries=form.entries(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "巡查记录已保存。")
            return redirect(patrol)
    return render(
        request,
        "attendance/patrol_form.html",
        {"form": form, "teams": teams, "team": team, "members": form.member_fields()},
    )


def patrol_detail(request, pk: int):
    patrol = selectors.patrol_detail(request.user, pk)
    return render(
        request,
        "attendance/patrol_detail.html",
        {
            "patrol": patrol,
            "entries": patrol.entries.select_related("person").order_by("person__employee_no"),
        },
    )


def event_list(request):
    events = selectors.events_for(request.user)
    if (kind := request.GET.get("kind")) in TeamEvent.Kind.values:
        events = events.filter(kind=kind)
    return render(
        request,
        "attendance/event_list.html",
        {
            "page_obj": paginate(request, events.order_by("-date", "-id")),
            "kind": kind,
            "kinds": TeamEvent.Kind.choices,
            "can_create": bool(_teams(request.user, Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER)),
        },
    )


def event_create(request):
    teams = _teams(request.user, Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER)
    if not teams:
        raise PermissionDenied("只有团队负责人或考勤员可以组织活动。")
    team = _pick(request, teams)
    members = list(services.members_on(team, timezone.localdate()).values())
    form = EventForm(request.POST or None, members=members, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.create_event(
                actor=request.user,
                team=team,
                kind=data["kind"],
                topic=data["topic"],
                title=data["title"],
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                place=data["place"],
                trainer=data["trainer"],
                notes=data["notes"],
                roster=data["roster"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "活动已创建。活动结束后请登记到场情况。")
            return redirect(event)
    return render(
        request, "attendance/event_form.html", {"form": form, "teams": teams, "team": team}
    )


def event_detail(request, pk: int):
    event = selectors.event_detail(request.user, pk)
    roster = list(selectors.event_roster(event))
    can_manage = permissions.can_manage_events(request.user, event.team)
    return render(
        request,
        "attendance/event_detail.html",
        {
            "event": event,
            "roster": roster,
            "can_record": can_manage and event.date <= timezone.localdate(),
            "form": EventAttendanceForm(roster=roster),
        },
    )


@require_POST
def event_attendance(request, pk: int):
    event = selectors.event_detail(request.user, pk)
    roster = list(selectors.event_roster(event))
    form = EventAttendanceForm(request.POST, roster=roster)
    if form.is_valid():
        try:
            services.record_event_attendance(
                actor=request.user, event=event, statuses=form.statuses(), notes=form.notes()
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "到场情况已登记。")
    else:
        messages.error(request, "请检查到场情况。")
    return redirect(reverse("attendance:event_detail", args=[event.pk]))
