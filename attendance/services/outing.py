"""营销人员出访单 (R-2.6): filed before leaving, and checked afterwards by
the team leader, by sample (抽查, from a stored seed) or all (全查)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attendance import rules, selectors
from attendance.models import CheckRound, OutingCheck, OutingSlip
from attendance.permissions import can_check_outings
from attendance.services import roll
from portal.uploads import attach
from staff.models import Team, User

# A slip is filed before leaving; a few minutes' grace covers filling it in.
FILING_GRACE = dt.timedelta(minutes=15)
LONGEST_OUTING = dt.timedelta(days=7)
PHOTO_KINDS = ("png", "jpg")


@transaction.atomic
def file_outing_slip(
    *,
    actor: User,
    destination: str,
    visitee: str,
    contact: str,
    purpose: str,
    planned_out: dt.datetime,
    planned_back: dt.datetime,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy: int | None = None,
    photo=None,
) -> OutingSlip:
    """Files a slip before going out (R-2.6): where, whom, how to reach him.
    The location is kept only when the phone gave it with the person's
    consent."""
    now = timezone.now()
    errors = {}
    if actor.branch_id is None:
        raise ValidationError("您没有所属营业部，不能填写出访单。")
    if planned_out < now - FILING_GRACE:
        errors["planned_out"] = "出访单须在外出前填写：计划外出时间不能早于现在。"
    if planned_back <= planned_out:
        errors["planned_back"] = "计划返回时间须晚于外出时间。"
    elif planned_back - planned_out > LONGEST_OUTING:
        errors["planned_back"] = "一张出访单最长 7 天，请分开填写。"
    if (latitude is None) != (longitude is None):
        errors["latitude"] = "位置信息不完整。"
    if errors:
        raise ValidationError(errors)
    slip = OutingSlip(
        person=actor,
        destination=destination.strip(),
        visitee=visitee.strip(),
        contact=contact.strip(),
        purpose=purpose.strip(),
        planned_out=planned_out,
        planned_back=planned_back,
        latitude=latitude,
        longitude=longitude,
        accuracy=accuracy if latitude is not None else None,
    )
    slip.stamp_from(actor)
    slip.full_clean()
    slip.save()
    if photo is not None:
        attach(actor=actor, owner=slip, upload=photo, purpose="photo", kinds=PHOTO_KINDS)
    roll.link_slip(actor=actor, slip=slip)
    return slip


@transaction.atomic
def start_check_round(
    *,
    actor: User,
    team: Team,
    period_start: dt.date,
    period_end: dt.date,
    mode: str,
    sample_size: int | None = None,
    seed: int | None = None,
) -> CheckRound:
    """Starts an after-check of a team's slips over a period. 全查 takes them
    all; 抽查 draws a sample from a seed that is stored, so the same seed and
    period always give the same sample."""
    if not can_check_outings(actor, team):
        raise ValidationError("只有该团队的负责人可以检查出访单。")
    if period_end < period_start:
        raise ValidationError({"period_end": "结束日期不能早于开始日期。"})
    if period_start > timezone.localdate():
        raise ValidationError({"period_start": "不能检查尚未开始的期间。"})
    drawn_at = timezone.now()
    population = list(
        selectors.check_population(team, period_start, period_end, as_of=drawn_at).values_list(
            "pk", flat=True
        )
    )
    if not population:
        raise ValidationError("该期间本团队没有出访单。")
    if mode == CheckRound.Mode.ALL:
        seed, chosen = 0, sorted(population)
    elif mode == CheckRound.Mode.SAMPLE:
        size = sample_size or rules.default_sample_size(len(population))
        if size < 1:
            raise ValidationError({"sample_size": "抽查份数至少为 1。"})
        seed = seed if seed is not None else secrets.randbelow(2**31)
        chosen = rules.draw_sample(population, seed=seed, size=size)
    else:
        raise ValidationError({"mode": "请选择抽查或全查。"})
    check_round = CheckRound(
        team=team,
        branch_id=team.branch_id,
        period_start=period_start,
        period_end=period_end,
        mode=mode,
        seed=seed,
        population=len(population),
        sample_size=len(chosen),
        created_by=actor,
        drawn_at=drawn_at,
    )
    check_round.full_clean()
    check_round.save()
    OutingCheck.objects.bulk_create(
        [OutingCheck(round=check_round, slip_id=pk) for pk in chosen], batch_size=500
    )
    return check_round


def redraw(check_round: CheckRound) -> list[int]:
    """The round's sample drawn again from its stored seed, for verification."""
    population = selectors.check_population(
        check_round.team,
        check_round.period_start,
        check_round.period_end,
        as_of=check_round.drawn_at,
    ).values_list("pk", flat=True)
    if check_round.mode == CheckRound.Mode.ALL:
        return sorted(population)
    return rules.draw_sample(list(population), seed=check_round.seed, size=check_round.sample_size)


@transaction.atomic
def record_check_result(
    *, actor: User, check: OutingCheck, result: str, note: str = ""
) -> OutingCheck:
    """The leader's finding on one slip: 属实, or 不符 with what he found."""
    check = (
        OutingCheck.objects.select_for_update(of=("self",))
        .select_related("round__team")
        .get(pk=check.pk)
    )
    if not can_check_outings(actor, check.round.team):
        raise ValidationError("只有该团队的负责人可以登记核查结果。")
    if result not in (OutingCheck.Result.CONFIRMED, OutingCheck.Result.DISCREPANCY):
        raise ValidationError({"result": "请选择核查结果。"})
    if result == OutingCheck.Result.DISCREPANCY and not note.strip():
        raise ValidationError({"note": "核查不符时须写明情况。"})
    check.result = result
    check.note = note.strip()
    check.checked_by = actor
    check.checked_at = timezone.now()
    check._history_user = actor
    check.save()
    return check
