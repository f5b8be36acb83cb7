"""Writes of the daily roll: saving a team's day, corrections with a reason,
disputes, and the leave and slips that fill records in by themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from approvals.notify import notify
from attendance import rules, selectors
from attendance.models import (
    AttendanceDay,
    AttendanceDispute,
    AttendanceRecord,
    LeaveRequest,
    OutingSlip,
)
from attendance.permissions import DISPUTE_DAYS, can_record_roll, can_resolve_dispute
from attendance.selectors import RollRow
from staff import calendar
from staff.models import Role, Team, User
from staff.selectors import holders

Status = AttendanceRecord.Status
MAX_OVERTIME = Decimal(16)

# The fields the roll computes; a correction compares and rewrites only these.
COMPUTED = (
    "status",
    "arrived_at",
    "late_minutes",
    "left_at",
    "early_minutes",
    "left_post",
    "overtime_hours",
    "leave",
    "leave_kind",
    "leave_half",
    "outing_slip",
    "present_days",
    "leave_days",
    "absent_days",
    "note",
)


@dataclass(frozen=True)
class RollEntry:
    """What the recorder says about one person on one day. Present by default."""

    status: str = Status.PRESENT
    arrived_at: dt.time | None = None
    left_at: dt.time | None = None
    left_post: bool = False
    overtime_hours: Decimal = Decimal(0)
    note: str = ""

    @classmethod
    def of(cls, record: AttendanceRecord) -> RollEntry:
        return cls(
            status=Status.ABSENT if record.status == Status.ABSENT else Status.PRESENT,
            arrived_at=record.arrived_at,
            left_at=record.left_at,
            left_post=record.left_post,
            overtime_hours=record.overtime_hours,
            note=record.note,
        )


def check_entry(entry: RollEntry, name: str) -> None:
    if entry.status not in (Status.PRESENT, Status.ABSENT):
        raise ValidationError(f"{name}：出勤情况只能是出勤或旷工（请假由批准的请假单自动填入）。")
    hours = Decimal(entry.overtime_hours or 0)
    if hours < 0 or hours > MAX_OVERTIME or (hours * 2) % 1:
        raise ValidationError(f"{name}：加班小时须在 0 到 16 之间，以半小时为单位。")
    if entry.arrived_at and entry.left_at and entry.left_at <= entry.arrived_at:
        raise ValidationError(f"{name}：离岗时间须晚于到岗时间。")


def compute(row: RollRow, entry: RollEntry) -> dict:
    """The record's values from the recorder's entry and what filled itself
    in (approved leave, a filed slip). Lateness and early leave are measured
    against the outlet's hours (R-2.3); on a half-day leave the half taken
    off is not measured."""
    leave = row.leave
    portion = row.leave_portion if leave else Decimal(0)
    values = {
        "leave": leave,
        "leave_kind": leave.kind if leave else "",
        "leave_half": row.leave_off if leave and portion < 1 else "",
        "leave_days": portion,
        "outing_slip": row.slip,
        "note": entry.note.strip()[:200],
        "arrived_at": None,
        "left_at": None,
        "late_minutes": 0,
        "early_minutes": 0,
        "left_post": False,
        "overtime_hours": Decimal(0),
    }
    if portion >= 1:
        return {**values, "status": Status.LEAVE, "present_days": 0, "absent_days": 0}
    rest = rules.ONE - portion
    if entry.status == Status.ABSENT:
        return {**values, "status": Status.ABSENT, "present_days": 0, "absent_days": rest}
    values.update(
        status=Status.PRESENT,
        present_days=rest,
        absent_days=Decimal(0),
        arrived_at=entry.arrived_at,
        left_at=entry.left_at,
        left_post=bool(entry.left_post),
        overtime_hours=Decimal(entry.overtime_hours or 0),
    )
    if row.leave_off != rules.AM:
        values["late_minutes"] = rules.minutes_late(entry.arrived_at, row.work_start)
    if row.leave_off != rules.PM:
        values["early_minutes"] = rules.minutes_early(entry.left_at, row.work_end)
    return values


def _differs(record: AttendanceRecord, values: dict) -> bool:
    for name, value in values.items():
        if name in ("leave", "outing_slip"):
            if getattr(record, f"{name}_id") != (value.pk if value is not None else None):
                return True
        elif getattr(record, name) != value:
            return True
    return False


def _assign(record: AttendanceRecord, values: dict) -> None:
    for name, value in values.items():
        setattr(record, name, value)


@transaction.atomic
def save_roll(
    *,
    actor: User,
    team: Team,
    day: dt.date,
    entries: Mapping[int, RollEntry],
    reason: str = "",
) -> AttendanceDay:
    """Saves a team's day in one transaction (R-2.2). Everyone posted to the
    team that day gets a record, present unless an entry says otherwise.
    Saving an already saved day is a correction: it needs a reason, and
    only the records that change are rewritten, each with the reason in its
    history."""
    if not can_record_roll(actor, team):
        raise ValidationError("只有该团队的考勤员或团队负责人可以记录考勤。")
    if day > timezone.localdate():
        raise ValidationError({"day": "不能记录未来日期的考勤。"})
    if not calendar.is_working_day(day):
        raise ValidationError({"day": f"{day:%Y-%m-%d} 不是工作日，无需记录考勤。"})
    Team.objects.select_for_update().get(pk=team.pk)  # one save of a team at a time
    reason = reason.strip()
    record_day = AttendanceDay.objects.filter(team=team, date=day).first()
    if record_day is not None and not reason:
        raise ValidationError({"reason": "该日考勤已保存过，更正须填写原因。"})
    rows = selectors.roll_rows(team, day)
    names = {r.person.pk: r.person.name for r in rows}
    unknown = set(entries) - set(names)
    if unknown:
        raise ValidationError("提交的人员不在该日团队名单中，请刷新页面后重试。")
    for pid, entry in entries.items():
        check_entry(entry, names[pid])
    now = timezone.now()
    if record_day is None:
        record_day = AttendanceDay(
            team=team,
            branch_id=team.branch_id,
            date=day,
            provisional=calendar.is_provisional(day),
            recorded_by=actor,
        )
        record_day._history_user = actor
        record_day.save()
    else:
        record_day.revision += 1
        record_day.last_reason = reason[:200]
        record_day._history_user = actor
        record_day._change_reason = reason
        record_day.save(update_fields=["revision", "last_reason", "updated_at"])
    new, changed = [], []
    for row in rows:
        if row.foreign:
            continue
        values = compute(row, entries.get(row.person.pk, RollEntry()))
        if row.record is None:
            posting = row.posting
            new.append(
                AttendanceRecord(
                    day=record_day,
                    person=row.person,
                    date=day,
                    branch_id=team.branch_id,
                    team=team,
                    group_id=posting.group_id,
                    outlet_id=posting.outlet_id,
                    work_start=row.work_start,
                    work_end=row.work_end,
                    updated_by=actor,
                    updated_at=now,
                    **values,
                )
            )
        elif _differs(row.record, values):
            _assign(row.record, values)
            row.record.updated_by = actor
            row.record.updated_at = now
            changed.append(row.record)
    # Entries are validated above; a per-record full_clean() would query
    # every foreign key of every member.
    bulk_create_with_history(
        new, AttendanceRecord, default_user=actor, default_change_reason=reason or "记录考勤"
    )
    if changed:
        bulk_update_with_history(
            changed,
            AttendanceRecord,
            fields=[*COMPUTED, "updated_by", "updated_at"],
            default_user=actor,
            default_change_reason=reason,
        )
    return record_day


def _row_for(record: AttendanceRecord, *, leave: LeaveRequest | None = None) -> RollRow:
    """A roll row rebuilt from a saved record, to recompute it."""
    leave = leave if leave is not None else record.leave
    row = RollRow(
        person=record.person,
        posting=None,
        work_start=record.work_start,
        work_end=record.work_end,
        slip=record.outing_slip,
        record=record,
    )
    if leave is not None and leave.status == LeaveRequest.Status.APPROVED:
        row.leave_portion, row.leave_off = selectors.leave_on(leave, record.date)
        row.leave = leave if row.leave_portion else None
    return row


@transaction.atomic
def correct_record(
    *, actor: User, record: AttendanceRecord, entry: RollEntry, reason: str
) -> AttendanceRecord:
    """Corrects one saved record; the reason is kept in its history."""
    record = (
        AttendanceRecord.objects.select_for_update(of=("self",))
        .select_related("team", "person", "leave", "outing_slip")
        .get(pk=record.pk)
    )
    if not can_record_roll(actor, record.team):
        raise ValidationError("只有该团队的考勤员或团队负责人可以更正考勤。")
    if not reason.strip():
        raise ValidationError({"reason": "更正考勤须填写原因。"})
    check_entry(entry, record.person.name)
    values = compute(_row_for(record), entry)
    if not _differs(record, values):
        raise ValidationError("考勤记录没有变化。")
    _assign(record, values)
    record.updated_by = actor
    record._history_user = actor
    record._change_reason = reason.strip()
    record.save()
    return record


def apply_leave(*, actor: User, leave: LeaveRequest) -> int:
    """Approved leave fills in days already recorded (sick leave filed
    afterwards, or a roll saved before the approval). Returns how many
    records changed."""
    records = list(
        AttendanceRecord.objects.select_for_update(of=("self",))
        .select_related("person", "leave", "outing_slip")
        .filter(person=leave.person, date__range=(leave.start_date, leave.end_date))
    )
    changed = []
    for record in records:
        values = compute(_row_for(record, leave=leave), RollEntry.of(record))
        if _differs(record, values):
            _assign(record, values)
            record.updated_by = actor
            record.updated_at = timezone.now()
            changed.append(record)
    if changed:
        bulk_update_with_history(
            changed,
            AttendanceRecord,
            fields=[*COMPUTED, "updated_by", "updated_at"],
            default_user=actor,
            default_change_reason=f"请假获批自动填入：{leave.get_kind_display()} {leave.period_label}",
        )
    return len(changed)


def link_slip(*, actor: User, slip: OutingSlip) -> int:
    """A slip filed after the day's roll was saved marks the day as outing."""
    start = timezone.localtime(slip.planned_out).date()
    end = timezone.localtime(slip.planned_back).date()
    records = list(
        AttendanceRecord.objects.select_for_update(of=("self",)).filter(
            person=slip.person, date__range=(start, end), outing_slip__isnull=True
        )
    )
    for record in records:
        record.outing_slip = slip
        record.updated_by = actor
        record.updated_at = timezone.now()
    if records:
        bulk_update_with_history(
            records,
            AttendanceRecord,
            fields=["outing_slip", "updated_by", "updated_at"],
            default_user=actor,
            default_change_reason=f"出访单 {slip.number} 自动填入",
        )
    return len(records)


