"""Who sees what (R-8.1, DESIGN: who sees what).

A user's scope is computed once per request from his role assignments in
force today and his own posting, and cached on the user object. Every
scoped queryset's ``visible_to(user)`` turns it into a ``Q`` on the record's
org stamp (branch/team/group/outlet/person), so a person's transfer does not
carry his old team's records to his new leader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from staff.models import Branch, Department, Group, Outlet, Role, RoleAssignment, Team

# Branch-level positions that see the branch's people and figures.
BRANCH_ROLES = (
    Role.BRANCH_MANAGER,
    Role.DEPUTY_MANAGER,
    Role.CHIEF_ACCOUNTANT,
    Role.FINANCE,
    Role.ARCHIVE_CLERK,
)
BRANCH_MANAGEMENT = (Role.BRANCH_MANAGER, Role.DEPUTY_MANAGER)
# Team duties that need to see the team's people (not its clients).
TEAM_DUTIES = (Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER, Role.ASSET_KEEPER)
# Roles that see ID and bank numbers in full for their branch.
IDENTITY_ROLES = (Role.CHIEF_ACCOUNTANT, Role.FINANCE, Role.ARCHIVE_CLERK)
# HQ departments whose members see all branches for plans, filings and
# filed payroll sheets, and the whole staff directory.
HQ_OVERSIGHT_DEPARTMENTS = (Department.Code.OFFICE, Department.Code.CHANNEL)

_EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True)
class UserScope:
    user_id: int | None
    superuser: bool = False
    hq: bool = False
    roles: dict[str, frozenset[int]] = field(default_factory=dict)
    department_codes: frozenset[str] = _EMPTY
    outlets: frozenset[int] = _EMPTY  # outlets he covers as regional manager
    own_branch: int | None = None
    own_team: int | None = None
    own_group: int | None = None
    own_outlet: int | None = None
    # Units reached through a narrower role, for the org tree.
    team_branches: frozenset[int] = _EMPTY
    group_teams: frozenset[int] = _EMPTY

    # -- role questions ---------------------------------------------------
    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def ids(self, *roles: str) -> frozenset[int]:
        out: set[int] = set()
        for role in roles:
            out |= self.roles.get(role, _EMPTY)
        return frozenset(out)

    @property
    def sees_everything(self) -> bool:
        return self.superuser or self.hq

    def in_department(self, code: str) -> bool:
        return code in self.department_codes

    # -- records about people ---------------------------------------------
    def stamped_q(
        self,
        *,
        person: str | None = None,
        branch: str | None = "branch",
        team: str | None = "team",
        group: str | None = "group",
        outlet: str | None = "outlet",
        branch_roles: tuple[str, ...] = BRANCH_ROLES,
        team_roles: tuple[str, ...] = (Role.TEAM_LEADER,),
        hq: bool = False,
    ) -> Q:
        """Records stamped with an org unit (and usually a person).

        ``person`` names the field holding the person the record is about;
        he always sees his own. Leaders see their unit's stamps; regional
        managers the stamps of outlets they cover. ``hq`` lets HQ oversight
        see every branch.
        """
        if self.superuser or (hq and self.hq):
            return Q()
        q = Q(pk__in=[])
        if person and self.user_id:
            q |= Q(**{f"{person}_id": self.user_id})
        if branch and (ids := self.ids(*branch_roles)):
            q |= Q(**{f"{branch}_id__in": ids})
        if team and (ids := self.ids(*team_roles)):
            q |= Q(**{f"{team}_id__in": ids})
        if group and (ids := self.ids(Role.GROUP_LEADER)):
            q |= Q(**{f"{group}_id__in": ids})
        if outlet and self.outlets:
            q |= Q(**{f"{outlet}_id__in": self.outlets})
        return q

    def people_q(self) -> Q:
        """The staff directory: HQ oversight sees everyone; department
        members see their department; everyone sees himself."""
        if self.sees_everything:
            return Q()
        q = self.stamped_q(team_roles=TEAM_DUTIES) | Q(pk=self.user_id)
        if ids := self.ids(Role.HQ_MEMBER):
            q |= Q(department_id__in=ids)
        return q

    def clients_q(self) -> Q:
        """Clients by their current owner's stamp; HQ sees none (clients are
        branch business, shown to HQ only through documents routed to it)."""
        if self.superuser:
            return Q()
        return self.stamped_q(person="manager", hq=False)

    # -- org units ----------------------------------------------------------
    def branch_ids(self) -> frozenset[int]:
        own = {self.own_branch} if self.own_branch else set()
        return frozenset(own) | self.ids(*BRANCH_ROLES) | self.team_branches

    def team_ids(self) -> frozenset[int]:
        own = {self.own_team} if self.own_team else set()
        return frozenset(own) | self.ids(*TEAM_DUTIES, Role.REGIONAL_MANAGER) | self.group_teams

    def org_unit_q(self, model) -> Q:
        if self.sees_everything:
            return Q()
        branches, teams = self.branch_ids(), self.team_ids()
        if model is Branch:
            return Q(pk__in=branches)
        if model is Team:
            return Q(pk__in=teams) | Q(branch_id__in=self.ids(*BRANCH_ROLES))
        if model is Group:
            return (
                Q(pk__in=self.ids(Role.GROUP_LEADER))
                | Q(pk=self.own_group)
                | Q(team_id__in=self.ids(*TEAM_DUTIES))
                | Q(team__branch_id__in=self.ids(*BRANCH_ROLES))
            )
        if model is Outlet:
            return (
                Q(pk__in=self.outlets)
                | Q(pk=self.own_outlet)
                | Q(branch_id__in=self.ids(*BRANCH_ROLES))
                | Q(branch_id__in=self.team_branches)
            )
        raise TypeError(f"no org scope for {model!r}")


def build_scope(user) -> UserScope:
    if user is None or not user.is_authenticated:
        return UserScope(user_id=None)
    today = timezone.localdate()
    roles: dict[str, set[int]] = {}
    department_codes: set[str] = set()
    team_branches: set[int] = set()
    group_teams: set[int] = set()
    assignments = (
        RoleAssignment.objects.in_force(today)
        .filter(user=user)
        .values_list(
            "role",
            "branch_id",
            "team_id",
            "team__branch_id",
            "group_id",
            "group__team_id",
            "group__team__branch_id",
            "department_id",
            "department__code",
        )
    )
    for (
        role,
        branch,
        team,
        team_branch,
        group,
        group_team,
        group_branch,
        dept,
        dept_code,
    ) in assignments:
        unit = team or group or branch or dept or 0
        roles.setdefault(role, set()).add(unit)
        if team_branch:
            team_branches.add(team_branch)
        if group_team:
            group_teams.add(group_team)
            team_branches.add(group_branch)
        if dept_code:
            department_codes.add(dept_code)
    hq = bool(
        roles.keys() & {Role.VP, Role.HQ_ADMIN} or department_codes & set(HQ_OVERSIGHT_DEPARTMENTS)
    )
    outlets = frozenset(Outlet.objects.filter(regional_manager=user).values_list("pk", flat=True))
    return UserScope(
        user_id=user.pk,
        superuser=user.is_superuser,
        hq=hq,
        roles={role: frozenset(ids) for role, ids in roles.items()},
        department_codes=frozenset(department_codes),
        outlets=outlets,
        own_branch=user.branch_id,
        own_team=user.team_id,
        own_group=user.group_id,
        own_outlet=user.outlet_id,
        team_branches=frozenset(team_branches),
        group_teams=frozenset(group_teams),
    )


def scope_for(user) -> UserScope:
    """The user's scope, computed once per user object (i.e. per request)."""
    cached = getattr(user, "_portal_scope", None)
    if cached is None:
        cached = build_scope(user)
        if user is not None and user.is_authenticated:
            user._portal_scope = cached
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles changed."""
    if user is not None and hasattr(user, "_portal_scope"):
        del user._portal_scope


def admin_site_allowed(request) -> bool:
    """The Django admin: superusers, and HQ system administrators (系统管理员)
    who were also given admin access (``is_staff``). Everyone else, including
    a branch manager with ``is_staff`` set by mistake, is sent to the login
    page of the admin."""
    user = request.user
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and scope_for(user).has(Role.HQ_ADMIN))
