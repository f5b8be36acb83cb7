"""The daily roll: who is on it, what filled itself in, saved records and disputes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from attendance import rules
from attendance.models import (
    AttendanceDay,
    AttendanceDispute,
    AttendanceRecord,
    LeaveRequest,
    OutingSlip,
)
from attendance.selectors.scope import (
    DEFAULT_END,
    DEFAULT_START,
    ROLL_ROLES,
)
from staff.access import scope_for
from staff.models import Posting, Team, User, in_force_q


@dataclass
class RollRow:
    person: User
    posting: Posting
    work_start: dt.time
    work_end: dt.time
    leave: LeaveRequest | None = None
    leave_portion: Decimal = Decimal(0)
    leave_off: str = ""
    slip: OutingSlip | None = None
    record: AttendanceRecord | None = None
    foreign: bool = False  # recorded by another team (moved that day)

    @property
    def full_leave(self) -> bool:
        return self.leave is not None and self.leave_portion >= 1


def roll_members(team: Team, day: dt.date) -> list[Posting]:
    """Everyone posted to the team on the day (R-2.1), with his outlet."""
    return list(
        Posting.objects.filter(in_force_q(day), team=team)
        .select_related("user", "outlet", "group")
        .order_by("user__employee_no")
    )


def approved_leaves(person_ids, start: dt.date, end: dt.date) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(
        person_id__in=person_ids,
        status=LeaveRequest.Status.APPROVED,
        start_date__lte=end,
        end_date__gte=start,
    ).order_by("start_date", "id")


def slips_between(person_ids, start: dt.date, end: dt.date) -> QuerySet[OutingSlip]:
    return OutingSlip.objects.filter(
        person_id__in=person_ids, planned_out__date__lte=end, planned_back__date__gte=start
    ).order_by("planned_out", "id")


def leave_on(leave: LeaveRequest, day: dt.date) -> tuple[Decimal, str]:
    portion = rules.leave_portions(
        leave.start_date, leave.start_half, leave.end_date, leave.end_half, [day]
    )
    return portion.get(day, (Decimal(0), ""))


def roll_rows(team: Team, day: dt.date) -> list[RollRow]:
    """The roll screen: every member, with approved leave and filed slips
    filled in and his saved record if any. Five queries whatever the size."""
    postings = roll_members(team, day)
    ids = [p.user_id for p in postings]
    leaves = {lv.person_id: lv for lv in approved_leaves(ids, day, day)}
    slips: dict[int, OutingSlip] = {}
    for slip in slips_between(ids, day, day):
        slips.setdefault(slip.person_id, slip)
    records = {
        r.person_id: r
        for r in AttendanceRecord.objects.filter(person_id__in=ids, date=day)
        .select_related("leave", "outing_slip")
        .annotate(
            open_dispute=Exists(
                AttendanceDispute.objects.filter(
                    record=OuterRef("pk"), status=AttendanceDispute.Status.OPEN
                )
            )
        )
    }
    rows = []
    for posting in postings:
        outlet = posting.outlet
        row = RollRow(
            person=posting.user,
            posting=posting,
            work_start=outlet.work_start if outlet else DEFAULT_START,
            work_end=outlet.work_end if outlet else DEFAULT_END,
            slip=slips.get(posting.user_id),
            record=records.get(posting.user_id),
        )
        leave = leaves.get(posting.user_id)
        if leave is not None:
            row.leave_portion, row.leave_off = leave_on(leave, day)
            row.leave = leave if row.leave_portion else None
        if row.record is not None and row.record.team_id != team.pk:
            row.foreign = True
        rows.append(row)
    return rows


def roll_day(team: Team, day: dt.date) -> AttendanceDay | None:
    return AttendanceDay.objects.filter(team=team, date=day).select_related("recorded_by").first()


def roll_corrections(team: Team, day: dt.date) -> list:
    """Every change made to the day's records after they were first saved."""
    return list(
        AttendanceRecord.history.filter(team_id=team.pk, date=day, history_type="~")
        .select_related("history_user", "person")
        .order_by("-history_date")[:200]
    )


def records_for(user) -> QuerySet[AttendanceRecord]:
    return AttendanceRecord.objects.visible_to(user).select_related(
        "person", "team", "leave", "outing_slip", "updated_by"
    )


# The columns of the daily-records export, read as plain tuples: a year of a
# branch is hundreds of thousands of rows, too many for model instances.
RECORD_EXPORT_FIELDS = (
    "date",
    "person__employee_no",
    "person__name",
    "branch__name",
    "team__name",
    "work_start",
    "work_end",
    "status",
    "arrived_at",
    "late_minutes",
    "left_at",
    "early_minutes",
    "left_post",
    "overtime_hours",
    "leave_kind",
    "leave_days",
    "present_days",
    "absent_days",
    "outing_slip_id",
    "outing_slip__filed_at",
    "note",
)


def records_between(user, start: dt.date, end: dt.date, team: Team | None = None):
    """The records the user may see from ``start`` to ``end`` (inclusive),
    one tuple per record in RECORD_EXPORT_FIELDS order, streamed from the
    database in chunks (constant memory)."""
    qs = AttendanceRecord.objects.visible_to(user).filter(date__range=(start, end))
    if team is not None:
        qs = qs.filter(team=team)
    return (
        qs.order_by("date", "team_id", "person__employee_no")
        .values_list(*RECORD_EXPORT_FIELDS)
        .iterator(chunk_size=5000)
    )


def record_detail(user, pk: int) -> AttendanceRecord:
    return get_object_or_404(records_for(user), pk=pk)


def disputes_for(user) -> QuerySet[AttendanceDispute]:
    return AttendanceDispute.objects.visible_to(user).select_related(
        "person", "team", "record", "resolved_by"
    )


def open_disputes_to_resolve(user) -> QuerySet[AttendanceDispute]:
    scope = scope_for(user)
    qs = AttendanceDispute.objects.filter(status=AttendanceDispute.Status.OPEN).exclude(person=user)
    if not scope.superuser:
        qs = qs.filter(team_id__in=scope.ids(*ROLL_ROLES))
    return qs
