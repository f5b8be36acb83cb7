"""What a user may do with assets (pure predicates, used by views,
templates and services alike)."""

from __future__ import annotations

from staff.access import scope_for
from staff.models import Role
from staff.permissions import holds_any_role

# The team leader is accountable; the keeper keeps the register.
KEEPER_ROLES = (Role.TEAM_LEADER, Role.ASSET_KEEPER)
# Branch positions that see every team's register: management, and the
# accountants who value assets and deduct charges.
BRANCH_VIEW_ROLES = (
    Role.BRANCH_MANAGER,
    Role.DEPUTY_MANAGER,
    Role.CHIEF_ACCOUNTANT,
    Role.FINANCE,
)


def _team_id(team) -> int | None:
    return team if isinstance(team, int) or team is None else team.pk


def keeps(user, team) -> bool:
    """The team's 实物管理员 and its leader record movements (R-4.3)."""
    scope = scope_for(user)
    return scope.superuser or _team_id(team) in scope.ids(*KEEPER_ROLES)


def kept_team_ids(user) -> frozenset[int]:
    return scope_for(user).ids(*KEEPER_ROLES)


def keeps_any(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.ids(*KEEPER_ROLES))


def uses_assets(user) -> bool:
    """Who has the 实物 section: team members (what they hold), keepers and
    leaders, branch management and accountants. HQ sees no branch's assets."""
    scope = scope_for(user)
    return (
        scope.superuser
        or bool(user.team_id)
        or bool(scope.ids(*KEEPER_ROLES, *BRANCH_VIEW_ROLES, Role.GROUP_LEADER))
        or bool(scope.outlets)
    )


def can_record_movement(user, item) -> bool:
    return keeps(user, item.team_id)


def can_export_register(user) -> bool:
    """Exporting is a right of its own: positions and duties may export what
    they see; a plain client manager may not."""
    return holds_any_role(user)


def can_print_labels(user) -> bool:
    return keeps_any(user)


# -- handover ---------------------------------------------------------------------


def can_manage_handover(user, handover) -> bool:
    return handover.status == "open" and keeps(user, handover.team_id)


def can_count_line(user, line) -> bool:
    return (
        can_manage_handover(user, line.handover)
        and user.pk != line.handover.person_id
        and line.state in ("pending", "counted")
    )


def can_receive_line(user, line) -> bool:
    handover = line.handover
    return (
        handover.status == "open"
        and handover.receiver_id == user.pk
        and line.state == "counted"
        and line.disposition == "receiver"
    )


# -- incidents --------------------------------------------------------------------


def can_report_incident(user, item) -> bool:
    return keeps(user, item.team_id)


def can_edit_incident(user, incident, locked: bool) -> bool:
    return (
        not locked
        and keeps(user, incident.team_id)
        and incident.status in ("draft", "rejected", "withdrawn")
    )


# -- stock-taking --------------------------------------------------------------------


def can_run_stocktake(user, stocktake) -> bool:
    return stocktake.status == "open" and keeps(user, stocktake.team_id)
