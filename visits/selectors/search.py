"""The navigation bar's search box (R-8.4): visit logs and follow-ups found
by their client's name or client number, within the user's scope."""

from __future__ import annotations

from django.db.models import Q

from portal.registry import SearchHit
from visits.models import FollowUp, Visit


def _client_q(query: str) -> Q:
    query = query.strip()
    q = Q(client__name__icontains=query)
    if query.isdigit():
        q |= Q(client__crm_code__startswith=query)
    return q


def search_visits(user, query: str, limit: int) -> list[SearchHit]:
    rows = (
        Visit.objects.visible_to(user)
        .filter(_client_q(query))
        .select_related("client", "visitor")
        .order_by("-visited_on", "-pk")[:limit]
    )
    return [
        SearchHit(
            title=f"走访：{v.client.name}（{v.client.crm_code}）",
            url=v.get_absolute_url(),
            detail=f"{v.visited_on:%Y-%m-%d} · {v.get_mode_display()} · {v.visitor.name}",
        )
        for v in rows
    ]


def search_followups(user, query: str, limit: int) -> list[SearchHit]:
    rows = (
        FollowUp.objects.visible_to(user)
        .filter(_client_q(query))
        .select_related("client", "owner")
        .order_by("-raised_on", "-pk")[:limit]
    )
    return [
        SearchHit(
            title=f"督办：{f.client.name}（{f.client.crm_code}）",
            url=f.get_absolute_url(),
            detail=(
                f"{f.get_status_display()} · 期限 {f.due_on:%Y-%m-%d} · {f.owner.name} · "
                f"{f.description[:40]}"
            ),
        )
        for f in rows
    ]
