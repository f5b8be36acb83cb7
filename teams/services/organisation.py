"""Division of labour, groups and group leaders, moves, leaving, and the
leader's one-to-one notes (R-1.6, R-1.7, R-1.9)."""

from __future__ import annotations

import datetime as dt
import secrets
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staff import services as staff_services
from staff.models import Group, Role, RoleAssignment, Team, User, in_force_q
from teams.models import MemberDuty, OneToOneNote, Pairing
from teams.permissions import leads, manages


def temporary_password() -> str:
    """A readable temporary password (must be changed at first login)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _member(team: Team, person: User) -> None:
    if person.team_id != team.pk:
        raise ValidationError(f"{person.name} 不是本团队成员。")


@transaction.atomic
def set_duty(
    *, actor: User, team: Team, person: User, duty: str, valid_from: dt.date, note: str = ""
) -> MemberDuty:
    """A member's duty in the team; his previous duty ends the same day."""
    if not leads(actor, team):
        raise ValidationError("只有团队负责人可以安排分工。")
    _member(team, person)
    MemberDuty.objects.select_for_update().filter(
        in_force_q(valid_from), team=team, person=person
    ).update(valid_to=valid_from)
    item = MemberDuty(
        team=team, person=person, duty=duty, note=note, valid_from=valid_from, created_by=actor
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def pair_members(
    *, actor: User, team: Team, developer: User, servicer: User, valid_from: dt.date, note: str = ""
) -> Pairing:
    """开发与服务结对 (R-1.6: developing and serving clients go together)."""
    if not leads(actor, team):
        raise ValidationError("只有团队负责人可以安排结对。")
    _member(team, developer)
    _member(team, servicer)
    if developer.pk == servicer.pk:
        raise ValidationError({"servicer": "开发人员和服务人员不能是同一人。"})
    if Pairing.objects.filter(
        in_force_q(valid_from), team=team, developer=developer, servicer=servicer
    ).exists():
        raise ValidationError("这两人已经结对。")
    pairing = Pairing(
        team=team,
        developer=developer,
        servicer=servicer,
        note=note,
        valid_from=valid_from,
        created_by=actor,
    )
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def end_pairing(*, actor: User, pairing: Pairing, on: dt.date) -> Pairing:
    pairing = Pairing.objects.select_for_update().select_related("team").get(pk=pairing.pk)
    if not leads(actor, pairing.team):
        raise ValidationError("只有团队负责人可以解除结对。")
    if pairing.valid_to is not None:
        raise ValidationError("该结对已解除。")
    pairing.valid_to = max(on, pairing.valid_from)
    pairing.ended_by = actor
    pairing.ended_at = timezone.now()
    pairing.save(update_fields=["valid_to", "ended_by", "ended_at"])
    return pairing


@transaction.atomic
def create_group(*, actor: User, team: Team, name: str) -> Group:
    if not manages(actor, team):
        raise ValidationError("只有团队负责人或营业部经理可以设立小组。")
    if Group.objects.filter(team=team, name=name).exists():
        raise ValidationError({"name": f"本团队已有“{name}”。"})
    group = Group(team=team, name=name)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def appoint_group_leader(
    *, actor: User, group: Group, person: User, valid_from: dt.date
) -> RoleAssignment:
    """The new group leader's role starts; the previous one's ends (R-1.9)."""
    if not manages(actor, group.team):
        raise ValidationError("只有团队负责人或营业部经理可以任命小组长。")
    if person.group_id != group.pk:
        raise ValidationError(
            {"person": f"{person.name} 不是“{group.name}”的成员，请先调入该小组。"}
        )
    for current in RoleAssignment.objects.in_force(valid_from).filter(
        role=Role.GROUP_LEADER, group=group
    ):
        if current.user_id == person.pk:
            raise ValidationError({"person": f"{person.name} 已是组长。"})
        staff_services.end_role(actor=actor, assignment=current, effective_on=valid_from)
    return staff_services.assign_role(
        actor=actor,
        user=person,
        role=Role.GROUP_LEADER,
        group=group,
        valid_from=valid_from,
        note="团队任命",
    )


@transaction.atomic
def move_member(
    *,
    actor: User,
    person: User,
    effective_on: dt.date,
    reason: str,
    group: Group | None = None,
    outlet=None,
) -> None:
    """Moves a client manager to another group or outlet of the team (R-1.7)."""
    if person.team is None or not manages(actor, person.team):
        raise ValidationError("只有本团队负责人或营业部经理可以调整人员。")
    changes = {}
    if group is not None and group.pk != person.group_id:
        if group.team_id != person.team_id:
            raise ValidationError({"group": "只能调到本团队的小组。"})
        changes["group"] = group
    if outlet is not None and outlet.pk != person.outlet_id:
        if outlet.branch_id != person.branch_id:
            raise ValidationError({"outlet": "只能调到本营业部的网点。"})
        changes["outlet"] = outlet
    if not changes:
        raise ValidationError("请选择新的小组或网点。")
    staff_services.change_posting(
        actor=actor, user=person, effective_on=effective_on, reason=reason, **changes
    )


@transaction.atomic
def mark_leaving(*, actor: User, person: User, on: dt.date, reason: str) -> User:
    """离职中: the assets and visits chapters hook their handovers onto it."""
    if person.team is None or not manages(actor, person.team):
        raise ValidationError("只有本团队负责人或营业部经理可以办理离职。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写离职原因。"})
    return staff_services.change_status(
        actor=actor, user=person, status=User.Status.LEAVING, on=on, reason=reason
    )


@transaction.atomic
def add_person(*, actor: User, team: Team, **fields) -> tuple[User, str]:
    """Adds a person to the team with a temporary password, returned once."""
    if not manages(actor, team):
        raise ValidationError("只有团队负责人或营业部经理可以添加人员。")
    password = temporary_password()
    person = staff_services.create_person(
        actor=actor, team=team, branch=team.branch, temporary_password=password, **fields
    )
    return person, password


@transaction.atomic
def write_note(
    *, actor: User, member: User, date: dt.date, topic: str, content: str, follow_up: str = ""
) -> OneToOneNote:
    """A leader's (or group leader's) one-to-one talk with a member."""
    team = member.team
    if team is None:
        raise ValidationError({"member": "谈话对象不属于任何团队。"})
    is_group_leader = (
        member.group_id is not None
        and RoleAssignment.objects.in_force()
        .filter(user=actor, role=Role.GROUP_LEADER, group_id=member.group_id)
        .exists()
    )
    if not (leads(actor, team) or is_group_leader):
        raise ValidationError("只有团队负责人或其小组长可以记录一对一谈话。")
    if member.pk == actor.pk:
        raise ValidationError({"member": "不能与自己谈话。"})
    note = OneToOneNote(
        team=team,
        branch_id=team.branch_id,
        author=actor,
        member=member,
        date=date,
        topic=topic,
        content=content,
        follow_up=follow_up,
    )
    note.full_clean()
    note._history_user = actor
    note.save()
    return note
