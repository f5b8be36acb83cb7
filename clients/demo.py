"""Demo clients: each client manager owns a book of clients across tiers,
with an ownership history for some (R-7.5, R-7.6)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from clients.models import Client, ClientAssignment, ClientTier
from portal.demo import CITIES, DemoContext, db_datetime, insert_rows, next_pk

CLIENT_FIELDS = (
    "id",
    "crm_code",
    "name",
    "kind",
    "tier",
    "status",
    "opened_on",
    "phone",
    "address",
    "profile",
    "manager",
    "branch",
    "team",
    "group",
    "outlet",
    "created_at",
)
ASSIGNMENT_FIELDS = (
    "id",
    "client",
    "manager",
    "branch",
    "team",
    "valid_from",
    "valid_to",
    "source",
    "reason",
    "created_by",
    "created_at",
)


def seed(ctx: DemoContext) -> None:
    """Clients and their assignments, written as plain rows with their
    "created" history rows (150,000 clients at the large scale)."""
    rng = ctx.rng
    tiers = {t.code: t.pk for t in ClientTier.objects.all()}
    weighted = [tiers["core"]] * 1 + [tiers["important"]] * 3 + [tiers["general"]] * 6
    cms = list(ctx.data["cms"])
    per_cm = ctx.sizes["clients"]
    city_of_branch = {b.pk: CITIES[i % len(CITIES)][0] for i, b in enumerate(ctx.data["branches"])}
    code_of_branch = {b.pk: b.code[2:] for b in ctx.data["branches"]}
    now = timezone.now()
    created = db_datetime(now)
    person, institution_kind = Client.Kind.PERSON.value, Client.Kind.INSTITUTION.value
    active, dormant = Client.Status.ACTIVE.value, Client.Status.DORMANT.value
    clients: list[tuple] = []
    owners: list[tuple[int, object, dt.date]] = []
    pk = next_pk(Client)
    serial = 0
    earliest = ctx.today - dt.timedelta(days=8 * 365)
    last_day = ctx.today - dt.timedelta(days=1)
    for cm in cms:
        branch_code = code_of_branch[cm.branch_id]
        for _ in range(per_cm):
            serial += 1
            institution = rng.random() < 0.12
            opened = ctx.date_between(earliest, last_day)
            clients.append(
                (
                    pk,
                    f"0{branch_code}{serial:08d}",
                    ctx.company_name(city_of_branch[cm.branch_id])
                    if institution
                    else ctx.person_name(),
                    institution_kind if institution else person,
                    rng.choice(weighted),
                    active if rng.random() < 0.93 else dormant,
                    opened.isoformat(),
                    ctx.phone(),
                    "",
                    "",
                    cm.pk,
                    cm.branch_id,
                    cm.team_id,
                    cm.group_id,
                    cm.outlet_id,
                    created,
                )
            )
            owners.append((pk, cm, max(opened, cm.hired_on)))
            pk += 1
    insert_rows(Client, CLIENT_FIELDS, clients, history=(now, None, None))

    # One client in twenty came over from a colleague: two assignments.
    initial = ClientAssignment.Source.INITIAL.value
    reassigned = ClientAssignment.Source.REASSIGNMENT.value
    assignments: list[tuple] = []
    pk = next_pk(ClientAssignment)
    mates: dict[int, list] = {}
    for client_id, cm, since in owners:
        team_mates = mates.get(cm.pk)
        if team_mates is None:
            team_mates = [c for c in ctx.data["cms_by_team"].get(cm.team_id, []) if c is not cm]
            mates[cm.pk] = team_mates
        if team_mates and rng.random() < 0.05 and (ctx.today - since).days > 60:
            moved = ctx.date_between(since + dt.timedelta(days=30), last_day).isoformat()
            previous = rng.choice(team_mates)
            assignments.append(
                (
                    pk,
                    client_id,
                    previous.pk,
                    previous.branch_id,
                    previous.team_id,
                    since.isoformat(),
                    moved,
                    initial,
                    "",
                    None,
                    created,
                )
            )
            assignments.append(
                (
                    pk + 1,
                    client_id,
                    cm.pk,
                    cm.branch_id,
                    cm.team_id,
                    moved,
                    None,
                    reassigned,
                    f"{previous.name}调整客户分工",
                    None,
                    created,
                )
            )
            pk += 2
        else:
            assignments.append(
                (
                    pk,
                    client_id,
                    cm.pk,
                    cm.branch_id,
                    cm.team_id,
                    since.isoformat(),
                    None,
                    initial,
                    "",
                    None,
                    created,
                )
            )
            pk += 1
    insert_rows(ClientAssignment, ASSIGNMENT_FIELDS, assignments, history=(now, None, None))
    ctx.data["clients_count"] = len(clients)
    ctx.say(f"  客户：{len(clients)} 户，归属记录 {len(assignments)} 条")


FIGURE_FIELDS = (
    "crm_import",
    "month",
    "client",
    "manager",
    "branch",
    "team",
    "net_revenue",
    "month_end_assets",
    "new_account",
    "opened_on",
    "source_row",
    "flagged",
    "registry_owner",
)


def seed_crm_months(ctx: DemoContext, months: list[dt.date]) -> None:
    """Monthly CRM figures for every client, as if imported by each branch's
    finance and reviewed by a second finance person (R-5.1)."""
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
    import_ids = {(i.branch_id, i.month): i.pk for i in imports}
    base_assets = {
        pk: rng.lognormvariate(12.2 if kind == Client.Kind.PERSON else 15.0, 0.9)
        for pk, _m, _b, _t, kind, _o in clients
    }
    counts: dict[int, int] = {}
    lognorm, uniform, draw = rng.lognormvariate, rng.uniform, rng.random
    person = Client.Kind.PERSON.value

    def figures():
        # One tuple per client and month, in FIGURE_FIELDS order.
        for month in months:
            end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            month_text = month.isoformat()
            for pk, manager_id, branch_id, team_id, kind, opened in clients:
                if opened and opened > end:
                    continue
                if draw() < 0.3 and not (opened and opened >= month):
                    continue  # no activity this month
                revenue = lognorm(6.8 if kind == person else 8.8, 1.0)
                assets = base_assets[pk] * uniform(0.9, 1.1)
                import_id = import_ids[(branch_id, month)]
                counts[import_id] = counts.get(import_id, 0) + 1
                yield (
                    import_id,
                    month_text,
                    pk,
                    manager_id,
                    branch_id,
                    team_id,
                    f"{revenue:.2f}",
                    f"{assets:.2f}",
                    bool(opened and month <= opened <= end),
                    opened.isoformat() if opened else None,
                    0,
                    False,
                    None,
                )

    insert_rows(CrmFigure, FIGURE_FIELDS, figures())
    for crm_import in imports:
        crm_import.row_count = counts.get(crm_import.pk, 0)
    CrmImport.objects.bulk_update(imports, ["row_count"], batch_size=500)
    ctx.say(f"  CRM 月度数据：{len(months)} 个月，{sum(counts.values())} 行")
