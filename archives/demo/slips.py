"""Demo confirmation slips and one closed month."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from archives.models import ConfirmationSlip, MonthArchive, SlipCounter
from archives.models.slips import slip_number
from archives.selectors.monthly import gather, month_end
from archives.services import monthly, slips
from clients.models import Client, ClientAssignment, ClientTier
from payroll import selectors as payroll_selectors
from portal.demo import DemoContext
from staff.models import Role, RoleAssignment, User

BATCH = 2000
VOID_REASONS = (
    "客户经理填写有误，重新出具",
    "客户开户未成功，确认单作废",
    "与已有确认单重复",
)


def _months(today: dt.date, back: int) -> list[dt.date]:
    out, month = [], today.replace(day=1)
    for _ in range(back):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        out.append(month)
    return sorted(out)


def seed_slips(ctx: DemoContext) -> dict:
    rng, today = ctx.rng, ctx.today
    clerks = {
        ra.branch_id: ra.user
        for ra in RoleAssignment.objects.filter(role=Role.ARCHIVE_CLERK).select_related("user")
    }
    tiers = list(ClientTier.objects.order_by("rank"))
    per_team = 6 if ctx.scale == "small" else 4
    managers_by_branch: dict[int, list[User]] = {}
    for cm in ctx.data["cms"]:
        if cm.status == User.Status.ACTIVE:
            managers_by_branch.setdefault(cm.branch_id, []).append(cm)
    teams_by_branch: dict[int, int] = {}
    for team in ctx.data["teams"]:
        teams_by_branch[team.branch_id] = teams_by_branch.get(team.branch_id, 0) + 1

    # Past months in bulk: each slip opened a new client's account.
    clients, assignments, rows, counters = [], [], [], []
    serial = 0
    past = _months(today, 3)
    for branch in ctx.data["branches"]:
        clerk = clerks[branch.pk]
        managers = managers_by_branch.get(branch.pk, [])
        if not managers:
            continue
        for month in past:
            count = per_team * teams_by_branch.get(branch.pk, 1)
            last_day = month_end(month)
            days = sorted(
                month + dt.timedelta(days=rng.randint(0, (last_day - month).days))
                for _ in range(count)
            )
            void_at = rng.randrange(count)
            for seq, opened in enumerate(days, start=1):
                serial += 1
                manager = rng.choice(managers)
                issued = min(opened + dt.timedelta(days=rng.randint(0, 3)), last_day)
                client = Client(
                    crm_code=f"8{branch.code[2:]}{serial:07d}",
                    name=ctx.person_name(),
                    tier=tiers[-1] if tiers else None,
                    opened_on=opened,
                    phone=ctx.phone(),
                    manager=manager,
                    branch_id=manager.branch_id,
                    team_id=manager.team_id,
                    group_id=manager.group_id,
                    outlet_id=manager.outlet_id,
                )
                clients.append(client)
                number = slip_number(branch.code, month, seq)
                assignments.append(
                    ClientAssignment(
                        client=client,
                        manager=manager,
                        branch_id=manager.branch_id,
                        team_id=manager.team_id,
                        valid_from=opened,
                        source=ClientAssignment.Source.SLIP,
                        reason=f"客户确认单 {number}",
                        created_by=clerk,
                    )
                )
                void = seq - 1 == void_at
                rows.append(
                    ConfirmationSlip(
                        number=number,
                        branch=branch,
                        month=month,
                        seq=seq,
                        client=client,
                        manager=manager,
                        team_id=manager.team_id,
                        group_id=manager.group_id,
                        outlet_id=manager.outlet_id,
                        opened_on=opened,
                        issued_on=issued,
                        new_client=True,
                        confirmed_by=clerk,
                        assignment=assignments[-1],
                        status=ConfirmationSlip.Status.VOID
                        if void
                        else ConfirmationSlip.Status.CONFIRMED,
                        void_reason=rng.choice(VOID_REASONS) if void else "",
                        voided_by=clerk if void else None,
                        voided_at=timezone.make_aware(dt.datetime.combine(issued, dt.time(16, 30)))
                        if void
                        else None,
                    )
                )
            counters.append(SlipCounter(branch=branch, month=month, last=count))
    bulk_create_with_history(clients, Client, batch_size=BATCH)
    for assignment in assignments:
        assignment.client_id = assignment.client.pk
    bulk_create_with_history(assignments, ClientAssignment, batch_size=BATCH)
    for row in rows:
        row.client_id, row.assignment_id = row.client.pk, row.assignment.pk
    bulk_create_with_history(rows, ConfirmationSlip, batch_size=BATCH)
    SlipCounter.objects.bulk_create(counters)
    issued, voided = len(rows), sum(1 for r in rows if r.is_void)

    # This month's slips through the real service, one voided.
    branch = ctx.data["branches"][0]
    clerk = clerks[branch.pk]
    managers = managers_by_branch.get(branch.pk, [])
    current = []
    if managers and today.day > 1:
        for n in range(4 if ctx.scale == "small" else 2):
            manager = managers[n % len(managers)]
            opened = today - dt.timedelta(days=rng.randint(0, today.day - 1))
            serial += 1
            current.append(
                slips.issue_slip(
                    actor=clerk,
                    manager=manager,
                    new_client={
                        "crm_code": f"8{branch.code[2:]}{serial:07d}",
                        "name": ctx.person_name(),
                    },
                    opened_on=opened,
                    issued_on=today,
                    note="柜台开户，客户经理陪同办理",
                )
            )
        slips.void_slip(actor=clerk, slip=current[-1], reason="客户要求更换服务客户经理，重新出具")
        issued, voided = issued + len(current), voided + 1

    closed = _close_one_month(ctx, branch, clerk, past)
    return {"slips": issued, "void": voided, "closed": closed}


def _close_one_month(ctx: DemoContext, branch, clerk, past: list[dt.date]) -> int:
    """The latest past month whose payroll sheet is signed is closed the
    real way; failing that (the large demo signs none), the month before
    last is written as closed from what it holds."""
    for month in reversed(past):
        if payroll_selectors.signed_sheet(branch, month) is not None:
            monthly.close_month(
                actor=clerk,
                branch=branch,
                month=month,
                paper_location=f"{branch.name}档案室 3 号柜 {month:%Y} 年第 {month.month} 盒",
                note="确认单原件、签字的薪酬月报表原件已装盒。",
            )
            return 1
    if len(past) < 2 or MonthArchive.objects.filter(branch=branch, month=past[-2]).exists():
        return 0
    month = past[-2]
    monthly._write_archive(
        actor=clerk,
        branch=branch,
        month=month,
        paper_location=f"{branch.name}档案室 3 号柜 {month:%Y} 年第 {month.month} 盒",
        note="演示数据：薪酬月报表尚未签批，业绩按 CRM 数据归档。",
        data=gather(branch, month),
    )
    return 1
