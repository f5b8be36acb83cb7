"""Demo clients: each client manager owns a book of clients across tiers,
with an ownership history for some (R-7.5, R-7.6)."""

from __future__ import annotations

import datetime as dt

from simple_history.utils import bulk_create_with_history

from clients.models import Client, ClientAssignment, ClientTier
from portal.demo import CITIES, DemoContext

BATCH = 5000


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    tiers = {t.code: t for t in ClientTier.objects.all()}
    weighted = [tiers["core"]] * 1 + [tiers["important"]] * 3 + [tiers["general"]] * 6
    cms = list(ctx.data["cms"])
    per_cm = ctx.sizes["clients"]
    city_of_branch = {b.pk: CITIES[i % len(CITIES)][0] for i, b in enumerate(ctx.data["branches"])}
    clients: list[Client] = []
    owners: list[tuple[Client, object, dt.date]] = []
    serial = 0
    earliest = ctx.today - dt.timedelta(days=8 * 365)
    for cm in cms:
        for _ in range(per_cm):
            serial += 1
            institution = rng.random() < 0.12
            opened = ctx.date_between(earliest, ctx.today - dt.timedelta(days=1))
            client = Client(
                crm_code=f"0{cm.branch.code[2:]}{serial:08d}",
                name=(
                    ctx.company_name(city_of_branch[cm.branch_id])
                    if institution
                    else ctx.person_name()
                ),
                kind=Client.Kind.INSTITUTION if institution else Client.Kind.PERSON,
                tier=rng.choice(weighted),
                status=Client.Status.ACTIVE if rng.random() < 0.93 else Client.Status.DORMANT,
                opened_on=opened,
                phone=ctx.phone(),
                manager=cm,
                branch_id=cm.branch_id,
                team_id=cm.team_id,
                group_id=cm.group_id,
                outlet_id=cm.outlet_id,
            )
            clients.append(client)
            owners.append((client, cm, max(opened, cm.hired_on)))
    for start in range(0, len(clients), BATCH):
        bulk_create_with_history(clients[start : start + BATCH], Client, batch_size=BATCH)

    # One client in twenty came over from a colleague: two assignments.
    assignments = []
    for client, cm, since in owners:
        team_mates = [c for c in ctx.data["cms_by_team"].get(cm.team_id, []) if c is not cm]
        if team_mates and rng.random() < 0.05 and (ctx.today - since).days > 60:
            moved = ctx.date_between(
                since + dt.timedelta(days=30), ctx.today - dt.timedelta(days=1)
            )
            previous = rng.choice(team_mates)
            assignments.append(
                ClientAssignment(
                    client=client,
                    manager=previous,
                    branch_id=previous.branch_id,
                    team_id=previous.team_id,
                    valid_from=since,
                    valid_to=moved,
                    source=ClientAssignment.Source.INITIAL,
                )
            )
            assignments.append(
                ClientAssignment(
                    client=client,
                    manager=cm,
                    branch_id=cm.branch_id,
                    team_id=cm.team_id,
                    valid_from=moved,
                    source=ClientAssignment.Source.REASSIGNMENT,
                    reason=f"{previous.name}调整客户分工",
                )
            )
        else:
            assignments.append(
                ClientAssignment(
                    client=client,
                    manager=cm,
                    branch_id=cm.branch_id,
                    team_id=cm.team_id,
                    valid_from=since,
                    source=ClientAssignment.Source.INITIAL,
                )
            )
    for start in range(0, len(assignments), BATCH):
        bulk_create_with_history(
            assignments[start : start + BATCH], ClientAssignment, batch_size=BATCH
        )
    ctx.data["clients_count"] = len(clients)
    ctx.say(f"  客户：{len(clients)} 户，归属记录 {len(assignments)} 条")


def seed_crm_months(ctx: DemoContext, months: list[dt.date]) -> None:
    """Monthly CRM figures for every client, as if imported by each branch's
    finance and reviewed by a second finance person (R-5.1)."""
    from decimal import Decimal

    from django.utils import timezone

    from clients.models import CrmFigure, CrmImport
    from staff.models import Role, RoleAssignment

    rng = ctx.rng
    finance: dict[int, list] = {}
    for ra in (
        RoleAssignment.objects.filter(role=Role.FINANCE)
        .select_related("user")
        .order_by("user__employee_no")
    ):
        finance.setdefault(ra.branch_id, []).append(ra.user)
    clients = list(
        Client.objects.filter(manager__isnull=False).values_list(
            "pk", "manager_id", "branch_id", "team_id", "kind", "opened_on"
        )
    )
    imports = []
    for branch in ctx.data["branches"]:
        people = finance.get(branch.pk, [])
        for month in months:
            imports.append(
                CrmImport(
                    branch=branch,
                    month=month,
                    version=1,
                    row_count=0,
                    imported_by=people[0],
                    reviewed_by=people[-1] if len(people) > 1 else None,
                    reviewed_at=timezone.now() if len(people) > 1 else None,
                    note="演示数据",
                )
            )
    CrmImport.objects.bulk_create(imports)
    by_key = {(i.branch_id, i.month): i for i in imports}
    base_assets = {
        pk: rng.lognormvariate(12.2 if kind == Client.Kind.PERSON else 15.0, 0.9)
        for pk, _m, _b, _t, kind, _o in clients
    }
    rows, counts = [], {}
    for month in months:
        end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        for pk, manager_id, branch_id, team_id, kind, opened in clients:
            if opened and opened > end:
                continue
            if rng.random() < 0.3 and not (opened and opened >= month):
                continue  # no activity this month
            revenue = rng.lognormvariate(6.8 if kind == Client.Kind.PERSON else 8.8, 1.0)
            assets = base_assets[pk] * rng.uniform(0.9, 1.1)
            crm_import = by_key[(branch_id, month)]
            rows.append(
                CrmFigure(
                    crm_import=crm_import,
                    month=month,
                    client_id=pk,
                    manager_id=manager_id,
                    branch_id=branch_id,
                    team_id=team_id,
                    net_revenue=Decimal(f"{revenue:.2f}"),
                    month_end_assets=Decimal(f"{assets:.2f}"),
                    new_account=bool(opened and month <= opened <= end),
                    opened_on=opened,
                )
            )
            counts[crm_import.pk] = counts.get(crm_import.pk, 0) + 1
            if len(rows) >= BATCH:
                CrmFigure.objects.bulk_create(rows, batch_size=BATCH)
                rows = []
    CrmFigure.objects.bulk_create(rows, batch_size=BATCH)
    for crm_import in imports:
        crm_import.row_count = counts.get(crm_import.pk, 0)
    CrmImport.objects.bulk_update(imports, ["row_count"], batch_size=500)
    ctx.say(f"  CRM 月度数据：{len(months)} 个月，{sum(counts.values())} 行")