# -- disputes (申诉) ------------------------------------------------------------------


def _keepers(team: Team) -> list[User]:
    return list(holders(Role.ATTENDANCE_RECORDER, team=team)) + list(
        holders(Role.TEAM_LEADER, team=team)
    )


@transaction.atomic
def file_dispute(*, actor: User, record: AttendanceRecord, reason: str) -> AttendanceDispute:
    """A person disputes his own record; the team's recorder and leader are told."""
    record = (
        AttendanceRecord.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=record.pk)
    )
    if actor.pk != record.person_id:
        raise ValidationError("只能对本人的考勤记录提出申诉。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明申诉理由。"})
    if (timezone.localdate() - record.date).days > DISPUTE_DAYS:
        raise ValidationError(f"考勤日期已超过 {DISPUTE_DAYS} 天，不能再申诉。")
    if record.disputes.filter(status=AttendanceDispute.Status.OPEN).exists():
        raise ValidationError("该记录已有待处理的申诉。")
    dispute = AttendanceDispute(
        record=record,
        person=actor,
        branch_id=record.branch_id,
        team_id=record.team_id,
        reason=reason.strip(),
    )
    dispute.full_clean()
    dispute._history_user = actor
    dispute.save()
    notify(
        [u for u in _keepers(record.team) if u.pk != actor.pk],
        title=f"考勤申诉：{actor.name} {record.date:%Y-%m-%d}",
        body=dispute.reason,
        url=record.get_absolute_url(),
    )
    return dispute


