"""Reads of 督办 (R-7.3) and the reminders the daily job sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from staff.models import Role, RoleAssignment, in_force_q
from visits import rules
from visits.models import FollowUp, FollowUpStatus, FollowUpStep, MonthlySubmission, Visit
from visits.models.followups import NOT_CLOSED, OPEN_STATUSES


def followups_for(user) -> QuerySet[FollowUp]:
    return FollowUp.objects.visible_to(user).select_related("client__tier", "owner", "team")


def followup_detail(user, pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.visible_to(user).select_related(
            "client__tier", "client__manager", "owner", "raised_by", "team", "visit__visitor"
        ),
        pk=pk,
    )


def followup_steps(followup: FollowUp) -> QuerySet[FollowUpStep]:
    return followup.steps.select_related("actor").order_by("at", "id")


def my_open_followups(user) -> QuerySet[FollowUp]:
    """Not yet closed and owned by the user, earliest due first."""
    return (
        FollowUp.objects.filter(owner=user, status__in=NOT_CLOSED)
        .select_related("client")
        .order_by("due_on", "id")
    )


def overdue_followups(user, today: dt.date) -> QuerySet[FollowUp]:
    """Open and past due in the user's scope (the responsible person's list)."""
    return followups_for(user).filter(status__in=OPEN_STATUSES, due_on__lt=today)


# -- reminders (R-7.3: "chased") ------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    user_id: int
    title: str
    body: str
    url: str
    dedup_key: str


def due_followup_reminders(today: dt.date) -> list[Reminder]:
    """Reminders for follow-ups as their due date comes and passes:

    - the owner, the day before it is due (``…-soon``);
    - the owner, on the due date and then weekly while still unresolved
      (``…-due-<weeks overdue>``);
    - the owner, when a resolved follow-up has not been told to the client
      within three days (``…-inform``);
    - the team leader once, when it is a week overdue (``…-leader``).

    Each carries a de-duplication key, so the daily job may run any number
    of times a day without repeating itself. ``manage.py send_reminders``
    sends them through :func:`visits.reminders.followup_reminders`.
    """
    out: list[Reminder] = []
    rows = (
        FollowUp.objects.filter(status__in=OPEN_STATUSES, due_on__lte=today + dt.timedelta(days=1))
        .select_related("client", "owner")
        .order_by("due_on", "id")
    )
    leaders_of: dict[int, list[int]] = {}
    late_teams = set()
    late = []
    for f in rows:
        url = reverse("visits:followup_detail", args=[f.pk])
        if f.due_on > today:
            out.append(
                Reminder(
                    f.owner_id,
                    f"督办事项明天到期：{f.client.name}",
                    f.description[:200],
                    url,
                    f"visits-fu-{f.pk}-soon-{f.due_on:%Y%m%d}",
                )
            )
            continue
        days = (today - f.due_on).days
        title = (
            f"督办事项今天到期：{f.client.name}"
            if days == 0
            else f"督办事项已逾期 {days} 天：{f.client.name}"
        )
        out.append(
            Reminder(
                f.owner_id,
                title,
                f"{f.description[:150]}（{f.get_status_display()}）",
                url,
                f"visits-fu-{f.pk}-due-{f.due_on:%Y%m%d}-{days // 7}",
            )
        )
        if days >= rules.LEADER_OVERDUE_DAYS and f.team_id:
            late.append(f)
            late_teams.add(f.team_id)
    if late_teams:
        for team_id, user_id in RoleAssignment.objects.filter(
            in_force_q(today), role=Role.TEAM_LEADER, team_id__in=late_teams
        ).values_list("team_id", "user_id"):
            leaders_of.setdefault(team_id, []).append(user_id)
    for f in late:
        for leader in leaders_of.get(f.team_id, []):
            if leader == f.owner_id:
                continue
            out.append(
                Reminder(
                    leader,
                    f"{f.owner.name}的督办事项逾期超过 {rules.LEADER_OVERDUE_DAYS} 天：{f.client.name}",
                    f.description[:200],
                    reverse("visits:followup_detail", args=[f.pk]),
                    f"visits-fu-{f.pk}-leader-{f.due_on:%Y%m%d}",
                )
            )
    resolved = FollowUp.objects.filter(
        status=FollowUpStatus.RESOLVED,
        resolved_on__lte=today - dt.timedelta(days=rules.INFORM_REMINDER_DAYS),
    ).select_related("client")
    for f in resolved:
        out.append(
            Reminder(
                f.owner_id,
                f"请将处理结果告知客户：{f.client.name}",
                f"已于 {f.resolved_on:%Y-%m-%d} 解决，尚未登记告知客户。",
                reverse("visits:followup_detail", args=[f.pk]),
                f"visits-fu-{f.pk}-inform",
            )
        )
    return out


def due_month_reminders(today: dt.date) -> list[Reminder]:
    """From the 25th to the end of a month (and the first five days of the
    next, for the month before), people with logs of the month not yet
    submitted are reminded once each."""
    if today.day >= rules.SUBMIT_FROM_DAY:
        month = rules.month_start(today)
    elif today.day <= 5:
        month = rules.month_start(rules.month_start(today) - dt.timedelta(days=1))
    else:
        return []
    sent = MonthlySubmission.objects.filter(
        month=month,
        status__in=[MonthlySubmission.Status.PENDING, MonthlySubmission.Status.VERIFIED],
    ).values("visitor_id")
    visitors = (
        Visit.objects.filter(month=month)
        .exclude(visitor_id__in=sent)
        .order_by()
        .values_list("visitor_id", flat=True)
        .distinct()
    )
    url = reverse("visits:month_list")
    return [
        Reminder(
            visitor,
            f"请提交 {month:%Y 年 %-m 月}的客户走访日志",
            "月末请将本月走访日志提交团队负责人核验。",
            url,
            f"visits-month-{month:%Y%m}-{'end' if month == rules.month_start(today) else 'late'}",
        )
        for visitor in visitors
    ]


def due_reminders(today: dt.date) -> list[Reminder]:
    """Everything the visits chapter wants sent today (for the daily job)."""
    return due_followup_reminders(today) + due_month_reminders(today)
