"""Reads of contracts and agreements, and the expiry lists (R-6.2, R-8.4)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from archives.models import Contract
from archives.models.contracts import EXPIRY_WINDOW_DAYS
from archives.permissions import files_q
from staff.models import User

SAC_WINDOW_DAYS = 30


def contracts_for(user) -> QuerySet[Contract]:
    """Contracts of the people whose file the user may read, each annotated
    with ``is_renewed``."""
    return (
        Contract.objects.visible_to(user)
        .select_related("person", "person__team", "branch", "team", "previous")
        .annotate(
            is_renewed=Exists(Contract.objects.filter(previous=OuterRef("pk"))),
            # A later contract of the same person (a renewal or a new one).
            followed=Exists(
                Contract.objects.filter(
                    person=OuterRef("person"), starts_on__gt=OuterRef("starts_on")
                )
            ),
        )
    )


def contract_detail(user, pk: int) -> Contract:
    return get_object_or_404(contracts_for(user), pk=pk)


def contracts_of(person) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(person=person)
        .select_related("attachment", "previous", "created_by")
        .annotate(is_renewed=Exists(Contract.objects.filter(previous=OuterRef("pk"))))
        .order_by("-starts_on")
    )


def chain_of(contract: Contract) -> list[Contract]:
    """The renewal chain a contract belongs to, oldest first."""
    rows = {
        c.pk: c
        for c in Contract.objects.filter(person_id=contract.person_id).select_related("attachment")
    }
    first = contract
    while first.previous_id and first.previous_id in rows:
        first = rows[first.previous_id]
    after = {c.previous_id: c for c in rows.values() if c.previous_id}
    chain = [first]
    while chain[-1].pk in after:
        chain.append(after[chain[-1].pk])
    return chain


def _live_people() -> Q:
    return ~Q(person__status=User.Status.LEFT)


def expiring_contracts(user, today: dt.date | None = None) -> QuerySet[Contract]:
    """Contracts ending within 30 days, not renewed, not terminated, of
    people who have not left."""
    today = today or timezone.localdate()
    return (
        contracts_for(user)
        .filter(
            _live_people(),
            followed=False,
            terminated_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .order_by("ends_on", "person__employee_no")
    )


def ended_contracts(user, today: dt.date | None = None) -> QuerySet[Contract]:
    """Contracts that have ended without a renewal while the person is
    still with the company: he works without a contract."""
    today = today or timezone.localdate()
    return (
        contracts_for(user)
        .filter(_live_people(), followed=False, terminated_on__isnull=True, ends_on__lt=today)
        .order_by("ends_on", "person__employee_no")
    )


def _people(user) -> QuerySet[User]:
    return (
        User.objects.filter(files_q(user))
        .exclude(status=User.Status.LEFT)
        .select_related("team", "branch")
    )


def sac_expiring(user, today: dt.date | None = None) -> QuerySet[User]:
    """SAC practice registrations ending within 30 days."""
    today = today or timezone.localdate()
    return (
        _people(user)
        .filter(
            sac_expires_on__gte=today,
            sac_expires_on__lte=today + dt.timedelta(days=SAC_WINDOW_DAYS),
        )
        .order_by("sac_expires_on", "employee_no")
    )


def sac_expired(user, today: dt.date | None = None) -> QuerySet[User]:
    today = today or timezone.localdate()
    return _people(user).filter(sac_expires_on__lt=today).order_by("sac_expires_on", "employee_no")


def expiry_counts(user, today: dt.date | None = None) -> dict[str, int]:
    """The four counts of the home-page block and the expiry tabs: one query
    for the contracts, one for the SAC registrations."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
    contracts = (
        Contract.objects.visible_to(user)
        .annotate(
            followed=Exists(
                Contract.objects.filter(
                    person=OuterRef("person"), starts_on__gt=OuterRef("starts_on")
                )
            )
        )
        .filter(_live_people(), followed=False, terminated_on__isnull=True)
        .aggregate(
            expiring=Count("pk", filter=Q(ends_on__gte=today, ends_on__lte=soon)),
            ended=Count("pk", filter=Q(ends_on__lt=today)),
        )
    )
    sac = _people(user).aggregate(
        sac_expiring=Count(
            "pk",
            filter=Q(
                sac_expires_on__gte=today,
                sac_expires_on__lte=today + dt.timedelta(days=SAC_WINDOW_DAYS),
            ),
        ),
        sac_expired=Count("pk", filter=Q(sac_expires_on__lt=today)),
    )
    return {**contracts, **sac}
