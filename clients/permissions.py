from staff.access import BRANCH_ROLES, scope_for
from staff.models import Role
from staff.permissions import holds_any_role


def can_view_clients(user) -> bool:
    """Whether the client registry has anything for him (navigation)."""
    scope = scope_for(user)
    return bool(
        scope.superuser
        or user.team_id
        or scope.ids(*BRANCH_ROLES, Role.TEAM_LEADER, Role.GROUP_LEADER)
        or scope.outlets
    )


def can_export_clients(user) -> bool:
    """Exporting the client list is a right of leaders and branch staff."""
    return holds_any_role(user)


def can_import_crm(user, branch) -> bool:
    """Branch finance staff and the chief accountant import and review (R-5.1)."""
    scope = scope_for(user)
    return scope.superuser or branch.pk in scope.ids(Role.FINANCE, Role.CHIEF_ACCOUNTANT)
