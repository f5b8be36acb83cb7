"""What the attendance chapter adds to the shell: the 考勤 navigation
section, home-page blocks (R-8.4) and the training panel on a person's
page (R-7.7). Registered from ``AttendanceConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from attendance import permissions, selectors
from attendance.figures import team_attendance
from attendance.models import AttendanceDay, LeaveRequest, OutingSlip
from portal.charts import percent_bars
from staff import calendar
from staff.access import BRANCH_MANAGEMENT, scope_for

SHOWN = 5


def everyone(user) -> bool:
    return True


def in_a_team(user) -> bool:
    return bool(user.team_id)


def manages_a_branch(user) -> bool:
    return bool(scope_for(user).ids(*BRANCH_MANAGEMENT))


def register() -> None:
    from portal.registry import (
        NavSection,
        SearchSource,
        register_home_block,
        register_nav,
        register_person_panel,
        register_search,
        register_team_figures,
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
    register_team_figures("attendance", team_attendance, order=20)
    register_home_block("attendance_roll", roll_due, order=20, audience=permissions.keeps_any_roll)
    register_home_block(
        "attendance_checks", checks_due, order=25, audience=permissions.leads_any_team
    )
    register_home_block("my_leave_slips", my_leave_and_slips, order=28, audience=in_a_team)
    register_home_block("branch_attendance", branch_attendance, order=23, audience=manages_a_branch)
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


def my_leave_and_slips(request) -> dict | None:
    """A member's own leave requests in progress or ahead, and his outing
    slips of the last week (R-2.6, R-2.8)."""
    user = request.user
    if not user.team_id:
        return None
    today = timezone.localdate()
    leaves = list(
        LeaveRequest.objects.filter(person=user)
        .filter(
            Q(status=LeaveRequest.Status.PENDING)
            | Q(status=LeaveRequest.Status.APPROVED, end_date__gte=today)
        )
        .order_by("start_date")[:SHOWN]
    )
    slips = list(
        OutingSlip.objects.filter(
            person=user, planned_out__date__gte=today - dt.timedelta(days=7)
        ).order_by("-planned_out")[:SHOWN]
    )
    return {
        "code": "my_leave_slips",
        "title": "我的请假与出访",
        "template": "attendance/home/my_leave_slips.html",
        "leaves": leaves,
        "slips": slips,
        "link": reverse("attendance:slip_create"),
        "link_label": "填出访单",
    }


def branch_attendance(request) -> dict | None:
    """The branch management: this month's roll-keeping and attendance per
    team, with a chart."""
    branch_ids = scope_for(request.user).ids(*BRANCH_MANAGEMENT)
    if not branch_ids:
        return None
    today = timezone.localdate()
    rows = selectors.branch_month_summary(branch_ids, today.replace(day=1), today)
    if not rows:
        return None
    chart = percent_bars(
        [r["team"].name for r in rows],
        [
            ("出勤率（%）", [r["rate"] or 0 for r in rows]),
            (
                "考勤记录完成率（%）",
                [int(r["kept_days"] * 100 / r["due_days"]) if r["due_days"] else 0 for r in rows],
            ),
        ],
    )
    return {
        "code": "branch_attendance",
        "title": f"{today.month} 月各团队考勤",
        "template": "attendance/home/branch_attendance.html",
        "rows": rows,
        "chart": chart,
        "link": reverse("attendance:sheet"),
        "link_label": "月度考勤表",
    }
