"""Which required meetings were held (R-3.3): a calendar per team and the
overview of every team's misses for the branch manager."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from meetings import permissions, rules, selectors
from meetings.exports import compliance_columns
from meetings.models import MeetingKind
from portal.exports import clean_filters, xlsx_response
from portal.views import paginate
from staff.models import Branch


def _month(request, today: dt.date) -> dt.date:
    try:
        return dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        return today.replace(day=1)


def _branch(request):
    branches = Branch.objects.visible_to(request.user).order_by("code")
    chosen = request.GET.get("branch", "")
    branch = next((b for b in branches if str(b.pk) == chosen), None)
    return list(branches), branch


def overview(request):
    """All teams' required meetings of a month at once (the branch manager's view)."""
    today = timezone.localdate()
    month = _month(request, today)
    branches, branch = _branch(request)
    page = paginate(request, selectors.compliance_teams(request.user, branch=branch))
    rows = selectors.compliance(page.object_list, month, rules.month_end(month), today=today)
    totals = {
        kind: {
            key: sum(r.summary(kind)[key] for r in rows)
            for key in ("required", "past", "held", "missed", "due")
        }
        for kind in MeetingKind.values
    }
    return render(
        request,
        "meetings/compliance_overview.html",
        {
            "rows": rows,
            "page_obj": page,
            "month": month,
            "prev_month": rules.previous_month(month),
            "next_month": rules.month_end(month) + dt.timedelta(days=1),
            "branches": branches,
            "branch": branch,
            "totals": totals,
            "today": today,
            "can_export": permissions.can_export(request.user),
        },
    )


def overview_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    today = timezone.localdate()
    month = _month(request, today)
    _branches, branch = _branch(request)
    teams = selectors.compliance_teams(request.user, branch=branch)
    rows = selectors.compliance(teams, month, rules.month_end(month), today=today)
    return xlsx_response(
        user=request.user,
        what=f"例会达标情况{month:%Y-%m}",
        columns=compliance_columns(),
        rows=rows,
        filters=clean_filters(request.GET),
    )


def team_calendar(request, pk: int):
    """One team's month: each working day's morning meeting, each week's
    weekly meeting and the month's summary meeting, held or missed."""
    team = get_object_or_404(selectors.teams_in_scope(request.user), pk=pk)
    today = timezone.localdate()
    month = _month(request, today)
    grid = selectors.team_month(team, month.year, month.month, today=today)
    can_file = permissions.can_file_meeting(request.user, team)
    return render(
        request,
        "meetings/compliance_team.html",
        {
            "team": team,
            "month": month,
            "prev_month": rules.previous_month(month),
            "next_month": rules.month_end(month) + dt.timedelta(days=1),
            "grid": grid,
            "result": grid["result"],
            "today": today,
            "can_file": can_file,
            "earliest": today - dt.timedelta(days=rules.EDIT_DAYS),
        },
    )
