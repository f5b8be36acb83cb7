import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals import services as approvals
from approvals.walk import approve_all
from clients.models import CrmFigure, CrmImport
from teams import services
from teams.models import FilingKind

YEAR = 2026


def plan_for(
    org,
    team=None,
    *,
    accounts=96,
    revenue="600000.00",
    assets="60000000.00",
    year=YEAR,
    approve=True,
):
    """An annual plan drafted by the team leader and, by default, approved
    through the real countersign flow."""
    team = team or org.team_a
    leader = {org.team_a.pk: org.a_tl, org.team_b.pk: org.b_tl, org.team_c.pk: org.c_tl}[team.pk]
    plan = services.create_filing(
        actor=leader,
        team=team,
        kind=FilingKind.ANNUAL_PLAN,
        year=year,
        title=f"{year} 年度工作计划",
        content="市场分析与工作思路",
        target_new_accounts=accounts,
        target_net_revenue=Decimal(revenue),
        target_client_assets=Decimal(assets),
    )
    if approve:
        approve_all(approvals.submit_request(actor=leader, subject=plan, flow_code=plan.flow_code))
        plan.refresh_from_db()
    return plan


def even_split(plan, people) -> dict:
    cells = {}
    n = len(people)
    for metric, whole in (
        ("new_accounts", plan.target_new_accounts),
        ("net_revenue", plan.target_net_revenue),
    ):
        per = Decimal(whole) / (n * 12)
        for p in people:
            for month in range(1, 13):
                cells[(p.pk, month, metric)] = per
    for p in people:
        cells[(p.pk, 12, "client_assets")] = Decimal(plan.target_client_assets) / n
    return cells


def crm_month(org, month: dt.date, rows: list[tuple], *, reviewed: bool = True) -> CrmImport:
    """A month's CRM figures as the import (issue 8) will store them:
    rows of (client, net revenue, month-end assets, new account)."""
    version = CrmImport.objects.filter(branch=org.b1, month=month).count() + 1
    CrmImport.objects.filter(branch=org.b1, month=month).update(status=CrmImport.Status.SUPERSEDED)
    batch = CrmImport.objects.create(
        branch=org.b1,
        month=month,
        version=version,
        imported_by=org.fin1,
        row_count=len(rows),
        reviewed_by=org.bm1 if reviewed else None,
        reviewed_at=timezone.now() if reviewed else None,
    )
    CrmFigure.objects.bulk_create(
        [
            CrmFigure(
                crm_import=batch,
                month=month,
                client=c,
                manager=c.manager,
                branch=c.branch,
                team=c.team,
                net_revenue=Decimal(rev),
                month_end_assets=Decimal(assets),
                new_account=new,
            )
            for c, rev, assets, new in rows
        ]
    )
    return batch


@pytest.fixture
def approved_plan(org):
    return plan_for(org)
