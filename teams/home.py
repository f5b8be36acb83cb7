"""Home-page blocks of the teams chapter (R-8.4): a member's work log and
month targets, a leader's team progress and spot-checks, the branch
management's view of all teams. Registered from ``TeamsConfig.ready()``.
Each block costs a fixed number of queries whatever the data."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from staff import calendar
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role, Team, User
from teams import selectors
from teams.models import Metric

# A leader sees the progress of at most this many teams on his home page.
MAX_TEAMS = 3


def register() -> None:
    from portal.registry import register_home_block, register_reminder
    from teams.reminders import missing_work_logs

    register_home_block("worklog_today", worklog_today, order=12, audience=_member)
    register_home_block("my_targets", my_targets, order=14, audience=_member)
    register_reminder("worklogs", missing_work_logs)
    register_home_block("branch_progress", branch_progress, order=21, audience=_manages_branch)
    register_home_block("team_progress", team_progress, order=22, audience=_leads)
    register_home_block("spot_checks", spot_checks, order=26, audience=_leads)


def _leads(user) -> bool:
    return scope_for(user).has(Role.TEAM_LEADER)


def _led_teams(user):
    """The teams he leads himself (the administrator leads none)."""
    return Team.objects.filter(pk__in=scope_for(user).ids(Role.TEAM_LEADER))


def _manages_branch(user) -> bool:
    return bool(scope_for(user).ids(*BRANCH_MANAGEMENT))


def _member(user) -> bool:
    return bool(user.team_id) and user.status in (User.Status.ACTIVE, User.Status.LEAVING)


def worklog_today(request) -> dict | None:
    """Today's 工作日志: filed or still to file, and this month's gaps."""
    user = request.user
    if not _member(user):
        return None
    today = timezone.localdate()
    working = calendar.is_working_day(today)
    filed = selectors.log_filed(user, today)
    gaps = selectors.missing_logs([user], today.replace(day=1), today)
    return {
        "code": "worklog_today",
        "title": "今日工作日志",
        "template": "teams/home/worklog_today.html",
        "filed": filed,
        "working": working,
        "missing_days": gaps[0]["days"] if gaps else [],
        "link": reverse("teams:worklog_today"),
        "link_label": "修改日志" if filed else "填写日志",
    }


def my_targets(request) -> dict | None:
    """This month's targets against CRM actuals for a team member."""
    user = request.user
    if not _member(user):
        return None
    today = timezone.localdate()
    data = selectors.month_target_and_actual(user, today.year, today.month)
    if not data["has_split"] and scope_for(user).has(Role.TEAM_LEADER):
        return None  # a leader without a personal target sees his team's block
    return {
        "code": "my_targets",
        "title": f"{today.month} 月目标与完成",
        "template": "teams/home/my_targets.html",
        "data": data,
        "link": reverse("teams:person_progress", args=[user.pk, today.year]),
        "link_label": "全年进度",
    }


def team_progress(request) -> dict | None:
    """The leader's teams: year-to-date progress with a monthly chart."""
    teams = list(_led_teams(request.user).select_related("branch").order_by("code")[:MAX_TEAMS])
    if not teams:
        return None
    year = timezone.localdate().year
    shown = []
    for team in teams:
        data = selectors.progress(team, year)
        shown.append(
            {
                "team": team,
                "chart": selectors.progress_chart(data, Metric.NET_REVENUE),
                "imported_any": data["imported_any"],
                "link": reverse("teams:team_progress", args=[team.pk, year]),
            }
        )
    return {
        "code": "team_progress",
        "title": f"{year} 年团队进度（净收入）",
        "template": "teams/home/team_progress.html",
        "teams": shown,
        "wide": True,
    }


def branch_progress(request) -> dict | None:
    """The branch management: every team's completion rate this year."""
    scope = scope_for(request.user)
    branch_ids = scope.ids(*BRANCH_MANAGEMENT)
    if not branch_ids:
        return None
    today = timezone.localdate()
    rows = selectors.branch_progress(branch_ids, today.year, today.month)
    if not rows:
        return None
    return {
        "code": "branch_progress",
        "title": f"{today.year} 年各团队目标完成（截至 {today.month} 月）",
        "template": "teams/home/branch_progress.html",
        "rows": rows,
        "chart": selectors.branch_progress_chart(rows),
        "new_accounts": Metric.NEW_ACCOUNTS,
        "net_revenue": Metric.NET_REVENUE,
        "link": reverse("teams:team_list"),
        "link_label": "全部团队",
        "wide": True,
    }


def spot_checks(request) -> dict | None:
    """Sampled logs waiting for the leader's verdict; teams not yet
    spot-checked this month (R-1.5)."""
    teams = list(_led_teams(request.user).order_by("code")[:20])
    if not teams:
        return None
    ids = [t.pk for t in teams]
    waiting = selectors.unchecked_samples(ids)
    today = timezone.localdate()
    drawn = selectors.drawn_since(ids, today.replace(day=1))
    undrawn = [t for t in teams if t.pk not in drawn]
    if not waiting and not undrawn:
        return None
    return {
        "code": "spot_checks",
        "title": "工作日志抽查",
        "template": "teams/home/spot_checks.html",
        "waiting": waiting,
        "undrawn": undrawn,
        "link": reverse("teams:spotcheck_list"),
        "link_label": "去抽查",
    }
