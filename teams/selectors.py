"""Reads of the teams chapter, shared by views and other apps."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from approvals.selectors import subject_ids_routed_to
from clients.selectors import current_imports, monthly_actuals
from portal.registry import team_figures
from staff import calendar
from staff.access import TEAM_DUTIES, scope_for
from staff.models import Role, Team, User, in_force_q
from teams.models import (
    SPLIT_METRICS,
    AnalysisReport,
    FilingKind,
    FilingStatus,
    MemberDuty,
    Metric,
    Pairing,
    SpotCheck,
    SpotCheckItem,
    TargetCell,
    TargetSplit,
    TeamFiling,
    WorkLog,
)


def filing_visibility_q(user, model) -> Q:
    """Team filings: the team's leaders and its branch management; HQ
    oversight across branches; whoever the filing was routed to for
    approval; and the team's members once it is approved."""
    scope = scope_for(user)
    q = scope.stamped_q(group=None, outlet=None, team_roles=TEAM_DUTIES, hq=True)
    if user.team_id:
        q |= Q(team_id=user.team_id, status=FilingStatus.APPROVED)
    routed = subject_ids_routed_to(user, model)
    if routed:
        q |= Q(pk__in=routed)
    return q


def filings_for(user) -> QuerySet[TeamFiling]:
    return TeamFiling.objects.visible_to(user).select_related(
        "team", "branch", "prepared_by", "partner_bank"
    )


def filing(user, pk: int) -> TeamFiling:
    return get_object_or_404(filings_for(user), pk=pk)


def in_force(team, kind: str, year: int | None = None) -> TeamFiling | None:
    """The approved filing of a kind that applies to a team (R-1.1, R-1.2)."""
    queryset = TeamFiling.objects.filter(team=team, kind=kind, status=FilingStatus.APPROVED)
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-version").first()


def rules_in_force(team) -> TeamFiling | None:
    return in_force(team, FilingKind.RULES)


def annual_plan(team, year: int) -> TeamFiling | None:
    """The approved 年度工作计划 whose targets are split and tracked (R-1.4)."""
    return in_force(team, FilingKind.ANNUAL_PLAN, year)


# -- targets and progress ------------------------------------------------------

MONTHS = range(1, 13)
TRACKED = (Metric.NEW_ACCOUNTS, Metric.NET_REVENUE, Metric.CLIENT_ASSETS)


def split_members(team: Team):
    """Who targets are split to: the team's members other than its leader."""
    leaders = User.objects.filter(
        in_force_q(timezone.localdate(), "role_assignments__"),
        role_assignments__role=Role.TEAM_LEADER,
        role_assignments__team=team,
    ).values("pk")
    return (
        User.objects.filter(team=team)
        .exclude(status=User.Status.LEFT)
        .exclude(pk__in=leaders)
        .select_related("group", "level")
        .order_by("group__name", "employee_no")
    )


def current_split(team: Team, year: int) -> TargetSplit | None:
    return (
        TargetSplit.objects.filter(team=team, year=year, is_current=True)
        .select_related("plan", "created_by")
        .prefetch_related(Prefetch("cells", queryset=TargetCell.objects.select_related("person")))
        .first()
    )


def split_values(split: TargetSplit | None) -> dict[tuple[int, int, str], Decimal]:
    if split is None:
        return {}
    return {(c.person_id, c.month, c.metric): c.value for c in split.cells.all()}


def _zero_row():
    return {metric: Decimal("0") for metric in TRACKED}


