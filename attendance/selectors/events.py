"""Patrols, events and training history."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from attendance.models import (
    EventAttendance,
    Patrol,
    TeamEvent,
)
from staff.models import User


def patrols_for(user) -> QuerySet[Patrol]:
    return (
        Patrol.objects.visible_to(user)
        .select_related("team", "outlet", "patrolled_by")
        .annotate(
            people=Count("entries"),
            away=Count("entries", filter=Q(entries__found="away")),
        )
    )


def patrol_detail(user, pk: int) -> Patrol:
    return get_object_or_404(patrols_for(user), pk=pk)


def events_for(user) -> QuerySet[TeamEvent]:
    return (
        TeamEvent.objects.visible_to(user)
        .select_related("team", "created_by")
        .annotate(
            expected=Count("roster"),
            came=Count("roster", filter=Q(roster__status=EventAttendance.Status.PRESENT)),
        )
    )


def event_detail(user, pk: int) -> TeamEvent:
    return get_object_or_404(events_for(user), pk=pk)


def event_roster(event: TeamEvent) -> QuerySet[EventAttendance]:
    return event.roster.select_related("person").order_by("person__employee_no")


def training_history(person: User) -> QuerySet[EventAttendance]:
    """A person's training record (R-7.7), newest first."""
    return (
        EventAttendance.objects.filter(person=person, event__kind=TeamEvent.Kind.TRAINING)
        .select_related("event__team")
        .order_by("-event__date", "-event_id")
    )
