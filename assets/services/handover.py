"""实物交接 (R-4.3, R-1.7): when a person is marked leaving or moves to
another outlet or team, a handover lists everything he holds; the keeper
counts each line and says where it goes, the receiver confirms what he
takes over, and missing units become incidents. Nobody becomes *left*
while he still holds anything (a status guard registered with staff).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals.notify import notify
from assets.models import Handover, HandoverLine, Holding, Incident, Movement, OutletCustodian
from assets.permissions import KEEPER_ROLES, keeps
from assets.selectors import current_custodian, held_items_text
from assets.services.incidents import open_incident
from assets.services.ledger import Place, post_movement
from staff.models import Outlet, RoleAssignment, Team, User, in_force_q

D = HandoverLine.Disposition
S = HandoverLine.State
OPEN_LINE_STATES = (S.PENDING, S.COUNTED)


def _keepers(team_id: int) -> list[User]:
    ids = RoleAssignment.objects.filter(
        in_force_q(timezone.localdate()), role__in=KEEPER_ROLES, team_id=team_id
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _add_lines(handover: Handover, holdings: list[Holding]) -> int:
    present = set(
        handover.lines.filter(state__in=OPEN_LINE_STATES).values_list("item_id", "outlet_id")
    )
    new = [
        HandoverLine(handover=handover, item=h.item, outlet=h.outlet, expected=h.quantity)
        for h in holdings
        if (h.item_id, h.outlet_id) not in present
    ]
    HandoverLine.objects.bulk_create(new)
    return len(new)


def open_handovers(
    *,
    actor: User | None,
    person: User,
    reason: str,
    from_outlet: Outlet | None = None,
    to_outlet: Outlet | None = None,
    team_ids: set[int] | None = None,
    note: str = "",
) -> list[Handover]:
    """Opens (or tops up) one handover per team whose items the person holds.
    Runs inside the caller's transaction (a staff change or a keeper's
    request)."""
    holdings = list(
        Holding.objects.filter(holder=person).select_related("item", "outlet").order_by("item_id")
    )
    by_team: dict[int, list[Holding]] = defaultdict(list)
    for h in holdings:
        if team_ids is None or h.item.team_id in team_ids:
            by_team[h.item.team_id].append(h)
    opened = []
    for team_id, rows in by_team.items():
        team = Team.objects.get(pk=team_id)
        handover = (
            Handover.objects.select_for_update()
            .filter(person=person, team=team, status=Handover.Status.OPEN)
            .first()
        )
        if handover is None:
            outlet = from_outlet or person.outlet
            receiver = current_custodian(team, outlet) if outlet else None
            if receiver is not None and (receiver.pk == person.pk or receiver.team_id != team.pk):
                receiver = None
            handover = Handover(
                person=person,
                reason=reason,
                from_outlet=from_outlet,
                to_outlet=to_outlet,
                receiver=receiver,
                note=note,
                branch_id=team.branch_id,
                team=team,
                opened_by=actor,
            )
            handover.full_clean(exclude=["opened_by", "person", "receiver", "team", "branch"])
            handover._history_user = actor
            handover.save()
        elif reason != handover.reason or to_outlet:
            handover.reason = reason
            handover.to_outlet = to_outlet or handover.to_outlet
            handover._history_user = actor
            handover.save(update_fields=["reason", "to_outlet"])
        _add_lines(handover, rows)
        opened.append(handover)
        notify(
            [*_keepers(team.pk), handover.receiver],
            title=f"待办理实物交接：{person.name}（{handover.get_reason_display()}）",
            body=f"{handover.number}，共 {handover.lines.count()} 项",
            url=handover.get_absolute_url(),
        )
    return opened


@transaction.atomic
def start_handover(*, actor: User, person: User, note: str = "") -> list[Handover]:
    """A keeper opens a handover by hand (e.g. a change of duties)."""
    teams = set(Holding.objects.filter(holder=person).values_list("item__team_id", flat=True))
    teams = {t for t in teams if keeps(actor, t)}
    if not teams:
        raise ValidationError(f"{person.name} 没有保管您所管团队的实物，无需交接。")
    return open_handovers(
        actor=actor,
        person=person,
        reason=Handover.Reason.OTHER,
        from_outlet=person.outlet,
        team_ids=teams,
        note=note,
    )


def _lock(handover: Handover) -> Handover:
    return (
        Handover.objects.select_for_update(of=("self",))
        .select_related("person", "receiver")
        .get(pk=handover.pk)
    )


@transaction.atomic
def set_receiver(*, actor: User, handover: Handover, receiver: User | None) -> Handover:
    handover = _lock(handover)
    if not keeps(actor, handover.team_id) or handover.status != Handover.Status.OPEN:
        raise ValidationError("该交接单当前不能修改接收人。")
    if handover.lines.filter(state=S.COUNTED).exists():
        raise ValidationError("已有明细等待接收人确认，不能更换接收人。")
    if receiver is not None:
        if receiver.pk == handover.person_id:
            raise ValidationError({"receiver": "接收人不能是交出人本人。"})
        if receiver.team_id != handover.team_id or receiver.status not in (
            User.Status.ACTIVE,
            User.Status.ONBOARDING,
        ):
            raise ValidationError({"receiver": f"{receiver.name} 不是本团队在岗人员。"})
    handover.receiver = receiver
    handover._history_user = actor
    handover.save(update_fields=["receiver"])
    if receiver is not None:
        notify(
            [receiver],
            title=f"请确认接收实物：{handover.person.name} 的交接",
            url=handover.get_absolute_url(),
        )
    return handover


def _finish_line(line: HandoverLine, handover: Handover, actor: User) -> None:
    person = handover.person
    source = Place(line.outlet, person)
    if line.counted:
        if line.disposition == D.TO_RECEIVER:
            receiver = handover.receiver
            outlet = receiver.outlet if receiver.outlet_id else line.outlet
            kind, target = Movement.Kind.HANDOVER, Place(outlet, receiver)
        elif line.disposition == D.TO_STORE:
            kind, target = Movement.Kind.RETURN, Place(line.outlet)
        else:
            kind, target = Movement.Kind.TRANSFER, Place(handover.to_outlet, person)
        post_movement(
            actor=actor,
            item=line.item,
            kind=kind,
            quantity=line.counted,
            source=source,
            target=target,
            note=f"实物交接（{handover.number}）",
            handover=handover,
        )
    if line.missing:
        line.incident = open_incident(
            actor=actor,
            item=line.item,
            kind=Incident.Kind.LOSS,
            responsible=person,
            quantity=line.missing,
            occurred_on=timezone.localdate(),
            circumstances=f"实物交接（{handover.number}）清点时缺失 {line.missing}。",
            source=Incident.Source.HANDOVER,
            place=source,
            handover=handover,
        )
    line.state = S.DONE
    line.save()
    if not handover.lines.filter(state__in=OPEN_LINE_STATES).exists():
        handover.status = Handover.Status.DONE
        handover.completed_at = timezone.now()
        handover._history_user = actor
        handover.save(update_fields=["status", "completed_at"])
        notify(
            [person, *_keepers(handover.team_id)],
            title=f"实物交接已完成：{person.name}",
            url=handover.get_absolute_url(),
        )


@transaction.atomic
def count_line(*, actor: User, line: HandoverLine, disposition: str, counted: int) -> HandoverLine:
    """The keeper counts a line and says where it goes. A line going to the
    store, staying with the person, or found entirely missing is done at
    once; one going to a receiver waits for his confirmation."""
    handover = _lock(line.handover)
    line = HandoverLine.objects.select_related("item__category", "outlet").get(pk=line.pk)
    if not keeps(actor, handover.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以清点。")
    if actor.pk == handover.person_id:
        raise ValidationError("交出人不能清点自己的交接，请由团队负责人或另一位实物管理员清点。")
    if handover.status != Handover.Status.OPEN or line.state not in OPEN_LINE_STATES:
        raise ValidationError("该明细已办结。")
    if disposition not in D.values:
        raise ValidationError({"disposition": "请选择去向。"})
    if disposition == D.TO_RECEIVER and handover.receiver_id is None:
        raise ValidationError({"disposition": "交接单尚未指定接收人，请先指定或选择“归还库房”。"})
    if disposition == D.KEEP and not (
        handover.reason == Handover.Reason.MOVE
        and handover.to_outlet_id
        and handover.person.team_id == line.item.team_id
    ):
        raise ValidationError({"disposition": "只有在本团队内调动网点时，本人才能继续保管。"})
    if counted is None or counted < 0 or counted > line.expected:
        raise ValidationError({"counted": f"清点数量应在 0 到 {line.expected} 之间。"})
    line.disposition = disposition
    line.counted = counted
    line.keeper_by = actor
    line.keeper_at = timezone.now()
    waits = disposition == D.TO_RECEIVER and counted > 0 and handover.receiver_id != actor.pk
    if waits:
        line.state = S.COUNTED
        line.save()
        return line
    if disposition == D.TO_RECEIVER and counted > 0:
        line.receiver_by, line.receiver_at = actor, line.keeper_at
    _finish_line(line, handover, actor)
    return line


@transaction.atomic
def receive_line(*, actor: User, line: HandoverLine) -> HandoverLine:
    """The receiver confirms he has taken over a counted line."""
    handover = _lock(line.handover)
    line = HandoverLine.objects.select_related("item__category", "outlet").get(pk=line.pk)
    if handover.receiver_id != actor.pk:
        raise ValidationError("只有交接单的接收人可以确认接收。")
    if handover.status != Handover.Status.OPEN or line.state != S.COUNTED:
        raise ValidationError("该明细不在待接收状态。")
    line.receiver_by = actor
    line.receiver_at = timezone.now()
    _finish_line(line, handover, actor)
    return line


@transaction.atomic
def count_all(*, actor: User, handover: Handover, disposition: str) -> int:
    """Counts every pending line as complete, all with one disposition."""
    lines = list(handover.lines.filter(state=S.PENDING).order_by("id"))
    for line in lines:
        count_line(actor=actor, line=line, disposition=disposition, counted=line.expected)
    return len(lines)


@transaction.atomic
def receive_all(*, actor: User, handover: Handover) -> int:
    lines = list(handover.lines.filter(state=S.COUNTED).order_by("id"))
    for line in lines:
        receive_line(actor=actor, line=line)
    return len(lines)


def _cancel(handover: Handover, actor: User | None, note: str) -> None:
    handover.lines.filter(state__in=OPEN_LINE_STATES).update(state=S.CANCELLED)
    handover.status = Handover.Status.CANCELLED
    handover.note = (handover.note + " " + note).strip()[:200]
    handover._history_user = actor
    handover.save(update_fields=["status", "note"])


# -- hooks into staff changes (registered in AssetsConfig.ready) -------------------------


def _end_custodianships(user: User, on: dt.date, *, keep_team=None, keep_outlet=None) -> None:
    """He no longer keeps an outlet's assets where he no longer serves (R-4.2)."""
    rows = OutletCustodian.objects.filter(person=user, valid_to__isnull=True)
    if keep_team is not None and keep_outlet is not None:
        rows = rows.exclude(team_id=keep_team, outlet_id=keep_outlet)
    rows.update(valid_to=on)


