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
