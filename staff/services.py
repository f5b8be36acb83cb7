"""Writes to the organisation: people, postings, roles, status, calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staff.access import forget_scope
from staff.models import (
    ROLE_SCOPE,
    Branch,
    CalendarDay,
    CalendarYear,
    Department,
    Group,
    Level,
    Outlet,
    Posting,
    Role,
    RoleAssignment,
    Scope,
    Team,
    User,
)

POSTING_FIELDS = ("branch", "department", "team", "group", "outlet", "level")
# The fields that decide where a person works and who sees him (scope).
UNIT_FIELDS = ("branch", "department", "team", "group", "outlet")
FUTURE_MOVE_REFUSED = "生效日期不能晚于今天；请在生效当天办理调动。"

# Chapter apps react to moves and status changes (e.g. assets opens a
# handover when a person leaves or moves outlet) without the base layer
# importing them. Listeners run inside the same transaction.
PostingListener = Callable[..., None]
_posting_listeners: list[PostingListener] = []
_status_listeners: list[Callable[..., None]] = []


def register_posting_listener(listener: PostingListener) -> None:
    """``listener(*, actor, user, old: Posting | None, new: Posting)`` after a move."""
    if listener not in _posting_listeners:
        _posting_listeners.append(listener)


def register_status_listener(listener: Callable[..., None]) -> None:
    """``listener(*, actor, user, old_status: str, new_status: str, on: date)``."""
    if listener not in _status_listeners:
        _status_listeners.append(listener)


def _stamp_actor(obj, actor) -> None:
    """simple-history records who made the change."""
    obj._history_user = actor


def check_org_consistency(
    *,
    branch: Branch | None,
    team: Team | None,
    group: Group | None,
    outlet: Outlet | None,
) -> None:
    errors = {}
    if team and branch and team.branch_id != branch.pk:
        errors["team"] = f"团队“{team}”不属于营业部“{branch}”。"
    if group and (team is None or group.team_id != team.pk):
        errors["group"] = "小组必须属于所选团队。"
    if outlet and branch and outlet.branch_id != branch.pk:
        errors["outlet"] = f"网点“{outlet}”不属于营业部“{branch}”。"
    if (team or outlet) and branch is None:
        errors["branch"] = "请选择营业部。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    employee_no: str,
    name: str,
    branch: Branch | None = None,
    department: Department | None = None,
    team: Team | None = None,
    group: Group | None = None,
    outlet: Outlet | None = None,
    level: Level | None = None,
    title: str = "客户经理",
    employment_type: str = User.EmploymentType.FULL_TIME,
    status: str = User.Status.ONBOARDING,
    hired_on: dt.date | None = None,
    temporary_password: str | None = None,
    **profile,
) -> User:
    """Creates a person with his first posting.

    With ``temporary_password`` he must change it at first login; without,
    the account has no usable password until one is set."""
    if team and branch is None:
        branch = team.branch
    check_org_consistency(branch=branch, team=team, group=group, outlet=outlet)
    hired_on = hired_on or timezone.localdate()
    user = User(
        employee_no=employee_no,
        name=name,
        branch=branch,
        department=department,
        team=team,
        group=group,
        outlet=outlet,
        level=level,
        title=title,
        employment_type=employment_type,
        status=status,
        hired_on=hired_on,
        **profile,
    )
    if temporary_password:
        user.set_password(temporary_password)
        user.must_change_password = True
    else:
        user.set_unusable_password()
    user.full_clean()
    _stamp_actor(user, actor)
    user.save()
    posting = Posting(
        user=user,
        valid_from=hired_on,
        reason="入职",
        created_by=actor,
        **{f: getattr(user, f) for f in POSTING_FIELDS},
    )
    posting.full_clean()
    posting.save()
    return user


@transaction.atomic
def change_posting(
    *,
    actor: User,
    user: User,
    effective_on: dt.date,
    reason: str,
    **changes,
) -> Posting:
    """Moves a person to another branch/team/group/outlet or level (R-1.7).

    The current posting ends the day before ``effective_on`` (half-open:
    ``valid_to = effective_on``) and a new one starts; the person's current
    fields follow. Changing team without naming a group leaves him
    ungrouped.

    A move of unit (branch, department, team, group, outlet) cannot be
    dated in the future: the person's current fields, and with them every
    scope, follow at once, and nothing would apply a scheduled move later.
    A level change alone may be dated ahead (a payroll review confirmed
    before the first day of the next period); pay reads levels from the
    dated postings."""
    unknown = set(changes) - set(POSTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown posting fields: {sorted(unknown)}")
    if not reason.strip():
        raise ValidationError({"reason": "请填写变动原因。"})
    user = User.objects.select_for_update().get(pk=user.pk)
    new = {f: getattr(user, f) for f in POSTING_FIELDS}
    new.update(changes)
    if "team" in changes and "group" not in changes and changes["team"] != user.team:
        new["group"] = None
    if new["team"] is not None and "branch" not in changes:
        new["branch"] = new["team"].branch
    check_org_consistency(
        branch=new["branch"], team=new["team"], group=new["group"], outlet=new["outlet"]
    )
    if all(new[f] == getattr(user, f) for f in POSTING_FIELDS):
        raise ValidationError("任职信息没有变化。")
    moves_unit = any(new[f] != getattr(user, f) for f in UNIT_FIELDS)
    if moves_unit and effective_on > timezone.localdate():
        raise ValidationError({"effective_on": FUTURE_MOVE_REFUSED})
    current = Posting.objects.select_for_update().filter(user=user, valid_to__isnull=True).first()
    if current is not None:
        if effective_on < current.valid_from:
            raise ValidationError(
                {"effective_on": f"生效日期不能早于当前任职起始日 {current.valid_from}。"}
            )
        current.valid_to = effective_on
        current.save(update_fields=["valid_to"])
    posting = Posting(user=user, valid_from=effective_on, reason=reason, created_by=actor, **new)
    posting.full_clean()
    posting.save()
    for f, value in new.items():
        setattr(user, f, value)
    _stamp_actor(user, actor)
    user._change_reason = reason
    user.save()
    forget_scope(user)
    for listener in _posting_listeners:
        listener(actor=actor, user=user, old=current, new=posting)
    return posting


@transaction.atomic
def assign_role(
    *,
    actor: User | None,
    user: User,
    role: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    branch: Branch | None = None,
    team: Team | None = None,
    group: Group | None = None,
    department: Department | None = None,
    note: str = "",
) -> RoleAssignment:
    """Gives a person a position or duty over a unit for a period."""
    scope = ROLE_SCOPE[Role(role)]
    # The branch stamp of a team/group role follows its unit, so branch-level
    # queries find every role held in the branch.
    if scope == Scope.TEAM and team is not None:
        branch, group, department = team.branch, None, None
    elif scope == Scope.GROUP and group is not None:
        team, branch, department = None, group.team.branch, None
    elif scope == Scope.BRANCH:
        team = group = department = None
    elif scope == Scope.DEPARTMENT:
        branch = team = group = None
    else:
        branch = team = group = department = None
    assignment = RoleAssignment(
        user=user,
        role=role,
        branch=branch,
        team=team,
        group=group,
        department=department,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        created_by=actor,
    )
    assignment.full_clean()
    _stamp_actor(assignment, actor)
    assignment.save()
    forget_scope(user)
    return assignment


@transaction.atomic
def end_role(*, actor: User, assignment: RoleAssignment, effective_on: dt.date) -> RoleAssignment:
    """Ends a role from ``effective_on`` (the first day he no longer holds it)."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.valid_to is not None and assignment.valid_to <= effective_on:
        raise ValidationError("该任命已经结束。")
    if effective_on < assignment.valid_from:
        raise ValidationError({"valid_to": "结束日期不能早于起始日期。"})
    assignment.valid_to = effective_on
    _stamp_actor(assignment, actor)
    assignment.save(update_fields=["valid_to"])
    forget_scope(assignment.user)
    return assignment


