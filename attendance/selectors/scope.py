"""Who sees which attendance records (R-8.1), and whose roll or sheet a user keeps."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from approvals.selectors import subject_ids_routed_to
from attendance.models import (
    AttendanceDay,
    AttendanceDispute,
    AttendanceRecord,
    CheckRound,
    EventAttendance,
    LeaveRequest,
    OutingSlip,
    Patrol,
    TeamEvent,
)
from staff.access import scope_for
from staff.models import Outlet, Posting, Role, Team, User

# Who keeps a team's roll: its 考勤员, and its leader (who also covers a
# vacancy of the recorder).
ROLL_ROLES = (Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER)
DEFAULT_START = Outlet._meta.get_field("work_start").default
DEFAULT_END = Outlet._meta.get_field("work_end").default


def visibility_q(user, model) -> Q:
    """Each attendance record as far as the user may see it (R-8.1).

    The person always sees his own; the team's leader and recorder their
    team; group leaders their group; regional managers their outlets; the
    branch's management and finance their branch. Attendance is branch
    business: HQ oversight does not see it."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    if model is AttendanceRecord:
        return scope.stamped_q(person="person", team_roles=ROLL_ROLES)
    if model is AttendanceDay:
        return scope.stamped_q(group=None, outlet=None, team_roles=ROLL_ROLES)
    if model is AttendanceDispute:
        return scope.stamped_q(person="person", group=None, outlet=None, team_roles=ROLL_ROLES)
    if model is LeaveRequest:
        q = scope.stamped_q(person="person", team_roles=ROLL_ROLES) | Q(deputy_id=user.pk)
        routed = subject_ids_routed_to(user, LeaveRequest)
        if routed:
            q |= Q(pk__in=routed)
        return q
    if model is OutingSlip:
        return scope.stamped_q(person="person", team_roles=ROLL_ROLES)
    if model is CheckRound:
        return scope.stamped_q(group=None, outlet=None)
    if model is Patrol:
        return scope.stamped_q(person="patrolled_by", group=None)
    if model is TeamEvent:
        q = scope.stamped_q(group=None, outlet=None, team_roles=ROLL_ROLES)
        if user.team_id:
            q |= Q(team_id=user.team_id)
        return q | Q(pk__in=EventAttendance.objects.filter(person=user).values("event_id"))
    raise TypeError(f"no attendance scope for {model!r}")


def posting_scope_q(user) -> Q:
    """People (through their dated postings) whose attendance the user may see."""
    return scope_for(user).stamped_q(person="user", team_roles=ROLL_ROLES)


def attendance_person(user, pk: int) -> User:
    """A person whose attendance the user may see (himself, or through a
    posting in his scope); anyone else is a 404."""
    people = User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=Posting.objects.filter(posting_scope_q(user)).values("user_id"))
    )
    return get_object_or_404(people.select_related("team", "outlet"), pk=pk)


def roll_teams(user) -> QuerySet[Team]:
    """Teams whose roll the user keeps: as 考勤员 or leader (a recorder
    records only his own team)."""
    scope = scope_for(user)
    teams = Team.objects.exclude(status=Team.Status.DISSOLVED).select_related("branch")
    if scope.superuser:
        return teams
    return teams.filter(pk__in=scope.ids(*ROLL_ROLES))


def sheet_teams(user) -> QuerySet[Team]:
    """Teams the user may open a monthly sheet of (rows still follow his scope)."""
    scope = scope_for(user)
    teams = Team.objects.select_related("branch").order_by("branch__code", "code")
    if scope.superuser:
        return teams
    from staff.access import BRANCH_ROLES

    q = Q(pk__in=scope.ids(*ROLL_ROLES, Role.REGIONAL_MANAGER)) | Q(
        branch_id__in=scope.ids(*BRANCH_ROLES)
    )
    if scope.has(Role.GROUP_LEADER):
        q |= Q(pk__in=scope.group_teams)
    return teams.filter(q)
