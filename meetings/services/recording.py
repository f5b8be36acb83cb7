"""Recording a meeting with its roll call, problems, competitor information
and action items (R-3.1, R-3.2); correcting it within seven days (R-3.3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from meetings import permissions, rules, selectors
from meetings.models import (
    MINUTES_FIELDS,
    AbsenceReason,
    CompetitorNote,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    MeetingProblem,
)
from meetings.services.actions import _carry_over, _save_actions
from meetings.services.entries import (
    CONTENT_FIELDS,
    MORNING_FIELDS,
    ActionEntry,
    CompetitorEntry,
    Mark,
    ProblemEntry,
    ReviewEntry,
)
from staff.models import Team, User

# Recording locks the team row so that two people filing the same meeting
# at once get "already recorded" rather than a database error. The flag and
# the hook exist for the PostgreSQL race test only.
_LOCK_TEAMS = True


def _after_read(team) -> None:
    """Called between the duplicate check and the insert (a test hook)."""


# -- checks ----------------------------------------------------------------------


def _check_roll(roll: Mapping[int, Mark], members: dict[int, User]) -> list[MeetingAttendee]:
    unknown = set(roll) - set(members)
    if unknown:
        raise ValidationError("点名中有不在该日团队名单中的人员，请刷新页面后重试。")
    lines = []
    for pid, person in members.items():
        mark = roll.get(pid, Mark())
        note = mark.note.strip()[:200]
        if mark.present:
            lines.append(MeetingAttendee(person=person, present=True, reason="", note=note))
            continue
        if mark.reason not in AbsenceReason.values:
            raise ValidationError({"roll": f"{person.name}：缺席须选择原因。"})
        if mark.reason == AbsenceReason.OTHER and not note:
            raise ValidationError({"roll": f"{person.name}：缺席原因为“其他”时请写明说明。"})
        lines.append(MeetingAttendee(person=person, present=False, reason=mark.reason, note=note))
    return lines


def _check_people(team: Team, day: dt.date, host: User, members: dict[int, User], actions):
    allowed = None
    if host.pk not in members:
        allowed = selectors.leader_ids(team, day)
        if host.pk not in allowed:
            raise ValidationError({"host": "主持人须为该日团队成员、团队负责人或营业部负责人。"})
    for entry in actions:
        if entry.owner.pk in members:
            continue
        if allowed is None:
            allowed = selectors.leader_ids(team, day)
        if entry.owner.pk not in allowed:
            raise ValidationError({"actions": f"“{entry.description}”的负责人须为团队成员。"})


def _check_content(kind: str, content: Mapping[str, str]) -> dict[str, str]:
    values = {name: (content.get(name) or "").strip() for name in CONTENT_FIELDS}
    if kind == MeetingKind.MORNING:
        if not any(values[name] for name in MORNING_FIELDS):
            raise ValidationError("请至少填写晨会五项内容中的一项。")
        for name in MINUTES_FIELDS:
            values[name] = ""
    else:
        if not values["minutes"]:
            raise ValidationError({"minutes": "请填写会议纪要。"})
        for name in MORNING_FIELDS:
            values[name] = ""
    return values


def _check_period(kind: str, day: dt.date, summary_month: dt.date | None) -> dt.date:
    if kind == MeetingKind.MONTHLY and summary_month is not None:
        month = rules.month_start(summary_month)
        if month not in rules.summary_months(day):
            raise ValidationError(
                {
                    "summary_month": f"{day:%m月%d日}召开的月度总结例会只能总结本月"
                    f"或（{rules.MONTHLY_GRACE_DAYS} 日前）上月。"
                }
            )
        return month
    return rules.period_of(kind, day)


def _entries_check(problems, competitors, actions) -> None:
    for p in problems:
        if not p.description.strip():
            raise ValidationError({"problems": "请填写提出的问题。"})
    for c in competitors:
        if not c.competitor.strip() or not c.action.strip():
            raise ValidationError({"competitors": "竞争对手信息须写明对手及其动态。"})
    for a in actions:
        if not a.description.strip():
            raise ValidationError({"actions": "请填写待办事项内容。"})


def _snapshot(team: Team, kind: str, day: dt.date, period_start: dt.date) -> dict:
    if kind == MeetingKind.MORNING:
        return {}
    month = selectors.progress_month(kind, day, period_start)
    return selectors.progress_snapshot(selectors.team_progress(team, month.year), month)


# -- recording a meeting ----------------------------------------------------------------


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    team: Team,
    kind: str,
    date: dt.date,
    host: User,
    content: Mapping[str, str],
    roll: Mapping[int, Mark],
    start_time: dt.time | None = None,
    place: str = "",
    summary_month: dt.date | None = None,
    problems: Sequence[ProblemEntry] = (),
    competitors: Sequence[CompetitorEntry] = (),
    actions: Sequence[ActionEntry] = (),
    reviews: Mapping[int, ReviewEntry] | None = None,
) -> Meeting:
    """Records a team's meeting (R-3.1, R-3.2): one per team per day (晨会),
    week (周例会) or summed-up month (月度总结例会). The roll call lists
    everyone posted to the team that day. A meeting may be recorded up to
    seven days late, the same window in which it can be corrected; open
    action items of earlier meetings are carried into weekly and monthly
    meetings, and the meeting may move their status."""
    today = timezone.localdate()
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "会议类型不正确。"})
    if not permissions.can_file_meeting(actor, team):
        raise ValidationError("只有团队成员和团队负责人可以记录本团队的会议。")
    if date > today:
        raise ValidationError({"date": "不能记录尚未召开的会议。"})
    if not rules.is_editable(date, today):
        raise ValidationError({"date": f"只能补录 {rules.EDIT_DAYS} 天内召开的会议。"})
    if team.status == Team.Status.DISSOLVED and team.dissolved_on and date >= team.dissolved_on:
        raise ValidationError({"date": "团队已撤销。"})
    if kind == MeetingKind.MORNING and not team.holds_morning_meetings:
        raise ValidationError({"kind": "晨会制度只适用于营业部团队。"})
    if kind == MeetingKind.MORNING:
        summary_month = None
    period_start = _check_period(kind, date, summary_month)
    if _LOCK_TEAMS:  # one recording of a team at a time (tests/pg/test_meetings_race.py)
        Team.objects.select_for_update().get(pk=team.pk)
    found = selectors.existing(team, kind, period_start)
    _after_read(team)
    if found is not None:
        label = MeetingKind(kind).label
        when = {
            MeetingKind.MORNING: f"{date:%Y-%m-%d}",
            MeetingKind.WEEKLY: f"{period_start:%m月%d日}这一周",
            MeetingKind.MONTHLY: f"{period_start:%Y年%m月}",
        }[kind]
        raise ValidationError({"date": f"{team.name}{when}的{label}已经记录过了。"})
    values = _check_content(kind, content)
    members = {p.pk: p for p in selectors.roster(team, date)}
    lines = _check_roll(roll, members)
    if kind == MeetingKind.MORNING:
        problems, competitors, actions, reviews = (), (), (), None
    _entries_check(problems, competitors, actions)
    _check_people(team, date, host, members, actions)

    meeting = Meeting(
        team=team,
        branch_id=team.branch_id,
        kind=kind,
        date=date,
        period_start=period_start,
        start_time=start_time,
        place=place.strip()[:100],
        host=host,
        recorded_by=actor,
        progress_snapshot=_snapshot(team, kind, date, period_start),
        **values,
    )
    meeting.full_clean()
    meeting._history_user = actor
    meeting.save()
    for line in lines:
        line.meeting = meeting
    bulk_create_with_history(lines, MeetingAttendee, default_user=actor)
    _save_problems(actor, meeting, problems)
    _save_competitors(actor, meeting, competitors)
    _save_actions(actor, meeting, actions)
    if kind != MeetingKind.MORNING:
        _carry_over(actor, meeting, reviews or {})
    return meeting


def _save_problems(actor, meeting, problems, existing=None) -> None:
    existing = existing or {}
    new, changed = [], []
    for entry in problems:
        row = existing.pop(entry.pk, None) if entry.pk else None
        values = {
            "description": entry.description.strip(),
            "solution": entry.solution.strip(),
            "solved": bool(entry.solved),
        }
        if row is None:
            new.append(MeetingProblem(meeting=meeting, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    bulk_create_with_history(new, MeetingProblem, default_user=actor)
    if changed:
        bulk_update_with_history(
            changed, MeetingProblem, ["description", "solution", "solved"], default_user=actor
        )
    for row in existing.values():  # removed in a correction; the history keeps it
        row._history_user = actor
        row.delete()


def _save_competitors(actor, meeting, competitors, existing=None) -> None:
    existing = existing or {}
    new, changed = [], []
    for entry in competitors:
        row = existing.pop(entry.pk, None) if entry.pk else None
        values = {
            "competitor": entry.competitor.strip()[:100],
            "action": entry.action.strip(),
            "source": entry.source.strip()[:100],
            "date": meeting.date,
        }
        if row is None:
            new.append(
                CompetitorNote(
                    meeting=meeting, team_id=meeting.team_id, branch_id=meeting.branch_id, **values
                )
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    bulk_create_with_history(new, CompetitorNote, default_user=actor)
    if changed:
        bulk_update_with_history(
            changed, CompetitorNote, ["competitor", "action", "source", "date"], default_user=actor
        )
    for row in existing.values():
        row._history_user = actor
        row.delete()


@transaction.atomic
def update_meeting(
    *,
    actor: User,
    meeting: Meeting,
    host: User,
    content: Mapping[str, str],
    roll: Mapping[int, Mark],
    start_time: dt.time | None = None,
    place: str = "",
    problems: Sequence[ProblemEntry] = (),
    competitors: Sequence[CompetitorEntry] = (),
    actions: Sequence[ActionEntry] = (),
    reason: str = "",
) -> Meeting:
    """Corrects a meeting's minutes, roll call and entries within seven days
    of the meeting (R-3.3); afterwards the minutes are read-only and only
    action items move (:func:`transition_action`). Every change is kept in
    the history."""
    meeting = Meeting.objects.select_for_update().select_related("team__branch").get(pk=meeting.pk)
    today = timezone.localdate()
    if not rules.is_editable(meeting.date, today):
        raise ValidationError(
            f"会议纪要在会后 {rules.EDIT_DAYS} 天内可以修改，"
            f"{meeting.editable_until:%Y-%m-%d} 之后只读（待办事项的状态仍可更新）。"
        )
    if not permissions.can_edit_meeting(actor, meeting, today=today):
        raise ValidationError("只有记录人、主持人和团队负责人可以修改会议记录。")
    values = _check_content(meeting.kind, content)
    members = {p.pk: p for p in selectors.roster(meeting.team, meeting.date)}
    # People no longer posted that day (a correction of postings) keep their line.
    for line in meeting.attendees.select_related("person"):
        members.setdefault(line.person_id, line.person)
    lines = _check_roll(roll, members)
    if meeting.is_morning:
        problems, competitors, actions = (), (), ()
    _entries_check(problems, competitors, actions)
    _check_people(meeting.team, meeting.date, host, members, actions)

    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.host = host
    meeting.start_time = start_time
    meeting.place = place.strip()[:100]
    if not meeting.is_morning:
        meeting.progress_snapshot = _snapshot(
            meeting.team, meeting.kind, meeting.date, meeting.period_start
        )
    meeting.full_clean()
    meeting._history_user = actor
    meeting._change_reason = reason.strip()[:100]
    meeting.save()

    current = {a.person_id: a for a in meeting.attendees.all()}
    new, changed = [], []
    for line in lines:
        row = current.get(line.person.pk)
        if row is None:
            line.meeting = meeting
            new.append(line)
        elif (row.present, row.reason, row.note) != (line.present, line.reason, line.note):
            row.present, row.reason, row.note = line.present, line.reason, line.note
            changed.append(row)
    bulk_create_with_history(new, MeetingAttendee, default_user=actor)
    if changed:
        bulk_update_with_history(
            changed, MeetingAttendee, ["present", "reason", "note"], default_user=actor
        )
    if not meeting.is_morning:
        _save_problems(actor, meeting, problems, {p.pk: p for p in meeting.problems.all()})
        _save_competitors(
            actor, meeting, competitors, {c.pk: c for c in meeting.competitor_notes.all()}
        )
        _save_actions(
            actor, meeting, actions, {a.pk: a for a in meeting.action_items.select_related("owner")}
        )
    return meeting