# -- status ------------------------------------------------------------------

STATUS_TRANSITIONS: dict[str, set[str]] = {
    User.Status.ONBOARDING: {User.Status.ACTIVE, User.Status.LEFT},
    User.Status.ACTIVE: {User.Status.LEAVING},
    User.Status.LEAVING: {User.Status.ACTIVE, User.Status.LEFT},
    User.Status.LEFT: set(),
}

# Chapter apps add conditions a status change must meet (e.g. nobody becomes
# *left* while he still holds assets); each returns the reasons it refuses.
StatusGuard = Callable[[User, str], Iterable[str]]
_status_guards: list[StatusGuard] = []


def register_status_guard(guard: StatusGuard) -> None:
    if guard not in _status_guards:
        _status_guards.append(guard)


@transaction.atomic
def change_status(*, actor: User, user: User, status: str, on: dt.date, reason: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if status not in STATUS_TRANSITIONS[user.status]:
        raise ValidationError(
            f"人员状态不能从“{user.get_status_display()}”改为“{User.Status(status).label}”。"
        )
    problems = [p for guard in _status_guards for p in guard(user, status)]
    if problems:
        raise ValidationError(problems)
    old_status = user.status
    user.status = status
    if status == User.Status.LEFT:
        user.left_on = on
        user.is_active = False
        RoleAssignment.objects.filter(user=user, valid_to__isnull=True).update(valid_to=on)
        Posting.objects.filter(user=user, valid_to__isnull=True).update(valid_to=on)
    _stamp_actor(user, actor)
    user._change_reason = reason or f"状态改为{User.Status(status).label}"
    user.save()
    for listener in _status_listeners:
        listener(actor=actor, user=user, old_status=old_status, new_status=status, on=on)
    return user


# -- calendar ----------------------------------------------------------------


@transaction.atomic
def set_calendar_year(
    *,
    actor: User | None,
    year: int,
    holidays: list[tuple[dt.date, str]],
    workdays: list[tuple[dt.date, str]],
    note: str = "",
    source: str = CalendarYear.Source.MANUAL,
) -> CalendarYear:
    """Enters (or replaces) a year's official schedule (R-2.9)."""
    errors = []
    seen: dict[dt.date, str] = {}
    for kind, days in (("放假", holidays), ("调休上班", workdays)):
        for day, _name in days:
            if day.year != year:
                errors.append(f"{day} 不属于 {year} 年。")
            if day in seen:
                errors.append(f"{day} 同时出现在“{seen[day]}”和“{kind}”中。")
            seen[day] = kind
    for day, _name in workdays:
        if day.weekday() < 5:
            errors.append(f"{day} 是工作日，无需登记为调休上班日。")
    if errors:
        raise ValidationError(errors)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=n) for d, n in holidays]
        + [CalendarDay(date=d, kind=CalendarDay.Kind.WORKDAY, name=n) for d, n in workdays]
    )
    calendar_year, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "entered_by": actor, "note": note}
    )
    return calendar_year