def progress(team: Team, year: int, person: User | None = None) -> dict:
    """Target vs actual by month for a team (or one member) and a year.

    Targets come from the current split; actuals from the current CRM
    import of each month (R-1.4). Client assets are month-end stocks: the
    actual is that month's total, the target the year-end figure."""
    split = current_split(team, year)
    cells = split_values(split)
    people = {pid for pid, _m, _metric in cells} or set(
        split_members(team).values_list("pk", flat=True)
    )
    if person is not None:
        people = {person.pk}
    actual = monthly_actuals(people, year)
    imported = current_imports(year, team.branch_id)
    sales = defaultdict(Decimal)
    for (pid, month, metric), value in cells.items():
        if metric == Metric.SALES and pid in people:
            sales[month] += value
    months = []
    cumulative_target, cumulative_actual = _zero_row(), _zero_row()
    for month in MONTHS:
        target, got = _zero_row(), _zero_row()
        for (pid, m, metric), value in cells.items():
            if (
                pid in people
                and metric in target
                and (m == month or (metric == Metric.CLIENT_ASSETS and m == 12))
            ):
                target[metric] += value
        for pid in people:
            row = actual.get((pid, month))
            if row:
                for metric in TRACKED:
                    got[metric] += row[metric]
        for metric in (Metric.NEW_ACCOUNTS, Metric.NET_REVENUE):
            cumulative_target[metric] += target[metric]
            cumulative_actual[metric] += got[metric]
        months.append(
            {
                "month": month,
                "target": target,
                "actual": got,
                "imported": month in imported,
                "reviewed": bool(imported.get(month) and imported[month].reviewed_at),
                "cum_target": dict(cumulative_target),
                "cum_actual": dict(cumulative_actual),
                # the personal monthly sales target (元), read
                # against the month's net revenue from the CRM.
                "sales": sales.get(month),
                "sales_rate": (
                    int(got[Metric.NET_REVENUE] / sales[month] * 100) if sales.get(month) else None
                ),
            }
        )
    return {
        "split": split,
        "months": months,
        "sales": dict(sales),
        "imported_any": bool(imported),
        "year_target": {
            metric: sum(
                (v for (pid, _m, mt), v in cells.items() if mt == metric and pid in people),
                Decimal("0"),
            )
            for metric in SPLIT_METRICS
        },
    }


def progress_chart(data: dict, metric: str) -> dict:
    """A Chart.js config: monthly target and actual bars, cumulative lines."""
    labels = [f"{m['month']}月" for m in data["months"]]
    datasets = [
        {
            "type": "bar",
            "label": "目标",
            "data": [float(m["target"][metric]) for m in data["months"]],
            "backgroundColor": "rgba(13,110,253,0.35)",
        },
        {
            "type": "bar",
            "label": "实际",
            "data": [float(m["actual"][metric]) for m in data["months"]],
            "backgroundColor": "rgba(25,135,84,0.7)",
        },
    ]
    if metric != Metric.CLIENT_ASSETS:
        datasets += [
            {
                "type": "line",
                "label": "累计目标",
                "data": [float(m["cum_target"][metric]) for m in data["months"]],
                "borderColor": "#0d6efd",
                "yAxisID": "y1",
                "tension": 0.2,
            },
            {
                "type": "line",
                "label": "累计实际",
                "data": [float(m["cum_actual"][metric]) for m in data["months"]],
                "borderColor": "#198754",
                "yAxisID": "y1",
                "tension": 0.2,
            },
        ]
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {
            "responsive": True,
            "maintainAspectRatio": False,
            "plugins": {"legend": {"position": "bottom"}},
            "scales": {
                "y": {"beginAtZero": True},
                "y1": {
                    "beginAtZero": True,
                    "position": "right",
                    "display": metric != Metric.CLIENT_ASSETS,
                },
            },
        },
    }


# -- work logs -------------------------------------------------------------------


def work_logs_for(user):
    return WorkLog.objects.visible_to(user).select_related("person", "team", "group")


def sample_logs(team: Team, start: dt.date, end: dt.date, size: int, seed: int) -> list[int]:
    """The sample a seed draws from a period's logs: the same seed and
    period always give the same sample (the population is taken in a fixed
    order)."""
    population = list(
        WorkLog.objects.filter(team=team, date__gte=start, date__lte=end)
        .order_by("date", "person__employee_no", "id")
        .values_list("pk", flat=True)
    )
    rng = random.Random(seed)  # noqa: S311 -- reproducible sampling, not security
    return sorted(rng.sample(population, min(size, len(population))))


