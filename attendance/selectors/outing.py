"""Outing slips and their after-checks."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from attendance.models import (
    CheckRound,
    OutingCheck,
    OutingSlip,
)
from portal.registry import SearchHit
from staff.access import scope_for
from staff.models import Role, Team


def slips_for(user) -> QuerySet[OutingSlip]:
    return OutingSlip.objects.visible_to(user).select_related("person", "team", "outlet")


def slip_detail(user, pk: int) -> OutingSlip:
    return get_object_or_404(slips_for(user), pk=pk)


_SLIP_NUMBER = re.compile(r"^(?:CF\d{6}-)?0*(\d{1,9})$", re.IGNORECASE)


def search_slips(user, query: str, limit: int) -> list[SearchHit]:
    """Outing slips by number (CF202611-000123 or its last digits) or
    destination, within the user's scope (nav search)."""
    match = Q(destination__icontains=query)
    number = _SLIP_NUMBER.match(query.strip())
    if number:
        match |= Q(pk=int(number.group(1)))
    rows = slips_for(user).filter(match).order_by("-planned_out", "-pk")[:limit]
    return [
        SearchHit(
            title=f"出访单 {s.number}",
            url=s.get_absolute_url(),
            detail=f"{s.person.name} · {s.destination} · {s.planned_out:%Y-%m-%d}",
        )
        for s in rows
    ]


def check_population(
    team: Team, start: dt.date, end: dt.date, *, as_of: dt.datetime
) -> QuerySet[OutingSlip]:
    """The slips a check of a team's period draws from: those going out in
    the period and filed by ``as_of``, in a fixed order."""
    return OutingSlip.objects.filter(
        team=team,
        planned_out__date__gte=start,
        planned_out__date__lte=end,
        filed_at__lte=as_of,
    ).order_by("pk")


def rounds_for(user) -> QuerySet[CheckRound]:
    return (
        CheckRound.objects.visible_to(user)
        .select_related("team", "created_by")
        .annotate(
            checked=Count("checks", filter=~Q(checks__result=OutingCheck.Result.PENDING)),
            discrepancies=Count("checks", filter=Q(checks__result=OutingCheck.Result.DISCREPANCY)),
            total=Count("checks"),
        )
    )


def round_detail(user, pk: int) -> CheckRound:
    return get_object_or_404(rounds_for(user), pk=pk)


def round_checks(check_round: CheckRound) -> QuerySet[OutingCheck]:
    return check_round.checks.select_related("slip__person", "checked_by").order_by(
        "slip__planned_out", "slip_id"
    )


def slip_checks(slip: OutingSlip) -> QuerySet[OutingCheck]:
    return slip.checks.select_related("round", "checked_by").order_by("-round__created_at")


def pending_checks(user) -> QuerySet[OutingCheck]:
    scope = scope_for(user)
    qs = OutingCheck.objects.filter(result=OutingCheck.Result.PENDING)
    if not scope.superuser:
        qs = qs.filter(round__team_id__in=scope.ids(Role.TEAM_LEADER))
    return qs
