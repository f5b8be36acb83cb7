"""Who takes part in a step, resolved when the step starts.

Nobody approves his own request: where the resolved approver is the
submitter (or, on a four-eyes step, the preparer), or the post is vacant,
the step goes one level up the ESCALATION chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from approvals.models import ChosenParticipant, FlowStep, Request
from staff.models import ROLE_SCOPE, Department, Role, RoleAssignment, Scope, User, in_force_q

ESCALATION: dict[str, str | None] = {
    Role.GROUP_LEADER: Role.TEAM_LEADER,
    Role.REGIONAL_MANAGER: Role.TEAM_LEADER,
    Role.ATTENDANCE_RECORDER: Role.TEAM_LEADER,
    Role.ASSET_KEEPER: Role.TEAM_LEADER,
    Role.TEAM_LEADER: Role.BRANCH_MANAGER,
    Role.FINANCE: Role.CHIEF_ACCOUNTANT,
    Role.CHIEF_ACCOUNTANT: Role.BRANCH_MANAGER,
    Role.ARCHIVE_CLERK: Role.BRANCH_MANAGER,
    Role.DEPUTY_MANAGER: Role.BRANCH_MANAGER,
    Role.BRANCH_MANAGER: Role.VP,
    Role.VP: None,
    Role.HQ_ADMIN: None,
    Role.HQ_MEMBER: None,
}

# Order used to find a named person's own post when he must be escalated.
ROLE_RANK = [
    Role.VP,
    Role.BRANCH_MANAGER,
    Role.DEPUTY_MANAGER,
    Role.CHIEF_ACCOUNTANT,
    Role.TEAM_LEADER,
    Role.REGIONAL_MANAGER,
    Role.GROUP_LEADER,
    Role.FINANCE,
    Role.ARCHIVE_CLERK,
]


@dataclass(frozen=True)
class Participant:
    user: User | None = None
    department: Department | None = None
    escalated_from: str = ""
    # True for holders of a post resolved from a role: any one acts for it.
    post: bool = False


def _unit_filter(role: str, request: Request) -> dict:
    scope = ROLE_SCOPE[Role(role)]
    if scope == Scope.TEAM:
        return {"team_id": request.team_id}
    if scope == Scope.GROUP:
        return {"group_id": request.group_id}
    if scope == Scope.BRANCH:
        return {"branch_id": request.branch_id}
    return {}


def holders(role: str, request: Request, on: dt.date) -> list[User]:
    """People holding ``role`` over the request's unit on ``on``."""
    unit = _unit_filter(role, request)
    if any(v is None for v in unit.values()):
        return []
    user_ids = (
        RoleAssignment.objects.filter(in_force_q(on), role=role, **unit)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("employee_no"))


def barred(step: FlowStep, request: Request) -> set[int]:
    """Who may never act on ``step``: the submitter, and on a four-eyes step
    the preparer."""
    excluded = {request.submitter_id}
    if step.four_eyes and request.prepared_by_id:
        excluded.add(request.prepared_by_id)
    return excluded


def _by_role(step: FlowStep, role: str, request: Request, on: dt.date) -> list[Participant]:
    excluded = barred(step, request)
    current: str | None = role
    note = ""
    while current is not None:
        people = [u for u in holders(current, request, on) if u.pk not in excluded]
        if people:
            return [Participant(user=u, escalated_from=note, post=True) for u in people]
        note = note or Role(role).label
        current = ESCALATION.get(current)
    raise ValidationError(
        f"无法确定“{step.name}”的审批人：{Role(role).label}空缺或为申请人本人，"
        "且上级岗位也无人可审批。请先在系统中任命相应岗位。"
    )


def _own_post(user: User, request: Request, on: dt.date) -> str | None:
    roles = set(
        RoleAssignment.objects.filter(in_force_q(on), user=user).values_list("role", flat=True)
    )
    for role in ROLE_RANK:
        if role in roles:
            return role
    return None


def resolve(step: FlowStep, request: Request, on: dt.date) -> list[Participant]:
    if step.rule == FlowStep.Rule.SUBMITTER_ROLE:
        return _by_role(step, step.role, request, on)
    if step.rule == FlowStep.Rule.DEPARTMENTS:
        departments = list(step.departments.order_by("code"))
        if not departments:
            raise ValidationError(f"流程步骤“{step.name}”没有配置总部部门。")
        return [Participant(department=d) for d in departments]
    if step.rule == FlowStep.Rule.PERSON:
        person = step.person
        if person is None:
            raise ValidationError(f"流程步骤“{step.name}”没有指定审批人。")
        if person.pk not in barred(step, request):
            return [Participant(user=person)]
        post = _own_post(person, request, on)
        above = ESCALATION.get(post) if post else Role.TEAM_LEADER
        if above is None:
            raise ValidationError(f"“{step.name}”的指定审批人是申请人本人，且无上级可审批。")
        return [
            Participant(user=p.user, escalated_from=person.name, post=True)
            for p in _by_role(step, above, request, on)
        ]
    # Chosen at run time by the previous step's approver.
    chosen = ChosenParticipant.objects.filter(
        request=request, step=step, round=request.round, active=True
    ).select_related("department", "user")
    participants = [Participant(user=c.user, department=c.department) for c in chosen]
    if not participants:
        raise ValidationError(f"“{step.name}”的参与部门或人员尚未指定。")
    excluded = barred(step, request)
    if any(p.user is not None and p.user.pk in excluded for p in participants):
        raise ValidationError("不能指定申请人本人（或材料编制人）参与审批。")
    return participants
