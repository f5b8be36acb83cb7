"""What a user may do in the meetings chapter (pure predicates, used by views
and templates alike; the services check them again)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from meetings import rules
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role
from staff.permissions import holds_any_role

# Team posts that keep a team's minutes besides its members.
KEEPER_ROLES = (Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER, Role.REGIONAL_MANAGER)


def can_file_meeting(user, team) -> bool:
    """A team's meetings are recorded by its members (whoever hosts or keeps
    the minutes that day), its leader, 考勤员 and regional managers."""
    if team.status == "preparing":
        return False
    scope = scope_for(user)
    return scope.superuser or user.team_id == team.pk or team.pk in scope.ids(*KEEPER_ROLES)


def files_any(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(user.team_id) or scope.has(*KEEPER_ROLES)


def leads(user, team_id: int) -> bool:
    scope = scope_for(user)
    return scope.superuser or team_id in scope.ids(Role.TEAM_LEADER)


def manages(user, team_id: int, branch_id: int) -> bool:
    """The team's leader or its branch's management."""
    scope = scope_for(user)
    return leads(user, team_id) or branch_id in scope.ids(*BRANCH_MANAGEMENT)


def can_edit_meeting(user, meeting, *, today: dt.date | None = None) -> bool:
    """Within seven days of the meeting (R-3.3): whoever recorded it, its
    host, and the team leader."""
    today = today or timezone.localdate()
    if not rules.is_editable(meeting.date, today):
        return False
    return user.pk in (meeting.recorded_by_id, meeting.host_id) or leads(user, meeting.team_id)


def can_update_action(user, item) -> bool:
    """An action item's status is moved, at any time, by its owner, the
    team leader and the branch management."""
    return user.pk == item.owner_id or manages(user, item.team_id, item.branch_id)


def can_cancel_action(user, item) -> bool:
    return manages(user, item.team_id, item.branch_id)


def can_export(user) -> bool:
    return holds_any_role(user)


def sees_compliance_overview(user) -> bool:
    """The overview of all teams' misses: leaders, regional managers, branch
    management and HQ oversight."""
    scope = scope_for(user)
    return scope.sees_everything or scope.has(*KEEPER_ROLES, *BRANCH_MANAGEMENT)
