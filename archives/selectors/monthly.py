"""Reads of the monthly archive (R-6.1, R-6.4, R-6.5): what a month holds
before closing, closed months, and the archive search."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from archives.models import (
    ArchiveBundle,
    ArchivedClient,
    ArchivedManager,
    ConfirmationSlip,
    MonthArchive,
)
from archives.selectors.slips import gap_report
from clients import selectors as client_selectors
from clients.models import ClientAssignment, CrmFigure
from payroll import selectors as payroll_selectors
from staff.models import Team, in_force_q
from teams import selectors as team_selectors

ZERO = Decimal("0")


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def archives_for(user) -> QuerySet[MonthArchive]:
    return MonthArchive.objects.visible_to(user).select_related("branch", "closed_by")


def archive_detail(user, pk: int) -> MonthArchive:
    return get_object_or_404(archives_for(user), pk=pk)


def closed_months(branch_ids, months: list[dt.date]) -> dict[tuple[int, dt.date], MonthArchive]:
    rows = MonthArchive.objects.filter(branch_id__in=branch_ids, month__in=months).select_related(
        "closed_by"
    )
    return {(a.branch_id, a.month): a for a in rows}


def archived_managers(archive: MonthArchive) -> QuerySet[ArchivedManager]:
    return archive.managers.select_related("manager", "team").order_by(
        "team__code", "manager__employee_no"
    )


def archived_clients(archive: MonthArchive) -> QuerySet[ArchivedClient]:
    return archive.clients.select_related("manager").order_by("manager__employee_no", "crm_code")


def bundles_of(archive: MonthArchive, user) -> QuerySet[ArchiveBundle]:
    return (
        ArchiveBundle.objects.visible_to(user)
        .filter(archive=archive)
        .select_related("attachment", "requested_by")
    )


def _teams_of_month(branch, month: dt.date) -> list[Team]:
    end = month_end(month)
    return list(
        Team.objects.filter(branch=branch, founded_on__isnull=False, founded_on__lte=end)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=month))
        .exclude(status=Team.Status.PREPARING)
        .order_by("code")
    )


def gather(branch, month: dt.date) -> dict:
    """Everything the month's archive holds (R-6.4, R-6.5): the slips, each
    manager's clients (owners at the month's end) with the month's CRM
    figures and pay, the signed payroll sheet, the teams' monthly reports."""
    month = month.replace(day=1)
    end = month_end(month)
    slips = gap_report(branch, month)
    sheet = payroll_selectors.signed_sheet(branch, month)
    pay = {p.person_id: p for p in payroll_selectors.month_results(branch, month)}
    reports = list(team_selectors.archived_reports(branch, month.year, month.month))
    reported = {r.team_id for r in reports}
    teams = _teams_of_month(branch, month)
    crm = client_selectors.current_import(branch.pk, month)
    figures = {}
    if crm is not None:
        figures = {
            row["client_id"]: row
            for row in CrmFigure.objects.filter(crm_import=crm).values(
                "client_id", "net_revenue", "month_end_assets", "new_account"
            )
        }
    owners = (
        ClientAssignment.objects.filter(in_force_q(end), branch=branch)
        .values("client_id", "manager_id", "team_id", "client__crm_code", "client__name")
        .order_by("manager_id", "client__crm_code")
    )
    managers: dict[int, dict] = {}
    clients = []

    def manager_row(manager_id: int, team_id: int | None) -> dict:
        return managers.setdefault(
            manager_id,
            {
                "manager_id": manager_id,
                "team_id": team_id,
                "client_count": 0,
                "new_accounts": 0,
                "net_revenue": ZERO,
                "month_end_assets": ZERO,
                "slips": 0,
                "gross_pay": None,
                "net_pay": None,
            },
        )

    for owner in owners:
        row = manager_row(owner["manager_id"], owner["team_id"])
        figure = figures.get(owner["client_id"], {})
        net = figure.get("net_revenue") or ZERO
        assets = figure.get("month_end_assets") or ZERO
        new = bool(figure.get("new_account"))
        row["client_count"] += 1
        row["new_accounts"] += int(new)
        row["net_revenue"] += net
        row["month_end_assets"] += assets
        clients.append(
            {
                "manager_id": owner["manager_id"],
                "client_id": owner["client_id"],
                "crm_code": owner["client__crm_code"],
                "name": owner["client__name"],
                "new_account": new,
                "net_revenue": net,
                "month_end_assets": assets,
            }
        )
    for slip in slips["slips"]:
        if not slip.is_void:
            manager_row(slip.manager_id, slip.team_id)["slips"] += 1
    for person_id, slip in pay.items():
        row = manager_row(person_id, slip.team_id)
        row["gross_pay"], row["net_pay"] = slip.gross, slip.net
    return {
        "branch": branch,
        "month": month,
        "month_end": end,
        "slips": slips,
        "sheet": sheet,
        "reports": reports,
        "missing_teams": [t for t in teams if t.pk not in reported],
        "crm_import": crm,
        "managers": managers,
        "clients": clients,
    }


def month_refusals(
    branch, month: dt.date, *, sheet=None, today: dt.date | None = None
) -> list[str]:
    """Why a month cannot be closed yet (empty when it can)."""
    today = today or timezone.localdate()
    out = []
    if month >= today.replace(day=1):
        out.append("只能归档已经结束的月份。")
    if MonthArchive.objects.filter(branch=branch, month=month).exists():
        out.append("该月已归档。")
    if sheet is None:
        out.append("该月薪酬月报表尚未签批完成，客户经理业绩无法归档。")
    return out


def recent_months(today: dt.date, count: int = 12) -> list[dt.date]:
    out, month = [], today.replace(day=1)
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        out.append(month)
    return out


def archive_search(user, q: str, *, limit: int = 100) -> dict:
    """Searches closed months the user may see: slip numbers, clients
    (code or name) and client managers (工号 or name)."""
    q = q.strip()
    archives = archives_for(user)
    if not q:
        return {"slips": [], "clients": [], "managers": []}
    closed = MonthArchive.objects.visible_to(user).filter(
        branch_id=OuterRef("branch_id"), month=OuterRef("month")
    )
    slips = list(
        ConfirmationSlip.objects.filter(
            Q(number__icontains=q)
            | Q(client__crm_code=q)
            | Q(client__name__icontains=q)
            | Q(manager__employee_no__iexact=q)
            | Q(manager__name__icontains=q)
        )
        .filter(Exists(closed))
        .annotate(archive_id=Subquery(closed.values("pk")[:1]))
        .select_related("client", "manager", "branch")
        .order_by("-month", "seq")[:limit]
    )
    clients = list(
        ArchivedClient.objects.filter(archive__in=archives)
        .filter(Q(crm_code=q) | Q(name__icontains=q))
        .select_related("archive", "archive__branch", "manager")
        .order_by("-archive__month", "crm_code")[:limit]
    )
    managers = list(
        ArchivedManager.objects.filter(archive__in=archives)
        .filter(Q(manager__employee_no__iexact=q) | Q(manager__name__icontains=q))
        .select_related("archive", "archive__branch", "manager", "team")
        .order_by("-archive__month", "manager__employee_no")[:limit]
    )
    return {"slips": slips, "clients": clients, "managers": managers}


def group_clients(rows) -> dict[int, list]:
    out = defaultdict(list)
    for row in rows:
        out[row.manager_id].append(row)
    return out
