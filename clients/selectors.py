"""Reads of the client registry, shared by views, exports and other apps."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clients.models import Client, ClientAssignment
from staff.models import in_force_q


def clients_for(user) -> QuerySet[Client]:
    return Client.objects.visible_to(user).shaped()


def client_detail(user, pk: int) -> Client:
    return get_object_or_404(clients_for(user), pk=pk)


def ownership_history(client: Client) -> QuerySet[ClientAssignment]:
    return (
        ClientAssignment.objects.filter(client=client)
        .select_related("manager", "team", "created_by")
        .order_by("-valid_from", "-id")
    )


def owner_on(client: Client, on: dt.date):
    """The client manager who owned the client on ``on`` (or None)."""
    row = (
        ClientAssignment.objects.filter(in_force_q(on), client=client)
        .select_related("manager")
        .first()
    )
    return row.manager if row else None
