"""Reads about people and the organisation shared by views and exports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.registry import SearchHit
from staff.models import (
    Branch,
    Group,
    Posting,
    Role,
    RoleAssignment,
    Team,
    User,
    in_force_q,
)


def people_for(user) -> QuerySet[User]:
    """The staff directory as the user may see it."""
    return User.objects.visible_to(user).shaped()


def person_detail(user, pk: int) -> User:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(people_for(user), pk=pk)


def postings_of(person: User) -> QuerySet[Posting]:
    return (
        Posting.objects.filter(user=person)
        .select_related("branch", "department", "team", "group", "outlet", "level", "created_by")
        .order_by("-valid_from", "-id")
    )


def roles_of(person: User) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=person)
        .select_related("branch", "team", "group__team", "department", "created_by")
        .order_by("-valid_from", "-id")
    )


def holders(role: str, *, on: dt.date | None = None, **unit) -> QuerySet[User]:
    """People holding ``role`` over a unit (team=…, branch=…, group=…) on a day."""
    on = on or timezone.localdate()
    filters = {f"role_assignments__{k}": v for k, v in unit.items()}
    return (
        User.objects.filter(
            in_force_q(on, "role_assignments__"), role_assignments__role=role, **filters
        )
        .distinct()
        .order_by("employee_no")
    )


def team_leader(team: Team, *, on: dt.date | None = None) -> User | None:
    return holders(Role.TEAM_LEADER, team=team, on=on).first()


def org_branches(user) -> list[Branch]:
    """The branches of the org chart the user may see, in code order."""
    return list(Branch.objects.visible_to(user).order_by("code"))


def org_tree(user, branches: list[Branch] | None = None) -> list[dict]:
    """Branch → teams → groups → members, as far as the user may see.

    Members are the visible people; teams and groups come from the user's
    org scope so an empty group still shows. Four queries whatever the size.
    ``branches`` limits the tree to those (one page of a company-wide chart).
    """
    today = timezone.localdate()
    if branches is None:
        branches = org_branches(user)
    teams = list(Team.objects.visible_to(user).filter(branch__in=branches).order_by("code"))
    groups = list(Group.objects.visible_to(user).filter(team__in=teams).order_by("name"))
    leaders = defaultdict(list)
    leader_rows = (
        RoleAssignment.objects.in_force(today)
        .filter(
            Q(role=Role.TEAM_LEADER, team__in=teams) | Q(role=Role.GROUP_LEADER, group__in=groups)
        )
        .select_related("user")
    )
    for ra in leader_rows:
        leaders[(ra.role, ra.team_id or ra.group_id)].append(ra.user)
    members = (
        User.objects.visible_to(user)
        .filter(team__in=teams)
        .exclude(status=User.Status.LEFT)
        .select_related("level", "outlet")
        .order_by("employee_no")
    )
    by_group: dict[int | None, list] = defaultdict(list)
    ungrouped: dict[int, list] = defaultdict(list)
    for m in members:
        if m.group_id:
            by_group[m.group_id].append(m)
        else:
            ungrouped[m.team_id].append(m)
    groups_by_team = defaultdict(list)
    for g in groups:
        groups_by_team[g.team_id].append(
            {
                "group": g,
                "leaders": leaders.get((Role.GROUP_LEADER, g.pk), []),
                "members": by_group.get(g.pk, []),
            }
        )
    teams_by_branch = defaultdict(list)
    for t in teams:
        teams_by_branch[t.branch_id].append(
            {
                "team": t,
                "leaders": leaders.get((Role.TEAM_LEADER, t.pk), []),
                "groups": groups_by_team.get(t.pk, []),
                "ungrouped": ungrouped.get(t.pk, []),
                "size": sum(len(g["members"]) for g in groups_by_team.get(t.pk, []))
                + len(ungrouped.get(t.pk, [])),
            }
        )
    return [{"branch": b, "teams": teams_by_branch.get(b.pk, [])} for b in branches]


def current_roles(user) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.in_force()
        .filter(user=user)
        .select_related("branch", "team", "group__team", "department")
    )


def search_people(user, query: str, limit: int):
    """People by name, 工号 or phone, within the user's scope (nav search)."""
    rows = (
        User.objects.visible_to(user)
        .filter(Q(employee_no__icontains=query) | Q(name__icontains=query) | Q(phone=query))
        .select_related("branch", "team", "department")
        .order_by("status", "employee_no")[:limit]
    )
    return [
        SearchHit(
            title=f"{u.name}（{u.employee_no}）",
            url=u.get_absolute_url(),
            detail=" · ".join(
                x
                for x in (
                    u.team.name if u.team else "",
                    u.department.name if u.department else "",
                    u.branch.name if u.branch else "",
                    u.get_status_display(),
                )
                if x
            ),
        )
        for u in rows
    ]
