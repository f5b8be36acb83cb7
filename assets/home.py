"""What the assets chapter adds to the home page, the to-do badge and a
person's page."""

from __future__ import annotations

from django.urls import reverse

from assets import selectors
from assets.models import Handover
from assets.permissions import keeps, kept_team_ids


def person_panel(request, person) -> dict | None:
    """保管的实物 on a person's page: what he holds, as far as the viewer
    may see, and his open handovers."""
    holdings = list(selectors.holdings_of(person, viewer=request.user)[:51])
    handovers = list(
        selectors.handovers_for(request.user).filter(person=person, status=Handover.Status.OPEN)
    )
    if not holdings and not handovers:
        return None
    return {
        "code": "assets",
        "title": "保管的实物",
        "template": "assets/person_panel.html",
        "holdings": holdings[:50],
        "more": len(holdings) > 50,
        "handovers": handovers,
        "register_url": reverse("assets:item_list") + f"?custodian={person.employee_no}",
        "start_url": (
            reverse("assets:handover_start", args=[person.pk])
            if not handovers and any(keeps(request.user, h.item.team_id) for h in holdings)
            else ""
        ),
    }


def home_block(request) -> dict | None:
    user = request.user
    waiting = selectors.lines_awaiting(user)
    held = selectors.holdings_of(user).count()
    teams = kept_team_ids(user)
    pending_incidents = (
        selectors.incidents_for(user).filter(team_id__in=teams, status="draft").count()
        if teams
        else 0
    )
    if not (waiting or held or pending_incidents):
        return None
    return {
        "code": "assets",
        "title": "实物",
        "template": "assets/home_block.html",
        "waiting": waiting,
        "held": held,
        "pending_incidents": pending_incidents,
        "link": reverse("assets:handover_list") if waiting else reverse("assets:item_list"),
        "link_label": "去办理" if waiting else "查看",
    }


def todo_count(user) -> int:
    return selectors.lines_awaiting(user)
