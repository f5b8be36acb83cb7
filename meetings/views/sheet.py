"""The meeting form: its parts bound together, prefilled for a new meeting
from the team and the day's approved leave, or from the meeting itself."""

from __future__ import annotations

from meetings import crosscheck, rules, selectors, services
from meetings.forms import (
    ActionFormSet,
    CompetitorFormSet,
    MeetingForm,
    ProblemFormSet,
    ReviewForm,
    RollForm,
    action_entries,
    competitor_entries,
    default_due,
    problem_entries,
)
from meetings.models import AbsenceReason, MeetingKind
from meetings.services import Mark


class Sheet:
    """The parts of the meeting form, bound together."""

    def __init__(self, request, *, kind, team, day, members, people, meeting=None):
        data = request.POST if request.method == "POST" else None
        self.kind, self.team, self.day, self.meeting = kind, team, day, meeting
        morning = kind == MeetingKind.MORNING
        if meeting is None:
            marks = _prefill_marks(team, day)
            initial = {
                "host": request.user if request.user in people else None,
                "summary_month": rules.default_summary_month(day),
            }
        else:
            marks = {
                a.person_id: Mark(a.present, a.reason, a.note) for a in meeting.attendees.all()
            }
            initial = {
                "host": meeting.host,
                "start_time": meeting.start_time,
                "place": meeting.place,
                **{name: getattr(meeting, name) for name in services.CONTENT_FIELDS},
            }
        self.form = MeetingForm(
            data, kind=kind, people=people, editing=meeting is not None, initial=initial
        )
        self.content_fields = [
            self.form[name] for name in services.CONTENT_FIELDS if name in self.form.fields
        ]
        self.roll = RollForm(data, members=members, initial_marks=marks, prefix="roll")
        self.parts = [self.form, self.roll]
        self.problems = self.competitors = self.actions = self.reviews = None
        if not morning:
            if meeting is None:
                problem_init, competitor_init = [{}], [{}]
                action_init = [{"due_date": default_due(day)}]
            else:
                problem_init = [
                    {
                        "pk": p.pk,
                        "description": p.description,
                        "solution": p.solution,
                        "solved": p.solved,
                    }
                    for p in selectors.problems_of(meeting)
                ] or [{}]
                competitor_init = [
                    {"pk": c.pk, "competitor": c.competitor, "action": c.action, "source": c.source}
                    for c in selectors.competitor_notes_of(meeting)
                ] or [{}]
                action_init = [
                    {
                        "pk": a.pk,
                        "description": a.description,
                        "owner": a.owner,
                        "due_date": a.due_date,
                    }
                    for a in selectors.actions_of(meeting)
                    if a.is_open
                ] or [{"due_date": default_due(day)}]
            self.problems = ProblemFormSet(data, prefix="problems", initial=problem_init)
            self.competitors = CompetitorFormSet(
                data, prefix="competitors", initial=competitor_init
            )
            self.actions = ActionFormSet(
                data, prefix="actions", initial=action_init, form_kwargs={"people": people}
            )
            self.parts += [self.problems, self.competitors, self.actions]
            if meeting is None:
                items = selectors.carried_items(team, day)
                self.reviews = ReviewForm(data, items=items, prefix="review")
                self.parts.append(self.reviews)

    def is_valid(self) -> bool:
        results = [part.is_valid() for part in self.parts]  # every part shows its errors
        return all(results)

    def entries(self) -> dict:
        out = {
            "host": self.form.cleaned_data["host"],
            "start_time": self.form.cleaned_data.get("start_time"),
            "place": self.form.cleaned_data.get("place", ""),
            "content": self.form.content(),
            "roll": self.roll.marks(),
        }
        if self.kind != MeetingKind.MORNING:
            out["problems"] = problem_entries(self.problems)
            out["competitors"] = competitor_entries(self.competitors)
            out["actions"] = action_entries(self.actions)
        return out


def _prefill_marks(team, day) -> dict[int, Mark]:
    """The roll call starts with everyone present except those on approved
    full-day leave (from the attendance chapter)."""
    facts = crosscheck.attendance_facts(team, day)
    return {
        pid: Mark(present=False, reason=AbsenceReason.LEAVE, note=fact.leave_label)
        for pid, fact in facts.items()
        if fact.full_day_leave
    }
