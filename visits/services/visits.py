"""Writes of visit plans and 客户走访日志 (R-7.1), with the overlap check
before saving (R-7.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clients.models import Client
from portal.uploads import attach
from staff.models import User
from visits import rules
from visits.models import MonthlySubmission, OverlapWarning, Visit, VisitMode, VisitPlan
from visits.permissions import can_edit_plan, can_edit_visit
from visits.selectors.overlap import Warning, overlap_warnings
from visits.selectors.visits import may_visit

PHOTO_KINDS = ("png", "jpg")
MAX_PHOTOS = 6


class OverlapNeedsConfirmation(ValidationError):
    """Raised instead of saving when there are overlap warnings the user has
    not confirmed yet; the form shows them with a confirm button."""

    def __init__(self, warnings: list[Warning]):
        self.warnings = warnings
        super().__init__([w.message for w in warnings])


@dataclass(frozen=True)
class FollowUpInput:
    category: str
    description: str
    due_on: dt.date
    department: str = ""
    department_note: str = ""


def _check_overlap(warnings: list[Warning], confirm: bool) -> None:
    if warnings and not confirm:
        raise OverlapNeedsConfirmation(warnings)


def _record_overlaps(warnings: list[Warning], *, client, person, on, visit=None, plan=None):
    OverlapWarning.objects.bulk_create(
        [
            OverlapWarning(
                kind=w.kind,
                client=client,
                visit=visit,
                plan=plan,
                person=person,
                on_date=on,
                other_person=w.other_person,
                other_date=w.other_date,
                message=w.message[:300],
                branch_id=person.branch_id,
                team_id=person.team_id,
                other_team_id=w.other_person.team_id,
            )
            for w in warnings
        ]
    )


def _check_client(actor, client: Client) -> None:
    if not may_visit(actor, client):
        raise ValidationError({"client": "只能登记本营业部客户的走访。"})
    if client.status == Client.Status.CLOSED:
        raise ValidationError({"client": "该客户已销户。"})


def _lock_month(visitor: User, month: dt.date) -> None:
    """Serialises filing against submitting: both lock the visitor's row, so
    a visit is either in the month's submission or refused (see the
    PostgreSQL test ``tests/pg/test_visits_month_lock.py``)."""
    list(User.objects.select_for_update().filter(pk=visitor.pk).values_list("pk", flat=True))
    submission = MonthlySubmission.objects.filter(visitor=visitor, month=month).first()
    if submission is not None and submission.locked:
        raise ValidationError(
            {
                "visited_on": f"{month:%Y 年 %-m 月}的走访日志{submission.get_status_display()}，"
                "不能再登记或修改该月的走访。"
            }
        )


def _companions(actor, companions: Iterable[User]) -> list[User]:
    people = [c for c in companions if c.pk != actor.pk]
    for person in people:
        if person.branch_id != actor.branch_id:
            raise ValidationError({"companions": f"{person.name} 不是本营业部人员。"})
    return people


def _check_date(visited_on: dt.date, today: dt.date) -> None:
    if visited_on > today:
        raise ValidationError(
            {"visited_on": "走访日期不能晚于今天；尚未进行的走访请登记为走访计划。"}
        )


@transaction.atomic
def file_visit(
    *,
    actor: User,
    client: Client,
    visited_on: dt.date,
    mode: str,
    content: str,
    opinions: str = "",
    needs: str = "",
    next_step: str = "",
    met_with: str = "",
    companions: Iterable[User] = (),
    other_companions: str = "",
    plan: VisitPlan | None = None,
    photos: Iterable = (),
    followup: FollowUpInput | None = None,
    confirm_overlap: bool = False,
) -> Visit:
    """Files a 客户走访日志. Warns (raises :class:`OverlapNeedsConfirmation`)
    before saving a visit to a client owned or recently visited by someone
    else, until the visitor confirms (R-7.2). A problem not solved on the
    spot becomes a follow-up owned by the visitor (R-7.3)."""
    from visits.services.followups import raise_followup

    today = timezone.localdate()
    _check_client(actor, client)
    _check_date(visited_on, today)
    month = rules.month_start(visited_on)
    _lock_month(actor, month)
    if plan is not None:
        plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
        if not can_edit_plan(actor, plan) or plan.client_id != client.pk:
            raise ValidationError("该走访计划不能用于本次登记。")
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"每次最多上传 {MAX_PHOTOS} 张照片。"})
    people = _companions(actor, companions)
    warnings = overlap_warnings(
        client=client, person=actor, on=visited_on, exclude_plan=plan.pk if plan else None
    )
    _check_overlap(warnings, confirm_overlap)
    visit = Visit(
        client=client,
        visitor=actor,
        visited_on=visited_on,
        mode=mode,
        content=content.strip(),
        opinions=opinions.strip(),
        needs=needs.strip(),
        next_step=next_step.strip(),
        met_with=met_with.strip(),
        other_companions=other_companions.strip(),
        month=month,
        overlap_note="\n".join(w.message for w in warnings),
    )
    visit.stamp_from(actor)
    visit.full_clean()
    visit._history_user = actor
    visit.save()
    if people:
        visit.companions.set(people)
    _record_overlaps(warnings, client=client, person=actor, on=visited_on, visit=visit)
    for upload in photos:
        attach(actor=actor, owner=visit, upload=upload, purpose="photo", kinds=PHOTO_KINDS)
    if plan is not None:
        plan.status = VisitPlan.Status.DONE
        plan.visit = visit
        plan._history_user = actor
        plan.save(update_fields=["status", "visit"])
    if followup is not None:
        raise_followup(
            actor=actor,
            visit=visit,
            category=followup.category,
            description=followup.description,
            due_on=followup.due_on,
            department=followup.department,
            department_note=followup.department_note,
        )
    return visit


EDITABLE_FIELDS = (
    "visited_on",
    "mode",
    "content",
    "opinions",
    "needs",
    "next_step",
    "met_with",
    "other_companions",
)


@transaction.atomic
def update_visit(
    *,
    actor: User,
    visit: Visit,
    companions: Iterable[User] | None = None,
    confirm_overlap: bool = False,
    reason: str = "",
    **changes,
) -> Visit:
    """Amends a log until its month is submitted; a change of date is
    checked for overlap again."""
    visit = (
        Visit.objects.select_for_update(of=("self",)).select_related("submission").get(pk=visit.pk)
    )
    if not can_edit_visit(actor, visit):
        raise ValidationError("只有走访人本人可以修改，且该月日志提交核验后不能修改。")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改：{', '.join(sorted(unknown))}")
    today = timezone.localdate()
    new_date = changes.get("visited_on", visit.visited_on)
    _check_date(new_date, today)
    _lock_month(actor, visit.month)
    new_month = rules.month_start(new_date)
    if new_month != visit.month:
        _lock_month(actor, new_month)
        visit.submission = None
    warnings: list[Warning] = []
    if new_date != visit.visited_on:
        warnings = overlap_warnings(
            client=visit.client, person=actor, on=new_date, exclude_visit=visit.pk
        )
        _check_overlap(warnings, confirm_overlap)
    for name, value in changes.items():
        setattr(visit, name, value.strip() if isinstance(value, str) else value)
    visit.month = new_month
    if warnings:
        visit.overlap_note = "\n".join(w.message for w in warnings)
    visit.full_clean()
    visit._history_user = actor
    visit._change_reason = reason[:100]
    visit.save()
    if companions is not None:
        visit.companions.set(_companions(actor, companions))
    if warnings:
        _record_overlaps(warnings, client=visit.client, person=actor, on=new_date, visit=visit)
    return visit


@transaction.atomic
def add_photos(*, actor: User, visit: Visit, photos: Iterable) -> int:
    from portal.uploads import attachments_of

    visit = (
        Visit.objects.select_for_update(of=("self",)).select_related("submission").get(pk=visit.pk)
    )
    if not can_edit_visit(actor, visit):
        raise ValidationError("该走访日志已提交核验，不能再添加照片。")
    photos = list(photos)
    if attachments_of(visit, "photo").count() + len(photos) > MAX_PHOTOS:
        raise ValidationError(f"每条走访日志最多 {MAX_PHOTOS} 张照片。")
    for upload in photos:
        attach(actor=actor, owner=visit, upload=upload, purpose="photo", kinds=PHOTO_KINDS)
    return len(photos)


# -- plans -------------------------------------------------------------------------


@transaction.atomic
def plan_visit(
    *,
    actor: User,
    client: Client,
    planned_on: dt.date,
    purpose: str,
    mode: str = VisitMode.ONSITE,
    confirm_overlap: bool = False,
) -> VisitPlan:
    """Plans a visit; warns before saving when the client is someone else's
    or another manager visited or plans to visit it (R-7.2)."""
    _check_client(actor, client)
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": "计划日期不能早于今天。"})
    warnings = overlap_warnings(client=client, person=actor, on=planned_on)
    _check_overlap(warnings, confirm_overlap)
    plan = VisitPlan(
        client=client,
        manager=actor,
        planned_on=planned_on,
        mode=mode,
        purpose=purpose.strip(),
        overlap_note="\n".join(w.message for w in warnings),
    )
    plan.stamp_from(actor)
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    _record_overlaps(warnings, client=client, person=actor, on=planned_on, plan=plan)
    return plan


@transaction.atomic
def cancel_plan(*, actor: User, plan: VisitPlan, reason: str) -> VisitPlan:
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    if not can_edit_plan(actor, plan):
        raise ValidationError("只能取消本人尚未完成的走访计划。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写取消原因。"})
    plan.status = VisitPlan.Status.CANCELLED
    plan.cancel_reason = reason.strip()[:200]
    plan._history_user = actor
    plan.save(update_fields=["status", "cancel_reason"])
    return plan
