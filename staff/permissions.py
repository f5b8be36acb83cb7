"""What a user may do with people and the organisation (pure predicates)."""

from __future__ import annotations

from staff.access import IDENTITY_ROLES, scope_for
from staff.models import Role


def can_view_identity(viewer, person) -> bool:
    """ID and bank numbers in full: the person himself, and his branch's
    finance, chief accountant and archive clerk (R-8.6). Everyone else sees
    the last four digits."""
    if viewer.is_superuser or viewer.pk == person.pk:
        return True
    return person.branch_id in scope_for(viewer).ids(*IDENTITY_ROLES)


def holds_any_role(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles)


def can_export_people(user) -> bool:
    """Exporting is a right of its own: people who hold a position or duty
    may export what they can see; a plain client manager may not."""
    return holds_any_role(user)


def can_view_org_chart(user) -> bool:
    return user.is_authenticated


def can_manage_calendar(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.HQ_ADMIN)


def can_view_directory(user) -> bool:
    return user.is_authenticated
