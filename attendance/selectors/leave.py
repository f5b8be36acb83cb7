"""Leave requests and balances."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from attendance import rules
from attendance.models import (
    AnnualLeaveTier,
    AttendanceRecord,
    LeaveKind,
    LeavePolicy,
    LeaveRequest,
)
from staff.models import User


def leaves_for(user) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.visible_to(user).select_related("person", "team", "deputy")


def leave_detail(user, pk: int) -> LeaveRequest:
    return get_object_or_404(leaves_for(user), pk=pk)


def annual_tiers() -> list[tuple[int, Decimal]]:
    return list(AnnualLeaveTier.objects.values_list("from_years", "days"))


def policies() -> dict[str, LeavePolicy]:
    return {p.kind: p for p in LeavePolicy.objects.all()}


@dataclass
class Balance:
    kind: str
    label: str
    entitled: Decimal | None
    used: Decimal
    pending: Decimal
    note: str = ""

    @property
    def remaining(self) -> Decimal | None:
        if self.entitled is None:
            return None
        return self.entitled - self.used - self.pending


def annual_entitled(person: User, year: int) -> Decimal:
    """Statutory annual leave by complete years of service on 1 January."""
    years = rules.years_of_service(person.hired_on, dt.date(year, 1, 1))
    return rules.annual_entitlement(years, annual_tiers())


def compensatory_earned(person: User) -> Decimal:
    """调休 earned: recorded overtime hours, in half days of 8-hour days (R-2.4)."""
    hours = AttendanceRecord.objects.filter(person=person).aggregate(h=Sum("overtime_hours"))["h"]
    return rules.overtime_days(hours or Decimal(0))


def leave_balances(person: User, year: int) -> list[Balance]:
    """Each leave type: entitlement (where there is one), used and pending."""
    active = LeaveRequest.objects.filter(person=person, status__in=LeaveRequest.ACTIVE_STATES)
    by_year = (
        active.filter(start_date__year=year)
        .values("kind", "status")
        .annotate(days=Sum("days"))
        .order_by()
    )
    used: dict[str, Decimal] = defaultdict(Decimal)
    pending: dict[str, Decimal] = defaultdict(Decimal)
    for row in by_year:
        target = used if row["status"] == LeaveRequest.Status.APPROVED else pending
        target[row["kind"]] += row["days"]
    comp = (
        active.filter(kind=LeaveKind.COMPENSATORY)
        .values("status")
        .annotate(days=Sum("days"))
        .order_by()
    )
    comp_used = sum(
        (r["days"] for r in comp if r["status"] == LeaveRequest.Status.APPROVED), Decimal(0)
    )
    comp_pending = sum(
        (r["days"] for r in comp if r["status"] == LeaveRequest.Status.PENDING), Decimal(0)
    )
    limits = policies()
    out = []
    for kind, label in LeaveKind.choices:
        if kind == LeaveKind.ANNUAL:
            out.append(
                Balance(
                    kind,
                    label,
                    annual_entitled(person, year),
                    used[kind],
                    pending[kind],
                    "按截至 1 月 1 日的连续工龄",
                )
            )
        elif kind == LeaveKind.COMPENSATORY:
            out.append(
                Balance(
                    kind,
                    label,
                    compensatory_earned(person),
                    comp_used,
                    comp_pending,
                    "加班每满 4 小时折半天",
                )
            )
        else:
            policy = limits.get(kind)
            note = (
                f"单次最多 {rules.days_text(policy.max_days)} 天"
                if policy and policy.max_days
                else ""
            )
            out.append(Balance(kind, label, None, used[kind], pending[kind], note))
    return out