@transaction.atomic
def resolve_dispute(
    *,
    actor: User,
    dispute: AttendanceDispute,
    accept: bool,
    resolution: str,
    entry: RollEntry | None = None,
) -> AttendanceDispute:
    """The recorder or leader accepts (correcting the record) or rejects a dispute."""
    dispute = (
        AttendanceDispute.objects.select_for_update(of=("self",))
        .select_related("team", "record", "person")
        .get(pk=dispute.pk)
    )
    if dispute.status != AttendanceDispute.Status.OPEN:
        raise ValidationError("该申诉已处理。")
    if not can_resolve_dispute(actor, dispute):
        raise ValidationError(
            "只有该团队的考勤员或团队负责人可以处理申诉（本人不能处理自己的申诉）。"
        )
    if not resolution.strip():
        raise ValidationError({"resolution": "请填写处理意见。"})
    if accept and entry is not None:
        current = RollEntry.of(dispute.record)
        if entry != current:
            correct_record(
                actor=actor,
                record=dispute.record,
                entry=entry,
                reason=f"申诉采纳：{resolution.strip()}",
            )
    dispute.status = (
        AttendanceDispute.Status.ACCEPTED if accept else AttendanceDispute.Status.REJECTED
    )
    dispute.resolution = resolution.strip()
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute._history_user = actor
    dispute.save()
    notify(
        [dispute.person],
        title=f"您的考勤申诉{'已采纳' if accept else '未采纳'}：{dispute.record.date:%Y-%m-%d}",
        body=dispute.resolution,
        url=dispute.get_absolute_url(),
    )
    return dispute
