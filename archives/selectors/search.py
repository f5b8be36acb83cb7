"""The archives' part of the navigation bar's search box (R-8.4): personnel
files by name or 工号, contracts by number or the person, confirmation slips
by number, client or client manager — each within the user's scope, one
query per source."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from archives.models import ConfirmationSlip, Contract
from archives.selectors.files import people_for
from portal.registry import SearchHit


def _person_q(prefix: str, query: str) -> Q:
    return Q(**{f"{prefix}employee_no__iexact": query}) | Q(**{f"{prefix}name__icontains": query})


def search_files(user, query: str, limit: int) -> list[SearchHit]:
    query = query.strip()
    if not query:
        return []
    rows = people_for(user).filter(_person_q("", query)).order_by("employee_no")[:limit]
    return [
        SearchHit(
            title=f"{p.name}（{p.employee_no}）的人员档案",
            url=reverse("archives:file_detail", args=[p.pk]),
            detail=" · ".join(
                part for part in (p.team.name if p.team else "", p.get_status_display()) if part
            ),
        )
        for p in rows
    ]


def search_contracts(user, query: str, limit: int) -> list[SearchHit]:
    query = query.strip()
    if not query:
        return []
    rows = (
        Contract.objects.visible_to(user)
        .filter(_person_q("person__", query) | Q(number__icontains=query))
        .select_related("person")
        .order_by("-starts_on", "-pk")[:limit]
    )
    return [
        SearchHit(
            title=f"{c.person.name} {c.get_kind_display()}"
            + (f"（{c.number}）" if c.number else ""),
            url=c.get_absolute_url(),
            detail=f"{c.starts_on:%Y-%m-%d} 至 {c.ends_on:%Y-%m-%d}"
            + (f" · 已于 {c.terminated_on:%Y-%m-%d} 终止" if c.terminated_on else ""),
        )
        for c in rows
    ]


def search_slips(user, query: str, limit: int) -> list[SearchHit]:
    query = query.strip()
    if not query:
        return []
    rows = (
        ConfirmationSlip.objects.visible_to(user)
        .filter(
            Q(number__icontains=query)
            | Q(client__crm_code=query)
            | Q(client__name__icontains=query)
            | _person_q("manager__", query)
        )
        .select_related("client", "manager")
        .order_by("-month", "-seq")[:limit]
    )
    return [
        SearchHit(
            title=f"客户确认单 {s.number}" + ("（已作废）" if s.is_void else ""),
            url=s.get_absolute_url(),
            detail=f"{s.client.name}（{s.client.crm_code}） · {s.manager.name} · "
            f"{s.issued_on:%Y-%m-%d}",
        )
        for s in rows
    ]
