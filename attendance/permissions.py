"""What a user may do in the attendance chapter (pure predicates, used by
views and templates alike; the services check them again)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from staff.access import BRANCH_ROLES, scope_for
from staff.models import Role
from staff.permissions import holds_any_role

ROLL_ROLES = (Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER)
# A record may be disputed for this many days after the day it is about.
DISPUTE_DAYS = 30


def can_record_roll(user, team) -> bool:
    """The team's 考勤员 records only his own team; its leader may too (R-2.2)."""
    scope = scope_for(user)
    return scope.superuser or team.pk in scope.ids(*ROLL_ROLES)


def keeps_any_roll(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(*ROLL_ROLES)


def can_view_sheets(user) -> bool:
    """Monthly sheets: leaders, recorders, regional managers, group leaders
    and the branch (management, finance for payroll)."""
    scope = scope_for(user)
    return scope.superuser or scope.has(
        *ROLL_ROLES, Role.GROUP_LEADER, Role.REGIONAL_MANAGER, *BRANCH_ROLES
    )


def can_dispute(user, record, *, today: dt.date | None = None, has_open: bool = False) -> bool:
    """A person disputes his own record (申诉), within DISPUTE_DAYS, once at a time."""
    today = today or timezone.localdate()
    return (
        user.pk == record.person_id and not has_open and (today - record.date).days <= DISPUTE_DAYS
    )


def can_resolve_dispute(user, dispute) -> bool:
    """The recorder or leader of the record's team, never the person himself."""
    return (
        dispute.status == "open"
        and user.pk != dispute.person_id
        and can_record_roll(user, dispute.team)
    )


def can_check_outings(user, team) -> bool:
    """The team leader checks his team's outing slips afterwards (R-2.6)."""
    scope = scope_for(user)
    return scope.superuser or team.pk in scope.ids(Role.TEAM_LEADER)


def leads_any_team(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.TEAM_LEADER)


def can_record_patrol(user, team) -> bool:
    """Leaders patrol their area (R-2.7): the team leader and the team's
    regional managers."""
    scope = scope_for(user)
    return scope.superuser or team.pk in scope.ids(Role.TEAM_LEADER, Role.REGIONAL_MANAGER)


def patrols_any(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.TEAM_LEADER, Role.REGIONAL_MANAGER)


def can_manage_events(user, team) -> bool:
    """The leader organises training and marketing events; the recorder
    helps keep who came (R-2.5)."""
    scope = scope_for(user)
    return scope.superuser or team.pk in scope.ids(*ROLL_ROLES)


def can_export(user) -> bool:
    """Exporting is a right of its own (DESIGN): holders of a post or duty."""
    return holds_any_role(user)


def can_view_patrols(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.TEAM_LEADER, Role.REGIONAL_MANAGER, *BRANCH_ROLES)


def can_view_checks(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.TEAM_LEADER, *BRANCH_ROLES)
