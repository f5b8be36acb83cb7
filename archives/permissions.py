"""Who sees and changes what in the archives (R-8.1), as pure predicates.

Files: a person sees his own; his team leader his team's; the archive
clerk (交易管理岗) and the branch management (经理, 副经理) their branch's;
HQ 人力资源部 every branch's. Slips: the client manager his own, the team
leader his team's, the archive clerk and branch management their branch's.
Monthly archives: the archive clerk and branch management of the branch.
"""

from __future__ import annotations

from django.db.models import Q

from staff.access import scope_for
from staff.models import Department, Role
from staff.permissions import holds_any_role

ARCHIVE_BRANCH_ROLES = (Role.ARCHIVE_CLERK, Role.BRANCH_MANAGER, Role.DEPUTY_MANAGER)
MANAGEMENT = (Role.BRANCH_MANAGER, Role.DEPUTY_MANAGER)


def _ids(user, *roles) -> frozenset[int]:
    return scope_for(user).ids(*roles)


def sees_all_files(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.in_department(Department.Code.HR)


# -- scope as Q objects ------------------------------------------------------------


def files_q(user, prefix: str = "") -> Q:
    """People (``prefix=""`` on User) or records about a person
    (``prefix="person__"``) whose file the user may read. Scoped by the
    person's current posting: the file follows him when he moves."""
    scope = scope_for(user)
    if sees_all_files(user):
        return Q()
    q = Q(pk__in=[])
    if scope.user_id:
        q |= Q(**{f"{prefix}pk": scope.user_id})
    if ids := scope.ids(*ARCHIVE_BRANCH_ROLES):
        q |= Q(**{f"{prefix}branch_id__in": ids})
    if ids := scope.ids(Role.TEAM_LEADER):
        q |= Q(**{f"{prefix}team_id__in": ids})
    return q


def slips_q(user) -> Q:
    scope = scope_for(user)
    return scope.stamped_q(
        person="manager",
        branch="branch",
        team="team",
        group=None,
        outlet=None,
        branch_roles=ARCHIVE_BRANCH_ROLES,
        team_roles=(Role.TEAM_LEADER,),
    )


def archives_q(user) -> Q:
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    return Q(branch_id__in=scope.ids(*ARCHIVE_BRANCH_ROLES))


# -- navigation ------------------------------------------------------------------------


def uses_archives(user) -> bool:
    """The 档案 section: everyone with a place in a branch (his own file and
    slips), HQ 人力资源部 (every file) and administrators."""
    scope = scope_for(user)
    return bool(scope.superuser or user.branch_id or sees_all_files(user) or scope.roles)


def oversees_files(user) -> bool:
    """Sees other people's files: leaders, the clerk, management, HQ HR."""
    scope = scope_for(user)
    return sees_all_files(user) or bool(scope.ids(*ARCHIVE_BRANCH_ROLES, Role.TEAM_LEADER))


def uses_slips(user) -> bool:
    scope = scope_for(user)
    return bool(
        scope.superuser or user.team_id or scope.ids(*ARCHIVE_BRANCH_ROLES, Role.TEAM_LEADER)
    )


def oversees_slips(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.ids(*ARCHIVE_BRANCH_ROLES, Role.TEAM_LEADER))


def uses_monthly_archive(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.ids(*ARCHIVE_BRANCH_ROLES))


def can_export(user) -> bool:
    """Exporting is a right of positions and duties, never of a plain client manager."""
    return holds_any_role(user)


# -- personnel files --------------------------------------------------------------------


def is_clerk_of(user, branch_id: int | None) -> bool:
    scope = scope_for(user)
    return scope.superuser or (branch_id is not None and branch_id in scope.ids(Role.ARCHIVE_CLERK))


def leads_team(user, team_id: int | None) -> bool:
    return team_id is not None and team_id in _ids(user, Role.TEAM_LEADER)


def manages_branch(user, branch_id: int | None) -> bool:
    return branch_id is not None and branch_id in _ids(user, *MANAGEMENT)


def can_upload_document(user, person) -> bool:
    """The archive clerk keeps the files; the team leader hands in what he
    collected at recruitment."""
    return is_clerk_of(user, person.branch_id) or leads_team(user, person.team_id)


def can_verify_document(user, person) -> bool:
    """The designated person who checks certificates at recruitment (R-6.3)
    is the branch's archive clerk, never the person himself."""
    return user.pk != person.pk and is_clerk_of(user, person.branch_id)


def can_edit_paper_location(user, person) -> bool:
    return is_clerk_of(user, person.branch_id)


def can_record_reward(user, person) -> bool:
    """奖惩 are entered by the team leader or the archive clerk (and the
    branch management, who decide most of them)."""
    if user.pk == person.pk:
        return False
    return (
        is_clerk_of(user, person.branch_id)
        or leads_team(user, person.team_id)
        or manages_branch(user, person.branch_id)
    )


def can_manage_contracts(user, person) -> bool:
    if user.pk == person.pk:
        return False
    return is_clerk_of(user, person.branch_id) or manages_branch(user, person.branch_id)


def can_activate(user, person) -> bool:
    if user.pk == person.pk:
        return False
    return (
        is_clerk_of(user, person.branch_id)
        or manages_branch(user, person.branch_id)
        or leads_team(user, person.team_id)
    )


# -- slips ------------------------------------------------------------------------------


def can_issue_slips(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.ids(Role.ARCHIVE_CLERK, Role.TEAM_LEADER))


def can_issue_slip_for(user, manager) -> bool:
    """The archive clerk for his branch's client managers; the team leader
    for his team's. Nobody confirms a client for himself."""
    if user.pk == manager.pk:
        return False
    return is_clerk_of(user, manager.branch_id) or leads_team(user, manager.team_id)


def can_void_slip(user, slip) -> bool:
    if slip.status != "confirmed":
        return False
    return (
        is_clerk_of(user, slip.branch_id)
        or manages_branch(user, slip.branch_id)
        or leads_team(user, slip.team_id)
    )


# -- monthly archive --------------------------------------------------------------------


def can_close_month(user, branch_id: int) -> bool:
    return is_clerk_of(user, branch_id)


def closable_branch_ids(user) -> frozenset[int] | None:
    """Branches whose months the user closes; None means every branch."""
    scope = scope_for(user)
    if scope.superuser:
        return None
    return scope.ids(Role.ARCHIVE_CLERK)
