"""Reads of client confirmation slips (R-6.4)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from archives.models import ConfirmationSlip, SlipCounter


def slips_for(user) -> QuerySet[ConfirmationSlip]:
    return ConfirmationSlip.objects.visible_to(user).shaped()


def slip_detail(user, pk: int) -> ConfirmationSlip:
    return get_object_or_404(slips_for(user), pk=pk)


def slips_of_client(user, client) -> QuerySet[ConfirmationSlip]:
    """The client's slips as far as the viewer may see (client page panel)."""
    return slips_for(user).filter(client=client).order_by("-issued_on", "-id")


def month_slips(branch, month: dt.date) -> QuerySet[ConfirmationSlip]:
    return (
        ConfirmationSlip.objects.filter(branch=branch, month=month.replace(day=1))
        .select_related("client", "manager", "team", "confirmed_by", "voided_by")
        .order_by("seq")
    )


def gap_report(branch, month: dt.date) -> dict:
    """Every number given in the branch's month, the missing ones (there
    should be none) and the voided ones, with their reasons (R-6.4)."""
    month = month.replace(day=1)
    counter = SlipCounter.objects.filter(branch=branch, month=month).first()
    last = counter.last if counter else 0
    slips = list(month_slips(branch, month))
    present = {s.seq for s in slips}
    from archives.models.slips import slip_number

    gaps = [slip_number(branch.code, month, n) for n in range(1, last + 1) if n not in present]
    voided = [s for s in slips if s.is_void]
    return {
        "branch": branch,
        "month": month,
        "last": last,
        "slips": slips,
        "issued": len(slips),
        "voided": voided,
        "confirmed": len(slips) - len(voided),
        "gaps": gaps,
        "first_number": slips[0].number if slips else "",
        "last_number": slips[-1].number if slips else "",
    }