def missing_logs(people, start: dt.date, end: dt.date) -> list[dict]:
    """Working days without a log, per person (days before he joined and
    days not yet over are not counted)."""
    today = timezone.localdate()
    end = min(end, today - dt.timedelta(days=1))
    if end < start:
        return []
    days = calendar.working_days(start, end)
    people = list(people)
    filed = defaultdict(set)
    for person_id, date in WorkLog.objects.filter(
        person__in=people, date__gte=start, date__lte=end
    ).values_list("person_id", "date"):
        filed[person_id].add(date)
    out = []
    for person in people:
        gaps = [
            d
            for d in days
            if d not in filed[person.pk] and (person.hired_on is None or d >= person.hired_on)
        ]
        if gaps:
            out.append({"person": person, "days": gaps})
    return out


def team_members(team: Team):
    return (
        User.objects.filter(team=team)
        .exclude(status=User.Status.LEFT)
        .select_related("group", "outlet", "level")
        .order_by("group__name", "employee_no")
    )


def spot_checks_for(user):
    return (
        SpotCheck.objects.visible_to(user)
        .select_related("team", "drawn_by")
        .annotate(sampled=Count("items"), checked=Count("items", filter=~Q(items__verdict="")))
    )


def spot_check_items(check: SpotCheck):
    return check.items.select_related("work_log__person", "checked_by").order_by(
        "work_log__date", "work_log__person__employee_no"
    )


