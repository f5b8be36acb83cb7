"""The cross-check of in-person visits with the day's outing slip (R-7.1 with
R-2.6): a visit made in person with no slip for that day, and a slip with
no visit logged for its days, are flagged to the leader.

Computed when shown, not stored, so a slip or visit filed later clears the
flag. Slips are read only through ``attendance.selectors.slips_between``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from attendance.selectors import slips_between
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import User
from visits.models import Visit, VisitMode
from visits.permissions import leads_visits


@dataclass(frozen=True)
class Flag:
    kind: str  # "visit_without_slip" | "slip_without_visit"
    person: User
    day: dt.date
    visit: Visit | None = None
    slip: object | None = None

    @property
    def label(self) -> str:
        return "上门走访无出访单" if self.kind == "visit_without_slip" else "出访单无走访记录"


def people_checked(user):
    """Whose visits and slips the user checks: his own, and as a leader
    the people of his unit (current posting)."""
    scope = scope_for(user)
    q = Q(pk=user.pk)
    if leads_visits(user):
        q |= scope.stamped_q(person=None, branch_roles=BRANCH_MANAGEMENT)
    return User.objects.filter(q, team__isnull=False)


def _days(slip) -> list[dt.date]:
    from django.utils import timezone

    start = timezone.localtime(slip.planned_out).date()
    end = timezone.localtime(slip.planned_back).date()
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def crosscheck(user, start: dt.date, end: dt.date, *, people=None) -> list[Flag]:
    """Flags over [start, end] for the people the user checks. Four
    queries whatever the number of people and visits."""
    people = list((people if people is not None else people_checked(user)).order_by("employee_no"))
    by_id = {p.pk: p for p in people}
    ids = list(by_id)
    if not ids:
        return []
    onsite = list(
        Visit.objects.filter(
            visitor_id__in=ids, mode=VisitMode.ONSITE, visited_on__range=(start, end)
        )
        .select_related("client")
        .order_by("visited_on", "id")
    )
    out_days: dict[int, set[dt.date]] = defaultdict(set)  # person → days in the field
    for visit in onsite:
        out_days[visit.visitor_id].add(visit.visited_on)
    companions = Visit.companions.through.objects.filter(
        user_id__in=ids,
        visit__mode=VisitMode.ONSITE,
        visit__visited_on__range=(start, end),
    ).values_list("user_id", "visit__visited_on")
    for person_id, day in companions:
        out_days[person_id].add(day)
    slip_days: dict[int, set[dt.date]] = defaultdict(set)
    slips = list(slips_between(ids, start, end))
    for slip in slips:
        slip_days[slip.person_id].update(_days(slip))
    flags: list[Flag] = []
    for visit in onsite:
        if visit.visited_on not in slip_days[visit.visitor_id]:
            flags.append(
                Flag("visit_without_slip", by_id[visit.visitor_id], visit.visited_on, visit=visit)
            )
    for slip in slips:
        days = [d for d in _days(slip) if start <= d <= end]
        if days and not any(d in out_days[slip.person_id] for d in days):
            flags.append(Flag("slip_without_visit", by_id[slip.person_id], days[0], slip=slip))
    flags.sort(key=lambda f: (f.day, f.person.employee_no, f.kind))
    return flags


def slips_of_visit(visit: Visit) -> list:
    """The outing slips covering the visit's day, of the visitor and those
    who went along (the visit page links them)."""
    ids = [visit.visitor_id, *[c.pk for c in visit.companions.all()]]
    return list(slips_between(ids, visit.visited_on, visit.visited_on))
