"""What the meetings chapter adds to the shell: the 例会 navigation section
and the home-page blocks for missed meetings and one's own action items
(R-8.4). Registered from ``MeetingsConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from meetings import permissions, selectors
from meetings.figures import team_meetings
from meetings.models import MeetingKind
from portal.charts import percent_bars
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role, Team

# Misses are reported over this many past days.
LOOKBACK_DAYS = 30


def everyone(user) -> bool:
    return True


def register() -> None:
    from portal.registry import NavSection, register_home_block, register_nav, register_team_figures

    register_nav(
        NavSection(
            code="meetings",
            label="例会",
            url_name="meetings:meeting_list",
            order=35,
            icon="people",
            children=(
                ("记录晨会", "meetings:morning_new", permissions.files_any),
                ("记录周例会", "meetings:weekly_new", permissions.files_any),
                ("记录月度总结例会", "meetings:monthly_new", permissions.files_any),
                ("会议待办事项", "meetings:action_list", everyone),
                ("竞争对手信息", "meetings:competitor_list", everyone),
                ("例会达标情况", "meetings:compliance", everyone),
            ),
        )
    )
    register_team_figures("meetings", team_meetings, order=30)
    register_home_block("meetings_missed", missed_meetings, order=40, audience=watches_teams)
    register_home_block("meetings_actions", my_actions, order=45)
    register_home_block("branch_meetings", branch_meetings, order=24, audience=manages_a_branch)


def watches_teams(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.ids(Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER, Role.REGIONAL_MANAGER)
        or scope.ids(*BRANCH_MANAGEMENT)
    )


def manages_a_branch(user) -> bool:
    return bool(scope_for(user).ids(*BRANCH_MANAGEMENT))


def watched_teams(user):
    """Teams whose misses the user answers for: those he leads or keeps the
    roll of, and his branch's teams for the branch management."""
    scope = scope_for(user)
    team_ids = scope.ids(Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER, Role.REGIONAL_MANAGER)
    branch_ids = scope.ids(*BRANCH_MANAGEMENT)
    if not team_ids and not branch_ids:
        return Team.objects.none()
    from django.db.models import Q

    return (
        Team.objects.filter(Q(pk__in=team_ids) | Q(branch_id__in=branch_ids))
        .exclude(status=Team.Status.PREPARING)
        .select_related("branch")
        .order_by("branch__code", "code")
    )


def missed_meetings(request) -> dict | None:
    """Required meetings not held in the last 30 days, and today's morning
    meeting while it is still to be recorded (R-3.3, R-8.4)."""
    teams = list(watched_teams(request.user)[:50])
    if not teams:
        return None
    today = timezone.localdate()
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    rows = selectors.compliance(teams, start, today, today=today)
    missed, due_today = [], []
    for row in rows:
        morning = [s for s in row.morning if s.status == "missed"]
        weekly = [s for s in row.weekly if s.status == "missed" and s.end >= start]
        monthly = [s for s in row.monthly if s.status == "missed"]
        if morning or weekly or monthly:
            missed.append(
                {"team": row.team, "morning": morning, "weekly": weekly, "monthly": monthly}
            )
        if any(s.start == today and s.status == "due" for s in row.morning):
            due_today.append(row.team)
    if not missed and not due_today:
        return None
    return {
        "code": "meetings_missed",
        "title": "例会缺漏",
        "template": "meetings/home/missed.html",
        "missed": missed[:10],
        "more": max(0, len(missed) - 10),
        "due_today": due_today,
        "days": LOOKBACK_DAYS,
        "kind_morning": MeetingKind.MORNING,
        "link": reverse("meetings:compliance"),
        "link_label": "达标情况",
    }


def my_actions(request) -> dict | None:
    """The user's open action items from meetings, overdue first."""
    items = list(selectors.my_open_actions(request.user)[:6])
    if not items:
        return None
    today = timezone.localdate()
    return {
        "code": "meetings_actions",
        "title": "我的会议待办",
        "template": "meetings/home/actions.html",
        "items": items[:5],
        "more": len(items) > 5,
        "today": today,
        "link": reverse("meetings:action_list") + "?mine=on",
        "link_label": "全部",
    }


def branch_meetings(request) -> dict | None:
    """The branch management: this month's meeting compliance per team
    (R-3.3), as rates of the meetings already due that were held."""
    branch_ids = scope_for(request.user).ids(*BRANCH_MANAGEMENT)
    if not branch_ids:
        return None
    teams = list(
        Team.objects.filter(branch_id__in=branch_ids, status=Team.Status.ACTIVE)
        .select_related("branch")
        .order_by("branch__code", "code")[:50]
    )
    if not teams:
        return None
    today = timezone.localdate()
    results = selectors.compliance(teams, today.replace(day=1), today, today=today)
    rows = [
        {
            "team": r.team,
            "morning": r.morning_summary,
            "weekly": r.weekly_summary,
            "missed": r.missed_total,
        }
        for r in results
    ]
    chart = percent_bars(
        [r["team"].name for r in rows],
        [
            ("晨会达标率（%）", [r["morning"]["rate"] for r in rows]),
            ("周例会达标率（%）", [r["weekly"]["rate"] for r in rows]),
        ],
    )
    return {
        "code": "branch_meetings",
        "title": f"{today.month} 月各团队例会达标",
        "template": "meetings/home/branch.html",
        "rows": rows,
        "chart": chart,
        "link": reverse("meetings:compliance"),
        "link_label": "达标情况",
    }