def coverage(team: Team, start: dt.date, end: dt.date) -> list[dict]:
    """Who was checked when: logs filed and checked per member in a period."""
    members = list(team_members(team))
    filed = dict(
        WorkLog.objects.filter(team=team, date__gte=start, date__lte=end)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    checked = {
        row["work_log__person_id"]: row
        for row in SpotCheckItem.objects.filter(
            spot_check__team=team, work_log__date__gte=start, work_log__date__lte=end
        )
        .exclude(verdict="")
        .values("work_log__person_id")
        .annotate(n=Count("id"), last=Max("checked_at"))
    }
    return [
        {
            "person": m,
            "filed": filed.get(m.pk, 0),
            "checked": checked.get(m.pk, {}).get("n", 0),
            "last_checked": checked.get(m.pk, {}).get("last"),
        }
        for m in members
    ]


# -- division of labour -------------------------------------------------------------


def duties(team: Team, on: dt.date | None = None):
    on = on or timezone.localdate()
    return (
        MemberDuty.objects.filter(in_force_q(on), team=team)
        .select_related("person")
        .order_by("person__employee_no")
    )


def pairings(team: Team, on: dt.date | None = None):
    on = on or timezone.localdate()
    return Pairing.objects.filter(in_force_q(on), team=team).select_related("developer", "servicer")


# -- analysis reports ------------------------------------------------------------------


def report_visibility_q(user, model):
    q = scope_for(user).stamped_q(group=None, outlet=None, hq=True)
    routed = subject_ids_routed_to(user, model)
    if routed:
        q |= Q(pk__in=routed)
    return q


def reports_for(user):
    return AnalysisReport.objects.visible_to(user).select_related("team", "branch", "prepared_by")


def period_bounds(period: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    if period == AnalysisReport.Period.MONTH:
        start = dt.date(year, number, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    elif period == AnalysisReport.Period.HALF:
        start = dt.date(year, 1 if number == 1 else 7, 1)
        end = dt.date(year, 6, 30) if number == 1 else dt.date(year, 12, 31)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start, end


def figure(value: Decimal, metric: str) -> str:
    """How a figure reads in a report: accounts as whole numbers, money to the fen."""
    if metric == Metric.NEW_ACCOUNTS:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def year_so_far(year: int) -> tuple[dt.date, dt.date]:
    """1 January to today (or to 31 December for a past year)."""
    today = timezone.localdate()
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


def report_figures(team: Team, start: dt.date, end: dt.date) -> dict:
    """The period's figures for a report draft: targets and actuals of the
    months in the period, per month and per person, and work-log discipline.
    Client assets are month-end stocks: the actual is the period's last
    month, the target the year-end figure."""
    data = progress(team, start.year)
    months = [m for m in data["months"] if start.month <= m["month"] <= end.month]

    def total(rows, key, metric):
        if metric == Metric.CLIENT_ASSETS:
            return rows[-1][key][metric] if rows else Decimal("0")
        return sum((r[key][metric] for r in rows), Decimal("0"))

    summary = {}
    for metric in TRACKED:
        target, actual = total(months, "target", metric), total(months, "actual", metric)
        summary[metric] = {
            "label": Metric(metric).label,
            "target": figure(target, metric),
            "actual": figure(actual, metric),
            "rate": f"{(actual / target * 100):.1f}%" if target else "—",
        }
    cells = split_values(data["split"])
    members = list(split_members(team))
    actual = monthly_actuals([m.pk for m in members], start.year)
    in_period = range(start.month, end.month + 1)
    people = []
    for member in members:
        row = {"name": member.name, "employee_no": member.employee_no}
        for metric in TRACKED:
            if metric == Metric.CLIENT_ASSETS:
                target = cells.get((member.pk, 12, metric), Decimal("0"))
                got = actual.get((member.pk, end.month), {}).get(metric, Decimal("0"))
            else:
                target = sum(
                    (cells.get((member.pk, mo, metric), Decimal("0")) for mo in in_period),
                    Decimal("0"),
                )
                got = sum(
                    (actual.get((member.pk, mo), {}).get(metric, Decimal("0")) for mo in in_period),
                    Decimal("0"),
                )
            row[metric] = {"target": figure(target, metric), "actual": figure(got, metric)}
        people.append(row)
    missing = missing_logs(members, start, end)
    return {
        "summary": summary,
        "months": [
            {
                "month": m["month"],
                "imported": m["imported"],
                **{
                    f"{k}_{metric}": str(m[k][metric])
                    for k in ("target", "actual")
                    for metric in TRACKED
                },
            }
            for m in months
        ],
        "people": people,
        "imported_months": [m["month"] for m in months if m["imported"]],
        "logs_missing": sum(len(r["days"]) for r in missing),
        "logs_filed": WorkLog.objects.filter(team=team, date__gte=start, date__lte=end).count(),
        # Attendance, meetings, visits … as the other chapters report them.
        "sections": team_figures(team, start, end),
    }


def org_groups(team: Team) -> list[dict]:
    """The team's groups with their leaders and members (R-1.9)."""
    from staff.models import Group, RoleAssignment

    today = timezone.localdate()
    groups = list(Group.objects.filter(team=team, is_active=True).order_by("name"))
    leaders = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        in_force_q(today), role=Role.GROUP_LEADER, group__in=groups
    ).select_related("user"):
        leaders[ra.group_id].append(ra.user)
    members = defaultdict(list)
    for m in team_members(team):
        members[m.group_id].append(m)
    return [{"group": g, "leaders": leaders[g.pk], "members": members[g.pk]} for g in groups]


def archived_reports(branch, year: int, month: int):
    """The teams' analysis reports of a month that were reviewed and
    archived (R-6.5), for the branch's monthly archive."""
    return AnalysisReport.objects.filter(
        branch=branch,
        status=AnalysisReport.Status.ARCHIVED,
        period=AnalysisReport.Period.MONTH,
        year=year,
        number=month,
    ).select_related("team", "prepared_by")


# -- home-page figures (R-8.4) ----------------------------------------------------


def month_target_and_actual(person: User, year: int, month: int) -> dict:
    """A member's targets for one month against his CRM actuals: three
    queries whatever the data (cells, actuals, whether the month is in)."""
    cells = {
        row["metric"]: row["value"]
        for row in TargetCell.objects.filter(
            split__team_id=person.team_id,
            split__year=year,
            split__is_current=True,
            person=person,
            month=month,
        ).values("metric", "value")
    }
    actual = monthly_actuals([person.pk], year).get((person.pk, month), {})
    imported = month in current_imports(year, person.branch_id) if person.branch_id else False
    rows = []
    for metric in (Metric.NEW_ACCOUNTS, Metric.NET_REVENUE):
        target = cells.get(metric, Decimal("0"))
        got = actual.get(metric, Decimal("0"))
        rows.append(
            {
                "label": Metric(metric).label,
                "target": figure(target, metric),
                "actual": figure(got, metric),
                "rate": int(got / target * 100) if target else None,
            }
        )
    return {
        "rows": rows,
        "sales": cells.get(Metric.SALES),
        "has_split": bool(cells),
        "imported": imported,
    }


def branch_progress(branch_ids, year: int, upto_month: int) -> list[dict]:
    """Each active team of the branches: year-to-date targets against CRM
    actuals for new accounts and net revenue. Three queries whatever the
    number of teams or figures."""
    from clients.models import CrmFigure, CrmImport

    teams = list(
        Team.objects.filter(branch_id__in=list(branch_ids))
        .exclude(status__in=[Team.Status.PREPARING, Team.Status.DISSOLVED])
        .select_related("branch")
        .order_by("branch__code", "code")
    )
    targets = defaultdict(Decimal)
    for row in (
        TargetCell.objects.filter(
            split__team__in=teams,
            split__year=year,
            split__is_current=True,
            month__lte=upto_month,
            metric__in=[Metric.NEW_ACCOUNTS, Metric.NET_REVENUE],
        )
        .values("split__team_id", "metric")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        targets[(row["split__team_id"], row["metric"])] = row["total"]
    actuals = {
        row["team_id"]: row
        for row in CrmFigure.objects.filter(
            team__in=teams,
            # A range on the stored first-of-month (not month__month, a
            # function per row on SQLite): the (team, month) index serves it.
            month__range=(dt.date(year, 1, 1), dt.date(year, upto_month, 1)),
            crm_import__status=CrmImport.Status.CURRENT,
        )
        .values("team_id")
        .annotate(
            new_accounts=Count("id", filter=Q(new_account=True)),
            net_revenue=Sum("net_revenue"),
        )
        .order_by()
    }
    out = []
    for team in teams:
        got = actuals.get(team.pk, {})
        row = {"team": team}
        for metric in (Metric.NEW_ACCOUNTS, Metric.NET_REVENUE):
            target = targets[(team.pk, metric)]
            value = Decimal(got.get(metric) or 0)
            row[metric] = {
                "target": target,
                "actual": value,
                "rate": int(value / target * 100) if target else None,
            }
        out.append(row)
    return out


def branch_progress_chart(rows: list[dict]) -> dict:
    """Completion rates per team as horizontal bars (Chart.js config)."""
    return {
        "type": "bar",
        "data": {
            "labels": [r["team"].name for r in rows],
            "datasets": [
                {
                    "label": "新开户完成率（%）",
                    "data": [r[Metric.NEW_ACCOUNTS]["rate"] or 0 for r in rows],
                    "backgroundColor": "rgba(13,110,253,0.6)",
                },
                {
                    "label": "净收入完成率（%）",
                    "data": [r[Metric.NET_REVENUE]["rate"] or 0 for r in rows],
                    "backgroundColor": "rgba(25,135,84,0.7)",
                },
            ],
        },
        "options": {"indexAxis": "y", "maintainAspectRatio": False},
    }


def unchecked_samples(team_ids) -> int:
    """Sampled work logs of the teams still waiting for a verdict."""
    return SpotCheckItem.objects.filter(spot_check__team_id__in=list(team_ids), verdict="").count()


def drawn_since(team_ids, since: dt.date) -> set[int]:
    """Teams that drew a spot-check since a date."""
    return set(
        SpotCheck.objects.filter(team_id__in=list(team_ids), drawn_at__date__gte=since)
        .values_list("team_id", flat=True)
        .distinct()
    )


def log_filed(person: User, on: dt.date) -> bool:
    return WorkLog.objects.filter(person=person, date=on).exists()