def on_posting_changed(*, actor: User, user: User, old, new) -> None:
    """A move to another outlet or team opens a handover of what he holds."""
    if old is None or (old.outlet_id == new.outlet_id and old.team_id == new.team_id):
        return
    _end_custodianships(user, new.valid_from, keep_team=new.team_id, keep_outlet=new.outlet_id)
    if not Holding.objects.filter(holder=user).exists():
        return
    reason = Handover.Reason.LEAVING if user.status == User.Status.LEAVING else Handover.Reason.MOVE
    open_handovers(
        actor=actor,
        person=user,
        reason=reason,
        from_outlet=old.outlet,
        to_outlet=new.outlet,
        note=f"{new.valid_from} 起调动：{new.reason}"[:200],
    )


def on_status_changed(*, actor, user: User, old_status: str, new_status: str, on: dt.date) -> None:
    """Marked leaving: open a handover. Back to active: cancel what is open."""
    if new_status == User.Status.LEAVING:
        if Holding.objects.filter(holder=user).exists():
            open_handovers(
                actor=actor,
                person=user,
                reason=Handover.Reason.LEAVING,
                from_outlet=user.outlet,
                note=f"{on} 标记为离职中",
            )
    elif new_status == User.Status.LEFT:
        _end_custodianships(user, on)
    elif old_status == User.Status.LEAVING and new_status == User.Status.ACTIVE:
        for handover in Handover.objects.filter(
            person=user, status=Handover.Status.OPEN, reason=Handover.Reason.LEAVING
        ):
            _cancel(handover, actor, f"{on} 撤销离职")


def status_guard(user: User, status: str) -> list[str]:
    """Nobody becomes *left* while he still holds items (R-4.3)."""
    if status != User.Status.LEFT:
        return []
    held = held_items_text(user)
    if not held:
        return []
    return [f"{user.name} 仍保管以下实物，须先办理实物交接：{'、'.join(held)}。"]
