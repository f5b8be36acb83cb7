"""What a user may do in the visits chapter (pure predicates, used by views
and templates alike; the services check them again)."""

from __future__ import annotations

from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role
from staff.permissions import holds_any_role

# Posts that lead client managers: they see the chapter's leader pages.
LEADER_ROLES = (
    Role.TEAM_LEADER,
    Role.GROUP_LEADER,
    Role.REGIONAL_MANAGER,
    Role.BRANCH_MANAGER,
    Role.DEPUTY_MANAGER,
)


def files_visits(user) -> bool:
    """Anyone posted to a branch logs visits to its clients (client
    managers, and leaders who call on big clients themselves)."""
    return bool(user.is_authenticated and user.branch_id and user.team_id) or user.is_superuser


def leads_visits(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(*LEADER_ROLES)


def leads_team(user, team_id: int | None) -> bool:
    scope = scope_for(user)
    return scope.superuser or (team_id is not None and team_id in scope.ids(Role.TEAM_LEADER))


def manages_branch(user, branch_id: int | None) -> bool:
    scope = scope_for(user)
    return scope.superuser or (branch_id is not None and branch_id in scope.ids(*BRANCH_MANAGEMENT))


def leads(user, *, team_id: int | None, branch_id: int | None) -> bool:
    """The team's leader or the branch management."""
    return leads_team(user, team_id) or manages_branch(user, branch_id)


def can_edit_visit(user, visit) -> bool:
    """The visitor amends his log until the month is submitted; pending and
    verified months are read-only (R-7.1)."""
    return user.pk == visit.visitor_id and not (visit.submission and visit.submission.locked)


def can_raise_followup(user, visit) -> bool:
    return user.pk == visit.visitor_id or leads(
        user, team_id=visit.team_id, branch_id=visit.branch_id
    )


def can_move_followup(user, followup) -> bool:
    """Its owner (the visitor, 谁走访谁督办) chases it; the team leader and the
    branch management may move it too."""
    if followup.status == "closed":
        return False
    return user.pk == followup.owner_id or leads(
        user, team_id=followup.team_id, branch_id=followup.branch_id
    )


def can_edit_plan(user, plan) -> bool:
    return user.pk == plan.manager_id and plan.status == "planned"


def can_submit_month(user) -> bool:
    return files_visits(user)


def can_reassign(user) -> bool:
    """Team leaders reassign their team's clients; the branch management any
    client of the branch (R-7.5)."""
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.TEAM_LEADER, *BRANCH_MANAGEMENT)


def can_draft_team_report(user, team) -> bool:
    return leads_team(user, team.pk)


def can_draft_branch_report(user, branch) -> bool:
    return manages_branch(user, branch.pk)


def drafts_reports(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.TEAM_LEADER, *BRANCH_MANAGEMENT)


def can_edit_report(user, report) -> bool:
    if not report.editable:
        return False
    if report.level == "team":
        return leads_team(user, report.team_id)
    return manages_branch(user, report.branch_id)


def can_view_reports(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.hq or scope.has(Role.TEAM_LEADER, *BRANCH_MANAGEMENT)


def can_edit_company_settings(user) -> bool:
    """Tiers and the company default: system administrators."""
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.HQ_ADMIN)


def can_edit_branch_settings(user, branch_id: int) -> bool:
    return can_edit_company_settings(user) or manages_branch(user, branch_id)


def can_view_settings(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.HQ_ADMIN, *BRANCH_MANAGEMENT)


def can_export(user) -> bool:
    """Exporting is a right of positions and duties (DESIGN)."""
    return holds_any_role(user)