@transaction.atomic
def set_own_password(*, user: User, raw_password: str) -> User:
    """A person sets his own password; a temporary one no longer binds him."""
    user.set_password(raw_password)
    user.must_change_password = False
    _stamp_actor(user, user)
    user._change_reason = "修改密码"
    user.save()
    return user


TEAM_TRANSITIONS: dict[str, set[str]] = {
    Team.Status.PREPARING: {Team.Status.ACTIVE, Team.Status.DISSOLVED},
    Team.Status.ACTIVE: {Team.Status.DISSOLVED},
    Team.Status.DISSOLVED: set(),
}

# The teams chapter holds the rule that starts a team (R-1.2: preparing →
# active only once its first-year plan with 目标开户数 is approved); the base
# layer cannot read plans, so the chapter registers it here. Each guard
# returns the reasons it refuses ``team`` moving to ``status``.
TeamStatusGuard = Callable[[Team, str], Iterable[str]]
_team_status_guards: list[TeamStatusGuard] = []


def register_team_status_guard(guard: TeamStatusGuard) -> None:
    if guard not in _team_status_guards:
        _team_status_guards.append(guard)


@transaction.atomic
def set_team_status(
    *, actor: User | None, team: Team, status: str, on: dt.date, reason: str = ""
) -> Team:
    """Moves a team preparing → active → dissolved (R-1.2: a team starts
    only once its first-year plan is approved — the teams chapter's guard
    refuses it otherwise, and its approval callback is what calls this)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if status not in TEAM_TRANSITIONS[team.status]:
        raise ValidationError(
            f"团队状态不能从“{team.get_status_display()}”改为“{Team.Status(status).label}”。"
        )
    problems = [p for guard in _team_status_guards for p in guard(team, status)]
    if problems:
        raise ValidationError(problems)
    team.status = status
    if status == Team.Status.ACTIVE and team.founded_on is None:
        team.founded_on = on
    if status == Team.Status.DISSOLVED:
        team.dissolved_on = on
    team._history_user = actor
    team._change_reason = reason
    team.save()
    return team
