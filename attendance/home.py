"""What the attendance chapter adds to the shell: the 考勤 navigation
section, home-page blocks (R-8.4) and the training panel on a person's
page (R-7.7). Registered from ``AttendanceConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from attendance import permissions, selectors
from attendance.models import AttendanceDay
from staff import calendar


def everyone(user) -> bool:
    return True


def register() -> None:
    from portal.registry import (
        NavSection,
        SearchSource,
        register_home_block,
        register_nav,
        register_person_panel,
        register_search,
    )

    register_nav(
        NavSection(
            code="attendance",
            label="考勤",
            url_name="attendance:home",
            order=30,
            icon="calendar-check",
            children=(
                ("每日考勤", "attendance:roll", permissions.keeps_any_roll),
                ("月度考勤表", "attendance:sheet", permissions.can_view_sheets),
                ("请假", "attendance:leave_list", everyone),
                ("出访单", "attendance:slip_list", everyone),
                ("出访单检查", "attendance:check_list", permissions.can_view_checks),
                ("考勤申诉", "attendance:dispute_list", everyone),
                ("巡查记录", "attendance:patrol_list", permissions.can_view_patrols),
                ("培训与活动", "attendance:event_list", everyone),
            ),
        )
    )
    register_home_block("attendance_roll", roll_due, order=20)
    register_home_block("attendance_checks", checks_due, order=25)
    register_person_panel("training", training_panel, order=30)
    register_search(
        SearchSource(code="slips", label="出访单", find=selectors.search_slips, order=40)
    )


def roll_due(request) -> dict | None:
    """The recorder's day: is today's roll saved, and which disputes wait."""
    user = request.user
    if not permissions.keeps_any_roll(user):
        return None
    today = timezone.localdate()
    teams = list(selectors.roll_teams(user)[:20])
    working = calendar.is_working_day(today)
    saved = set(
        AttendanceDay.objects.filter(team__in=teams, date=today).values_list("team_id", flat=True)
    )
    disputes = selectors.open_disputes_to_resolve(user).count()
    missing = [t for t in teams if t.pk not in saved] if working else []
    if not missing and not disputes:
        return None
    return {
        "code": "attendance_roll",
        "title": "考勤待办",
        "template": "attendance/home/roll_due.html",
        "missing": missing,
        "today": today,
        "disputes": disputes,
        "link": reverse("attendance:roll"),
        "link_label": "记录考勤",
    }


def checks_due(request) -> dict | None:
    """Outing slips drawn for an after-check whose result is not yet entered."""
    if not permissions.leads_any_team(request.user):
        return None
    pending = selectors.pending_checks(request.user).count()
    if not pending:
        return None
    return {
        "code": "attendance_checks",
        "title": "出访单待核查",
        "template": "attendance/home/checks_due.html",
        "pending": pending,
        "link": reverse("attendance:check_list"),
        "link_label": "去核查",
    }


def training_panel(request, person) -> dict | None:
    """The person's training history (R-7.7) on his page."""
    rows = list(selectors.training_history(person)[:50])
    return {
        "code": "training",
        "title": "培训记录",
        "template": "attendance/person_training.html",
        "rows": rows,
        "attended": sum(1 for r in rows if r.status == "present"),
    }
