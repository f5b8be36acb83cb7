"""Quarterly level reviews and the annual evaluation (R-5.4).

The portal proposes from configurable rules; the branch manager confirms
or overrides each proposal with a reason; confirmed levels take effect
from the next quarter (or next year) as a dated posting, which the pay
standards lookup then follows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from clients.models import CrmFigure, CrmImport
from payroll.models import (
    DutyAssessment,
    EvaluationBand,
    LevelReview,
    LevelRule,
    ReviewItem,
)
from payroll.permissions import is_finance
from staff import services as staff_services
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Branch, Level, Posting, Role, User
from teams import selectors as teams

ZERO = Decimal("0")


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    return [dt.date(year, 3 * (quarter - 1) + i, 1) for i in (1, 2, 3)]


def _next_step(levels: list[Level], level: Level, step: int) -> Level:
    index = next(i for i, lv in enumerate(levels) if lv.pk == level.pk)
    return levels[max(0, min(len(levels) - 1, index + step))]


def propose_quarter(
    rule: LevelRule | None, revenue: Decimal, accounts: int, duty: Decimal | None
) -> str:
    """晋级 when every up threshold is met; 降级 when revenue or the duty
    average falls below its down threshold; otherwise 维持."""
    if rule is None:
        return ReviewItem.Proposal.SAME
    duty_value = duty if duty is not None else ZERO
    if (
        revenue >= rule.up_net_revenue
        and accounts >= rule.up_new_accounts
        and duty_value >= rule.up_duty_average
    ):
        return ReviewItem.Proposal.UP
    if revenue < rule.down_net_revenue or (duty is not None and duty < rule.down_duty_average):
        return ReviewItem.Proposal.DOWN
    return ReviewItem.Proposal.SAME


def grade_for(
    bands: list[EvaluationBand], duty: Decimal | None, completion: Decimal | None
) -> EvaluationBand:
    duty_value = duty if duty is not None else ZERO
    completion_value = completion if completion is not None else ZERO
    for band in bands:
        if duty_value >= band.min_duty_average and completion_value >= band.min_completion:
            return band
    return bands[-1]


def _figures(branch: Branch, months: list[dt.date], people: list[int]) -> tuple[dict, dict, dict]:
    crm = CrmFigure.objects.filter(
        crm_import__branch=branch,
        crm_import__status=CrmImport.Status.CURRENT,
        month__in=months,
        manager_id__in=people,
    )
    revenue, accounts = {}, {}
    for row in crm.values("manager_id").annotate(
        revenue=Sum("net_revenue"), accounts=Count("id", filter=Q(new_account=True))
    ):
        revenue[row["manager_id"]] = row["revenue"] or ZERO
        accounts[row["manager_id"]] = row["accounts"]
    duty = {
        row["person_id"]: Decimal(row["avg"]).quantize(Decimal("0.1"))
        for row in DutyAssessment.objects.filter(month__in=months, person_id__in=people)
        .values("person_id")
        .annotate(avg=Avg("total"))
    }
    return revenue, accounts, duty


def _members(branch: Branch, on: dt.date) -> list[Posting]:
    postings = (
        Posting.objects.filter(
            branch=branch, team__isnull=False, level__isnull=False, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .exclude(user__status=User.Status.LEFT)
        .select_related("user", "level", "team")
        .order_by("user__employee_no")
    )
    return list(postings)


@transaction.atomic
def open_review(*, actor: User, branch: Branch, year: int, quarter: int = 0) -> LevelReview:
    """Builds the proposals for a quarter (1–4) or, with ``quarter=0``, the
    annual evaluation of a year."""
    if not (is_finance(actor, branch) or branch.pk in scope_for(actor).ids(*BRANCH_MANAGEMENT)):
        raise ValidationError("只有本营业部的财务或经理可以发起级别考核。")
    annual = quarter == 0
    if not annual and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "季度应为 1–4。"})
    kind = LevelReview.Kind.YEAR if annual else LevelReview.Kind.QUARTER
    if LevelReview.objects.filter(branch=branch, kind=kind, year=year, quarter=quarter).exists():
        raise ValidationError("该期间的考核已经发起。")
    months = (
        [dt.date(year, m, 1) for m in range(1, 13)] if annual else quarter_months(year, quarter)
    )
    last_day = (months[-1] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    effective = last_day + dt.timedelta(days=1)
    review = LevelReview.objects.create(
        branch=branch,
        kind=kind,
        year=year,
        quarter=quarter,
        effective_on=effective,
        created_by=actor,
    )
    members = _members(branch, last_day)
    ids = [p.user_id for p in members]
    revenue, accounts, duty = _figures(branch, months, ids)
    levels = list(Level.objects.filter(is_active=True).order_by("rank"))
    rules = {r.level_id: r for r in LevelRule.objects.all()}
    bands = list(EvaluationBand.objects.order_by("order"))
    targets: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if annual:
        for team_id in {p.team_id for p in members}:
            split = teams.current_split(members_team(members, team_id), year)
            for (pid, _month, metric), value in teams.split_values(split).items():
                if metric == "net_revenue":
                    targets[pid] += value
    items = []
    for posting in members:
        pid = posting.user_id
        got, opened, score = revenue.get(pid, ZERO), accounts.get(pid, 0), duty.get(pid)
        if annual:
            target = targets.get(pid) or None
            completion = (got / target) if target else None
            band = grade_for(bands, score, completion)
            proposal = {1: ReviewItem.Proposal.UP, -1: ReviewItem.Proposal.DOWN}.get(
                band.level_change, ReviewItem.Proposal.SAME
            )
            grade = band.grade
        else:
            target, grade = None, ""
            proposal = propose_quarter(rules.get(posting.level_id), got, opened, score)
        step = {ReviewItem.Proposal.UP: 1, ReviewItem.Proposal.DOWN: -1}.get(proposal, 0)
        items.append(
            ReviewItem(
                review=review,
                person_id=pid,
                level=posting.level,
                net_revenue=got,
                new_accounts=opened,
                duty_average=score,
                target=target,
                grade=grade,
                proposal=proposal,
                proposed_level=_next_step(levels, posting.level, step),
            )
        )
    ReviewItem.objects.bulk_create(items)
    return review


def members_team(members: list[Posting], team_id: int):
    return next(p.team for p in members if p.team_id == team_id)


def _manager_of(actor: User, review: LevelReview) -> None:
    scope = scope_for(actor)
    if not (scope.superuser or review.branch_id in scope.ids(Role.BRANCH_MANAGER)):
        raise ValidationError("级别考核结果由营业部经理确认。")


@transaction.atomic
def decide_item(*, actor: User, item: ReviewItem, level: Level, reason: str = "") -> ReviewItem:
    """The branch manager confirms the proposal or overrides it with a reason."""
    item = ReviewItem.objects.select_for_update().select_related("review").get(pk=item.pk)
    _manager_of(actor, item.review)
    if item.review.status != LevelReview.Status.OPEN:
        raise ValidationError("该考核已确认生效，不能再修改。")
    if level.pk != item.proposed_level_id and not reason.strip():
        raise ValidationError({"reason": "与系统建议不同时须写明理由。"})
    item.decided_level = level
    item.override_reason = reason if level.pk != item.proposed_level_id else ""
    item.decided_by = actor
    item.decided_at = timezone.now()
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def confirm_review(*, actor: User, review: LevelReview) -> int:
    """Applies every decided level from the review's effective date; items
    not decided one by one take the proposal. Returns the number changed."""
    review = LevelReview.objects.select_for_update().get(pk=review.pk)
    _manager_of(actor, review)
    if review.status != LevelReview.Status.OPEN:
        raise ValidationError("该考核已确认生效。")
    changed = 0
    label = (
        "年度综合考评"
        if review.kind == LevelReview.Kind.YEAR
        else f"第 {review.quarter} 季度级别考核"
    )
    for item in review.items.select_related("person", "level", "proposed_level", "decided_level"):
        if item.decided_level_id is None:
            item.decided_level = item.proposed_level
            item.decided_by = actor
            item.decided_at = timezone.now()
            item._history_user = actor
            item.save()
        if item.decided_level_id != item.level_id:
            person = User.objects.get(pk=item.person_id)
            staff_services.change_posting(
                actor=actor,
                user=person,
                effective_on=review.effective_on,
                reason=f"{review.year} 年{label}：{item.level.name} → {item.decided_level.name}"
                + (f"（{item.override_reason}）" if item.override_reason else ""),
                level=item.decided_level,
            )
            changed += 1
    review.status = LevelReview.Status.CONFIRMED
    review.confirmed_by = actor
    review.confirmed_at = timezone.now()
    review.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return changed
