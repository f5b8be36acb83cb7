"""Meeting pages: the list, recording a meeting (a phone-sized form for the
morning meeting), its page with the roll call cross-check, corrections within
seven days, and the minutes as PDF."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from meetings import crosscheck, permissions, rules, selectors, services
from meetings.exports import meeting_columns
from meetings.filters import MeetingFilter
from meetings.models import MORNING_ITEMS, ActionStatus, Meeting, MeetingKind
from meetings.views.sheet import Sheet
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.pdf import pdf_response
from portal.views import paginate
from staff.models import Team


def _filtered(request):
    return MeetingFilter(
        request.GET or None, queryset=selectors.meetings_for(request.user), user=request.user
    )


def filing_teams(user, kind: str | None = None) -> list[Team]:
    teams = [
        t
        for t in selectors.teams_in_scope(user).exclude(status=Team.Status.PREPARING)
        if permissions.can_file_meeting(user, t)
        and (t.status == Team.Status.ACTIVE)
        and (kind != MeetingKind.MORNING or t.holds_morning_meetings)
    ]
    own = [t for t in teams if t.pk == user.team_id]
    return own + [t for t in teams if t.pk != user.team_id]


def meeting_list(request):
    meetings = _filtered(request)
    teams = filing_teams(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": meetings,
            "page_obj": paginate(request, meetings.qs.order_by("-date", "team__code", "kind")),
            "can_file": bool(teams),
            "can_file_morning": any(t.holds_morning_meetings for t in teams),
            "can_export": permissions.can_export(request.user),
        },
    )


def meeting_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return xlsx_response(
        user=request.user,
        what="例会记录",
        columns=meeting_columns(),
        rows=_filtered(request).qs.order_by("-date", "team__code", "kind").iterator(),
        filters=clean_filters(request.GET),
    )


# -- the meeting form (record and correct) ----------------------------------------------


def _progress_context(team, kind, day, period_start) -> dict:
    if kind == MeetingKind.MORNING:
        return {}
    month = selectors.progress_month(kind, day, period_start)
    data = selectors.team_progress(team, month.year)
    return {
        "snapshot": selectors.progress_snapshot(data, month),
        "charts": selectors.progress_charts(data),
        "progress_year": month.year,
    }


def _parse_day(raw: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return today
    return min(day, today)


def meeting_new(request, kind: str):
    if kind not in MeetingKind.values:
        raise Http404
    teams = filing_teams(request.user, kind)
    if not teams:
        raise PermissionDenied("您没有可以记录这类会议的团队。")
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), teams[0])
    today = timezone.localdate()
    day = _parse_day(request.GET.get("date"), today)
    earliest = today - dt.timedelta(days=rules.EDIT_DAYS)
    if day < earliest:
        messages.error(request, f"只能补录 {rules.EDIT_DAYS} 天内召开的会议。")
        day = today
    if kind != MeetingKind.MONTHLY:
        found = selectors.existing(team, kind, rules.period_of(kind, day))
        if found is not None and request.method == "GET":
            messages.info(request, f"{found}已经记录过了。")
            return redirect(found)
    members = selectors.roster(team, day)
    people = selectors.meeting_people(team, day)
    sheet = Sheet(request, kind=kind, team=team, day=day, members=members, people=people)
    if request.method == "POST" and sheet.is_valid():
        entries = sheet.entries()
        try:
            meeting = services.record_meeting(
                actor=request.user,
                team=team,
                kind=kind,
                date=day,
                summary_month=sheet.form.cleaned_data.get("summary_month"),
                reviews=sheet.reviews.entries() if sheet.reviews else None,
                **entries,
            )
        except ValidationError as exc:
            apply_errors(sheet.form, exc)
        else:
            messages.success(request, f"{meeting}已记录。")
            _warn_mismatches(request, meeting)
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "sheet": sheet,
            "kind": kind,
            "kind_label": MeetingKind(kind).label,
            "team": team,
            "teams": teams,
            "day": day,
            "today": today,
            "earliest": earliest,
            "morning_items": MORNING_ITEMS,
            **_progress_context(team, kind, day, rules.period_of(kind, day)),
        },
    )


def _warn_mismatches(request, meeting: Meeting) -> None:
    marks = {a.person_id: (a.present, a.reason) for a in meeting.attendees.all()}
    check = crosscheck.cross_check(meeting, marks)
    if check["mismatches"]:
        messages.warning(
            request, f"点名与当日考勤有 {check['mismatches']} 处不一致，请在会议页面核对。"
        )


def meeting_edit(request, pk: int):
    meeting = selectors.meeting_detail(request.user, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        if not rules.is_editable(meeting.date, timezone.localdate()):
            messages.error(
                request,
                f"会议纪要在会后 {rules.EDIT_DAYS} 天内可以修改，现已只读；待办事项的状态仍可更新。",
            )
            return redirect(meeting)
        raise PermissionDenied("只有记录人、主持人和团队负责人可以修改会议记录。")
    team, day = meeting.team, meeting.date
    lines = list(meeting.attendees.select_related("person__group"))
    members = {p.pk: p for p in selectors.roster(team, day)}
    for line in lines:
        members.setdefault(line.person_id, line.person)
    members = sorted(members.values(), key=lambda p: p.employee_no)
    people = selectors.meeting_people(
        team,
        day,
        extra=[meeting.host_id, *[a.owner_id for a in meeting.action_items.all()]],
    )
    sheet = Sheet(
        request,
        kind=meeting.kind,
        team=team,
        day=day,
        members=members,
        people=people,
        meeting=meeting,
    )
    if request.method == "POST" and sheet.is_valid():
        try:
            services.update_meeting(
                actor=request.user,
                meeting=meeting,
                reason=request.POST.get("reason", ""),
                **sheet.entries(),
            )
        except ValidationError as exc:
            apply_errors(sheet.form, exc)
        else:
            messages.success(request, f"{meeting}已修改。")
            _warn_mismatches(request, meeting)
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "sheet": sheet,
            "meeting": meeting,
            "kind": meeting.kind,
            "kind_label": meeting.get_kind_display(),
            "team": team,
            "day": day,
            "morning_items": MORNING_ITEMS,
            **_progress_context(team, meeting.kind, day, meeting.period_start),
        },
    )


def decorate_actions(user, items) -> None:
    """Marks each item with the status moves the user may make."""
    for item in items:
        item.can_update = permissions.can_update_action(user, item)
        cancel = permissions.can_cancel_action(user, item)
        item.moves = [
            (status, ActionStatus(status).label)
            for status in services.ACTION_TRANSITIONS[item.status]
            if cancel or status != ActionStatus.CANCELLED
        ]


def _detail_context(request, meeting: Meeting) -> dict:
    roll = selectors.roll_of(meeting)
    check = crosscheck.cross_check(meeting, {a.person_id: (a.present, a.reason) for a in roll})
    for line in roll:
        line.findings = check["by_person"].get(line.person_id, [])
    actions = selectors.actions_of(meeting)
    reviews = selectors.reviews_of(meeting)
    decorate_actions(request.user, [*actions, *(r.item for r in reviews)])
    missing = []
    if check["missing_ids"]:
        from staff.models import User

        missing = list(User.objects.filter(pk__in=check["missing_ids"]).order_by("employee_no"))
    return {
        "meeting": meeting,
        "roll": roll,
        "present": sum(1 for a in roll if a.present),
        "absent": [a for a in roll if not a.present],
        "check": check,
        "missing": missing,
        "items": [(getattr(meeting, name), label) for name, label in MORNING_ITEMS],
        "problems": list(selectors.problems_of(meeting)),
        "competitors": list(selectors.competitor_notes_of(meeting)),
        "actions": actions,
        "reviews": reviews,
    }


def meeting_detail(request, pk: int):
    meeting = selectors.meeting_detail(request.user, pk)
    today = timezone.localdate()
    context = _detail_context(request, meeting)
    progress = {}
    if not meeting.is_morning:
        month = selectors.progress_month(meeting.kind, meeting.date, meeting.period_start)
        progress = {
            "charts": selectors.progress_charts(selectors.team_progress(meeting.team, month.year)),
            "progress_year": month.year,
        }
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            **context,
            **progress,
            "snapshot": meeting.progress_snapshot,
            "editable": permissions.can_edit_meeting(request.user, meeting, today=today),
            "window_open": rules.is_editable(meeting.date, today),
            "change_log": change_log(meeting),
        },
    )


def meeting_pdf(request, pk: int):
    meeting = selectors.meeting_detail(request.user, pk)
    context = _detail_context(request, meeting)
    return pdf_response(
        request,
        template="meetings/pdf/minutes.html",
        context={**context, "snapshot": meeting.progress_snapshot},
        what=f"{meeting.get_kind_display()}记录",
        filename=f"{meeting.team.name}_{meeting.date:%Y%m%d}_{meeting.get_kind_display()}.pdf",
        rows=1,
        filters={"meeting": meeting.pk},
    )
