"""Reads of the client registry, shared by views, exports and other apps."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from clients.models import Client, ClientAssignment
from portal.registry import SearchHit
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


def current_imports(year: int, branch_id: int) -> dict:
    """A branch's current import version of each month of ``year`` that has one."""
    from clients.models import CrmImport

    rows = CrmImport.objects.filter(
        branch_id=branch_id, month__year=year, status=CrmImport.Status.CURRENT
    )
    return {row.month.month: row for row in rows}


def current_import(branch_id: int, month: dt.date):
    from clients.models import CrmImport

    return (
        CrmImport.objects.filter(
            branch_id=branch_id, month=month.replace(day=1), status=CrmImport.Status.CURRENT
        )
        .select_related("imported_by", "reviewed_by")
        .first()
    )


def monthly_actuals(manager_ids, year: int) -> dict[tuple[int, int], dict]:
    """Per (manager id, month): new accounts, net revenue and month-end
    client assets from the current CRM import of each month (R-1.4).
    Months not yet imported are simply absent."""
    from decimal import Decimal

    from django.db.models import Count, Q, Sum

    from clients.models import CrmFigure, CrmImport

    rows = (
        CrmFigure.objects.filter(
            month__year=year,
            manager_id__in=list(manager_ids),
            crm_import__status=CrmImport.Status.CURRENT,
        )
        .values("manager_id", "month")
        .annotate(
            new_accounts=Count("id", filter=Q(new_account=True)),
            net_revenue=Sum("net_revenue"),
            client_assets=Sum("month_end_assets"),
        )
    )
    return {
        (r["manager_id"], r["month"].month): {
            "new_accounts": Decimal(r["new_accounts"]),
            "net_revenue": r["net_revenue"] or Decimal("0"),
            "client_assets": r["client_assets"] or Decimal("0"),
        }
        for r in rows
    }


def search_clients(user, query: str, limit: int):
    """Clients by name or 客户号, within the user's scope (nav search)."""
    rows = (
        clients_for(user)
        .filter(Q(crm_code__icontains=query) | Q(name__icontains=query))
        .order_by("name", "pk")[:limit]
    )
    return [
        SearchHit(
            title=f"{c.name}（{c.crm_code}）",
            url=c.get_absolute_url(),
            detail=" · ".join(
                x
                for x in (
                    c.tier.name if c.tier else "",
                    c.manager.name if c.manager else "",
                    c.branch.name,
                )
                if x
            ),
        )
        for c in rows
    ]
