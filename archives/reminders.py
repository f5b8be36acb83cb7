"""Reminders of the archives (R-6.2 with R-8.4), sent by ``manage.py
send_reminders``: a contract ending within 30 days is told to the person's
team leader and his branch's archive clerk once (the key is the contract);
an SAC practice registration ending within 30 days is told to the person
and the archive clerk once per expiry date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse

from archives.models import Contract
from archives.models.contracts import EXPIRY_WINDOW_DAYS
from archives.selectors.contracts import SAC_WINDOW_DAYS
from portal.registry import Reminder
from staff.models import Role, RoleAssignment, User


def _live(queryset, prefix: str = ""):
    return queryset.exclude(**{f"{prefix}status": User.Status.LEFT}).filter(
        **{f"{prefix}is_active": True}
    )


def _keepers(today: dt.date, *, teams, branches) -> tuple[dict, dict]:
    """Team leaders by team and archive clerks by branch on ``today``, one query."""
    leaders, clerks = defaultdict(list), defaultdict(list)
    rows = (
        RoleAssignment.objects.in_force(today)
        .filter(user__is_active=True)
        .filter(role__in=(Role.TEAM_LEADER, Role.ARCHIVE_CLERK))
        .select_related("user")
        .order_by("user__employee_no")
    )
    for ra in rows:
        if ra.role == Role.TEAM_LEADER and ra.team_id in teams:
            leaders[ra.team_id].append(ra.user)
        elif ra.role == Role.ARCHIVE_CLERK and ra.branch_id in branches:
            clerks[ra.branch_id].append(ra.user)
    return leaders, clerks


def contracts_ending(today: dt.date):
    """Contracts ending within 30 days, not followed by another contract, of
    people still with the company: to the person's (current) team leader and
    archive clerk, once per contract."""
    contracts = list(
        _live(Contract.objects.all(), "person__")
        .filter(
            terminated_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .exclude(
            Exists(
                Contract.objects.filter(
                    person=OuterRef("person"), starts_on__gt=OuterRef("starts_on")
                )
            )
        )
        .select_related("person", "person__team")
        .order_by("ends_on", "person__employee_no")
    )
    if not contracts:
        return
    leaders, clerks = _keepers(
        today,
        teams={c.person.team_id for c in contracts},
        branches={c.person.branch_id for c in contracts},
    )
    for contract in contracts:
        person = contract.person
        users = tuple(
            u
            for u in leaders.get(person.team_id, []) + clerks.get(person.branch_id, [])
            if u.pk != person.pk
        )
        if not users:
            continue
        days = (contract.ends_on - today).days
        team = f"{person.team.name} " if person.team else ""
        yield Reminder(
            users=users,
            title=f"{person.name}的{contract.get_kind_display()}将于"
            f"{contract.ends_on:%Y年%m月%d日}到期",
            body=f"{team}{person.name}（{person.employee_no}）的{contract.get_kind_display()}"
            f"还有 {days} 天到期，尚未续签。请与本人确认是否续签，并办理续签或终止手续。",
            url=contract.get_absolute_url(),
            key=f"contract-ending:{contract.pk}",
        )


def sac_expiring(today: dt.date):
    """SAC practice registrations ending within 30 days: to the person and
    his archive clerk, once per registration's expiry date."""
    people = list(
        _live(User.objects.all())
        .filter(
            sac_expires_on__gte=today,
            sac_expires_on__lte=today + dt.timedelta(days=SAC_WINDOW_DAYS),
        )
        .select_related("team")
        .order_by("sac_expires_on", "employee_no")
    )
    if not people:
        return
    _leaders, clerks = _keepers(today, teams=set(), branches={p.branch_id for p in people})
    for person in people:
        users = (person, *[u for u in clerks.get(person.branch_id, []) if u.pk != person.pk])
        yield Reminder(
            users=users,
            title=f"{person.name}的执业登记将于{person.sac_expires_on:%Y年%m月%d日}到期",
            body=f"{person.name}（{person.employee_no}）的证券从业执业登记"
            f"（{person.sac_no or '编号未登记'}）即将到期，请及时办理年检或变更。",
            url=reverse("archives:file_detail", args=[person.pk]),
            key=f"sac-expiring:{person.pk}:{person.sac_expires_on:%Y%m%d}",
        )
