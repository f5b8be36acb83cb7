"""The morning meeting's roll call checked against the day's attendance.

The attendance chapter owns the day's records, approved leave and outing
slips; meetings reads them only through ``attendance.selectors`` and only in
:func:`attendance_facts`, which turns its rows into :class:`DayFact` — the few
facts the comparison needs. Should attendance offer a narrower selector
later, only that function changes (docs/decisions-meetings.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetings.models import AbsenceReason


@dataclass(frozen=True)
class DayFact:
    """What attendance knows about one person of the team on one day."""

    person_id: int
    recorded: bool = False  # the day's roll holds a record for him
    status: str = ""  # present / absent / leave (the record's status)
    late: bool = False
    leave_label: str = ""  # an approved leave covering the day, e.g. "事假"
    full_day_leave: bool = False
    outing: bool = False  # an outing slip covering the day


def attendance_facts(team, day: dt.date) -> dict[int, DayFact]:
    """The day's attendance facts for everyone posted to the team, by person id.

    Reads ``attendance.selectors.roll_rows`` (five queries whatever the size
    of the team)."""
    from attendance.selectors import roll_rows

    facts = {}
    for row in roll_rows(team, day):
        record = row.record
        leave = row.leave
        facts[row.person.pk] = DayFact(
            person_id=row.person.pk,
            recorded=record is not None,
            status=record.status if record is not None else "",
            late=bool(record is not None and record.late_minutes > 0),
            leave_label=leave.get_kind_display() if leave is not None else "",
            full_day_leave=bool(row.full_leave),
            outing=row.slip is not None,
        )
    return facts


@dataclass(frozen=True)
class Finding:
    person_id: int
    level: str  # "danger": roll and attendance disagree; "info": worth a look
    message: str


def compare(marks: dict[int, tuple[bool, str]], facts: dict[int, DayFact]) -> list[Finding]:
    """Compares the roll call (person id → (present, reason)) with the day's
    attendance facts. Pure: no database access."""
    out: list[Finding] = []
    for pid, (present, reason) in marks.items():
        fact = facts.get(pid)
        if fact is None:
            out.append(Finding(pid, "info", "当日不在团队考勤名单中"))
            continue
        if present:
            if fact.status == "leave" or (not fact.recorded and fact.full_day_leave):
                label = fact.leave_label or "请假"
                out.append(Finding(pid, "danger", f"点名为出席，但考勤为{label}"))
            elif fact.status == "absent":
                out.append(Finding(pid, "danger", "点名为出席，但考勤为旷工"))
            continue
        if reason == AbsenceReason.LEAVE and not fact.leave_label:
            out.append(Finding(pid, "danger", "点名为请假，但当日没有批准的请假单"))
        elif reason == AbsenceReason.OUTING and not fact.outing:
            out.append(Finding(pid, "danger", "点名为外出，但当日没有出访单"))
        elif reason == AbsenceReason.LATE and fact.recorded and not fact.late:
            out.append(Finding(pid, "danger", "点名为迟到，但考勤未记迟到"))
        elif (
            reason in (AbsenceReason.UNEXCUSED, AbsenceReason.OTHER)
            and fact.status == "present"
            and not fact.late
        ):
            out.append(Finding(pid, "info", "缺席会议，但考勤为正常出勤"))
    for pid in facts.keys() - marks.keys():
        out.append(Finding(pid, "info", "在团队考勤名单中，但未列入点名"))
    return out


def cross_check(meeting, marks: dict[int, tuple[bool, str]]) -> dict:
    """The cross-check of a meeting's roll: findings by person and whether
    the day's attendance has been saved yet."""
    facts = attendance_facts(meeting.team, meeting.date)
    findings = compare(marks, facts)
    by_person: dict[int, list[Finding]] = {}
    for finding in findings:
        by_person.setdefault(finding.person_id, []).append(finding)
    return {
        "recorded": any(f.recorded for f in facts.values()),
        "findings": findings,
        "by_person": by_person,
        "mismatches": sum(1 for f in findings if f.level == "danger"),
        "missing_ids": sorted(facts.keys() - marks.keys()),
    }
