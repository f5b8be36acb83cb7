"""Leaders' patrols (R-2.7) and team training and marketing events with
who came (R-2.5, R-7.7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from attendance import selectors
from attendance.models import EventAttendance, Patrol, PatrolEntry, TeamEvent
from attendance.permissions import can_manage_events, can_record_patrol
from staff.models import Outlet, Team, User


def members_on(team: Team, day: dt.date) -> dict[int, User]:
    """The team's people on a day (today's for a day still to come)."""
    on = min(day, timezone.localdate())
    return {p.user_id: p.user for p in selectors.roll_members(team, on)}


@transaction.atomic
def record_patrol(
    *,
    actor: User,
    team: Team,
    date: dt.date,
    entries: Mapping[int, tuple[str, str]],
    outlet: Outlet | None = None,
    time: dt.time | None = None,
    notes: str = "",
) -> Patrol:
    """A leader's patrol (巡查, R-2.7): where he went and who he found where."""
    if not can_record_patrol(actor, team):
        raise ValidationError("只有团队负责人或区域经理可以登记本团队的巡查。")
    if date > timezone.localdate():
        raise ValidationError({"date": "巡查日期不能晚于今天。"})
    if outlet is not None and outlet.branch_id != team.branch_id:
        raise ValidationError({"outlet": "网点不属于该团队所在营业部。"})
    members = members_on(team, date)
    unknown = set(entries) - set(members)
    if unknown:
        raise ValidationError("巡查名单中有不属于该团队的人员。")
    valid = set(PatrolEntry.Found.values)
    if any(found not in valid for found, _ in entries.values()):
        raise ValidationError("巡查所见的选项无效。")
    if not entries and not notes.strip():
        raise ValidationError({"notes": "请登记巡查所见的人员或巡查情况。"})
    patrol = Patrol(
        team=team,
        branch_id=team.branch_id,
        outlet=outlet,
        date=date,
        time=time,
        patrolled_by=actor,
        notes=notes.strip(),
    )
    patrol.full_clean()
    patrol.save()
    PatrolEntry.objects.bulk_create(
        [
            PatrolEntry(patrol=patrol, person_id=pid, found=found, note=note.strip()[:200])
            for pid, (found, note) in entries.items()
        ]
    )
    return patrol


@transaction.atomic
def create_event(
    *,
    actor: User,
    team: Team,
    kind: str,
    topic: str,
    title: str,
    date: dt.date,
    roster: Iterable[User],
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    trainer: str = "",
    notes: str = "",
) -> TeamEvent:
    """Plans a training or marketing event with the people who must attend (R-2.5)."""
    if not can_manage_events(actor, team):
        raise ValidationError("只有团队负责人或考勤员可以组织本团队的活动。")
    roster = list(roster)
    if not roster:
        raise ValidationError({"roster": "请选择参加人员。"})
    members = members_on(team, date)
    if any(p.pk not in members for p in roster):
        raise ValidationError({"roster": "参加人员须是本团队成员。"})
    if start_time and end_time and end_time <= start_time:
        raise ValidationError({"end_time": "结束时间须晚于开始时间。"})
    event = TeamEvent(
        team=team,
        branch_id=team.branch_id,
        kind=kind,
        topic=topic,
        title=title.strip(),
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        trainer=trainer.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    event.full_clean()
    event.save()
    bulk_create_with_history(
        [EventAttendance(event=event, person=p) for p in roster],
        EventAttendance,
        default_user=actor,
        default_change_reason="列入名单",
    )
    return event


@transaction.atomic
def record_event_attendance(
    *,
    actor: User,
    event: TeamEvent,
    statuses: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
) -> TeamEvent:
    """Records who came (R-2.5); a later change is kept in each row's history."""
    event = (
        TeamEvent.objects.select_for_update(of=("self",)).select_related("team").get(pk=event.pk)
    )
    if not can_manage_events(actor, event.team):
        raise ValidationError("只有团队负责人或考勤员可以登记到场情况。")
    if event.date > timezone.localdate():
        raise ValidationError("活动尚未举行，不能登记到场情况。")
    notes = notes or {}
    allowed = {
        EventAttendance.Status.PRESENT,
        EventAttendance.Status.EXCUSED,
        EventAttendance.Status.ABSENT,
    }
    rows = list(event.roster.all())
    changed = []
    for row in rows:
        status = statuses.get(row.person_id)
        if status is None:
            continue
        if status not in allowed:
            raise ValidationError("到场情况的选项无效。")
        note = (notes.get(row.person_id) or "").strip()[:200]
        if row.status != status or row.note != note:
            row.status, row.note = status, note
            changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            EventAttendance,
            fields=["status", "note"],
            default_user=actor,
            default_change_reason="登记到场",
        )
    event.attendance_recorded = True
    event.save(update_fields=["attendance_recorded"])
    return event
