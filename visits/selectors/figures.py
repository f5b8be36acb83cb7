"""The figures of the quarterly visit report (R-7.4), computed in a fixed
number of queries for a team or a whole branch.

Definitions (see docs/decisions-visits.md):
- visits of a unit: logs stamped with the unit (the visitor's team when he
  filed them) dated in the period;
- the unit's clients: those whose ownership in force on the last day
  counted belongs to the unit (``ClientAssignment`` stamp), with a tier and
  not closed; a client is *covered* when it had at least one visit in the
  period by anyone, and *meets* its tier when it had at least the visits the
  tier's interval asks for over the period (``rules.required_visits``);
- follow-ups: those raised in the period by the unit's people; resolved if
  resolved by the last day counted; time to resolve in days from raised to
  resolved; overdue when not resolved by its due date, that date having
  passed by the last day counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Q

from clients.models import ClientAssignment, ClientTier
from staff.models import Team, User, in_force_q
from visits import rules
from visits.models import FollowUp, FollowUpCategory, Visit, VisitMode
from visits.models.followups import NOT_CLOSED

MODES = [m for m, _ in VisitMode.choices]


def _unit_q(branch_id: int, team_id: int | None, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}branch_id": branch_id})
    if team_id:
        q &= Q(**{f"{prefix}team_id": team_id})
    return q


def _followup_row(rows: list[tuple], until: dt.date) -> dict:
    resolved_days = []
    overdue = 0
    open_at_end = 0
    for raised_on, resolved_on, due_on in rows:
        done = resolved_on is not None and resolved_on <= until
        if done:
            resolved_days.append(rules.days_between(raised_on, resolved_on))
        else:
            open_at_end += 1
        if (done and resolved_on > due_on) or (not done and due_on < until):
            overdue += 1
    return {
        "raised": len(rows),
        "resolved": len(resolved_days),
        "open": open_at_end,
        "overdue": overdue,
        "resolve_rate": rules.rate(len(resolved_days), len(rows)),
        "avg_days": rules.average(resolved_days),
        "max_days": max(resolved_days) if resolved_days else "—",
    }


def quarter_figures(
    *, branch_id: int, team_id: int | None, start: dt.date, end: dt.date, as_of: dt.date
) -> dict:
    until = min(end, as_of)
    tiers = {t.pk: t for t in ClientTier.objects.order_by("rank", "code")}
    # Visits by the unit's people in the period.
    visits = Visit.objects.filter(_unit_q(branch_id, team_id), visited_on__range=(start, until))
    per_visitor = {
        r["visitor_id"]: r
        for r in visits.order_by()
        .values("visitor_id")
        .annotate(
            n=Count("pk"),
            clients=Count("client_id", distinct=True),
            **{m: Count("pk", filter=Q(mode=m)) for m in MODES},
        )
    }
    by_tier_visits = {
        r["client__tier_id"]: r
        for r in visits.order_by()
        .values("client__tier_id")
        .annotate(n=Count("pk"), clients=Count("client_id", distinct=True))
    }
    # The unit's clients on the last day counted, and every visit to them.
    owned = ClientAssignment.objects.filter(
        in_force_q(until), _unit_q(branch_id, team_id), client__tier__isnull=False
    ).exclude(client__status="closed")
    clients = list(owned.values_list("client_id", "client__tier_id", "manager_id", "team_id"))
    visit_counts = dict(
        Visit.objects.filter(
            client_id__in=owned.values("client_id"), visited_on__range=(start, until)
        )
        .order_by()
        .values("client_id")
        .annotate(n=Count("pk"))
        .values_list("client_id", "n")
    )
    required = {
        pk: rules.required_visits(t.visit_interval_days, start, until) for pk, t in tiers.items()
    }
    tier_rows: dict[int, Counter] = defaultdict(Counter)
    manager_rows: dict[int, Counter] = defaultdict(Counter)
    team_rows: dict[int, Counter] = defaultdict(Counter)
    for client_id, tier_id, manager_id, owner_team in clients:
        n = visit_counts.get(client_id, 0)
        met = n >= required[tier_id]
        for row in (tier_rows[tier_id], manager_rows[manager_id], team_rows[owner_team]):
            row["clients"] += 1
            row["required"] += required[tier_id]
            row["visits_to"] += n
            row["covered"] += 1 if n else 0
            row["met"] += 1 if met else 0
    # Follow-ups raised by the unit's people in the period.
    raised = list(
        FollowUp.objects.filter(_unit_q(branch_id, team_id), raised_on__range=(start, until))
        .order_by("raised_on", "id")
        .values_list("owner_id", "team_id", "raised_on", "resolved_on", "due_on", "category")
    )
    carried = FollowUp.objects.filter(_unit_q(branch_id, team_id), raised_on__lt=start).filter(
        Q(resolved_on__isnull=True, status__in=NOT_CLOSED) | Q(resolved_on__gte=start)
    )
    carried_rows = list(carried.values_list("resolved_on", flat=True))
    by_owner: dict[int, list] = defaultdict(list)
    by_team: dict[int, list] = defaultdict(list)
    by_category: dict[str, list] = defaultdict(list)
    for owner_id, f_team, raised_on, resolved_on, due_on, category in raised:
        row = (raised_on, resolved_on, due_on)
        by_owner[owner_id].append(row)
        by_team[f_team].append(row)
        by_category[category].append(row)

    people = User.objects.in_bulk(
        set(per_visitor) | set(manager_rows) | set(by_owner), field_name="pk"
    )
    visits_by_team: dict[int, int] = {}
    if not team_id:
        visits_by_team = dict(
            visits.order_by().values("team_id").annotate(n=Count("pk")).values_list("team_id", "n")
        )
    teams = Team.objects.in_bulk({t for t in {*visits_by_team, *team_rows, *by_team} if t})

    def coverage(row: Counter) -> dict:
        return {
            "clients": row["clients"],
            "required": row["required"],
            "visits_to": row["visits_to"],
            "covered": row["covered"],
            "met": row["met"],
            "cover_rate": rules.rate(row["covered"], row["clients"]),
            "met_rate": rules.rate(row["met"], row["clients"]),
        }

    total_visits = sum(r["n"] for r in per_visitor.values())
    totals = {
        "visits": total_visits,
        **{m: sum(r[m] for r in per_visitor.values()) for m in MODES},
        "visitors": len(per_visitor),
        **coverage(sum(tier_rows.values(), Counter())),
    }
    tier_table = []
    for pk, tier in tiers.items():
        row = tier_rows.get(pk, Counter())
        if not row and pk not in by_tier_visits and not tier.is_active:
            continue
        tier_table.append(
            {
                "tier": tier.name,
                "interval": tier.visit_interval_days,
                "required_each": required[pk],
                "visits": by_tier_visits.get(pk, {}).get("n", 0),
                **coverage(row),
            }
        )
    untiered = by_tier_visits.get(None)
    manager_table = []
    for pk in sorted(
        set(per_visitor) | set(manager_rows) | set(by_owner),
        key=lambda p: people[p].employee_no if p in people else "",
    ):
        person = people.get(pk)
        visit_row = per_visitor.get(pk, {})
        manager_table.append(
            {
                "name": person.name if person else "—",
                "employee_no": person.employee_no if person else "",
                "visits": visit_row.get("n", 0),
                **{m: visit_row.get(m, 0) for m in MODES},
                "clients_visited": visit_row.get("clients", 0),
                **{f"own_{k}": v for k, v in coverage(manager_rows.get(pk, Counter())).items()},
                **{f"fu_{k}": v for k, v in _followup_row(by_owner.get(pk, []), until).items()},
            }
        )
    team_table = []
    if not team_id:
        for pk in sorted(
            set(visits_by_team) | set(team_rows) | set(by_team),
            key=lambda t: teams[t].code if t in teams else "",
        ):
            team = teams.get(pk)
            team_table.append(
                {
                    "team": team.name if team else "（无团队）",
                    "visits": visits_by_team.get(pk, 0),
                    **coverage(team_rows.get(pk, Counter())),
                    **{f"fu_{k}": v for k, v in _followup_row(by_team.get(pk, []), until).items()},
                }
            )
    category_table = [
        {"category": label, **_followup_row(by_category[value], until)}
        for value, label in FollowUpCategory.choices
        if by_category.get(value)
    ]
    followups = _followup_row([(r[2], r[3], r[4]) for r in raised], until)
    followups["carried"] = len(carried_rows)
    followups["carried_resolved"] = sum(1 for d in carried_rows if d is not None and d <= until)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "until": until.isoformat(),
        "partial": until < end,
        "totals": totals,
        "untiered_visits": untiered["n"] if untiered else 0,
        "tiers": tier_table,
        "managers": manager_table if team_id else [],
        "teams": team_table,
        "followups": followups,
        "categories": category_table,
        "mode_labels": dict(VisitMode.choices),
    }
