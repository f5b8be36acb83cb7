"""Action items (R-3.1): raised at a meeting, carried over to each following
weekly or monthly meeting until done, moved at any time (R-3.3)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from approvals.notify import notify
from meetings import permissions, selectors
from meetings.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionReview,
    ActionStatus,
    Meeting,
)
from meetings.services.entries import ReviewEntry
from staff.models import User

# Action items move along this table; ``transition_action`` is the one
# place that moves them.
ACTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.OPEN: (ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED),
    ActionStatus.IN_PROGRESS: (ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.CANCELLED),
    ActionStatus.DONE: (ActionStatus.IN_PROGRESS,),  # reopened
    ActionStatus.CANCELLED: (ActionStatus.OPEN,),  # restored
}


def _save_actions(actor, meeting, actions, existing=None) -> None:
    """New action items are told to their owners; an item removed in a
    correction is cancelled, never deleted."""
    existing = existing or {}
    new, changed = [], []
    for entry in actions:
        row = existing.pop(entry.pk, None) if entry.pk else None
        values = {
            "description": entry.description.strip()[:300],
            "owner": entry.owner,
            "due_date": entry.due_date,
        }
        if row is None:
            new.append(
                ActionItem(
                    meeting=meeting,
                    team_id=meeting.team_id,
                    branch_id=meeting.branch_id,
                    status=ActionStatus.OPEN,
                    updated_by=actor,
                    **values,
                )
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_by = actor
            changed.append(row)
    for entry in new:
        if entry.due_date < meeting.date:
            raise ValidationError({"actions": f"“{entry.description}”的完成期限早于会议日期。"})
    bulk_create_with_history(new, ActionItem, default_user=actor)
    if changed:
        bulk_update_with_history(
            changed,
            ActionItem,
            ["description", "owner", "due_date", "updated_by"],
            default_user=actor,
        )
    today = timezone.localdate()
    for row in existing.values():
        if row.status in OPEN_STATUSES:
            _move(actor, row, ActionStatus.CANCELLED, "会议记录更正时删除", today)
    by_owner: dict[int, list[ActionItem]] = {}
    for item in new:
        if item.owner_id != actor.pk:
            by_owner.setdefault(item.owner_id, []).append(item)
    for items in by_owner.values():
        owner = items[0].owner
        lines = "；".join(f"{i.description}（{i.due_date:%m月%d日}前）" for i in items)
        notify(
            [owner],
            title=f"{meeting}分配给您的待办事项",
            body=lines,
            url=reverse("meetings:action_list") + "?mine=1",
        )


def _carry_over(actor, meeting: Meeting, reviews: Mapping[int, ReviewEntry]) -> None:
    """Brings the team's open items of earlier meetings into this one and
    applies what the meeting said about them."""
    items = list(selectors.carried_items(meeting.team, meeting.date, exclude=meeting))
    ids = {i.pk for i in items}
    if set(reviews) - ids:
        raise ValidationError({"reviews": "待跟进事项已有变化，请刷新页面后重试。"})
    today = timezone.localdate()
    rows = []
    for item in items:
        review = reviews.get(item.pk)
        note = review.note.strip()[:300] if review else ""
        if review and (review.status != item.status or note):
            _move(actor, item, review.status, note, today, allow_same=True)
        rows.append(ActionReview(meeting=meeting, item=item, status=item.status, note=note))
    ActionReview.objects.bulk_create(rows)


# -- action items ----------------------------------------------------------------------


def _move(actor, item: ActionItem, status: str, note: str, today, allow_same=False) -> None:
    if status not in ActionStatus.values:
        raise ValidationError({"status": "状态不正确。"})
    if status == item.status:
        if not allow_same:
            raise ValidationError(
                {"status": f"“{item.description}”已经是“{item.get_status_display()}”。"}
            )
    elif status not in ACTION_TRANSITIONS[item.status]:
        raise ValidationError(
            {
                "status": f"“{item.description}”不能从“{item.get_status_display()}”"
                f"改为“{ActionStatus(status).label}”。"
            }
        )
    if status == ActionStatus.CANCELLED and not permissions.can_cancel_action(actor, item):
        raise ValidationError({"status": "只有团队负责人或营业部负责人可以取消待办事项。"})
    item.status = status
    if note:
        item.progress_note = note[:300]
    item.closed_on = today if status in (ActionStatus.DONE, ActionStatus.CANCELLED) else None
    item.updated_by = actor
    item.full_clean()
    item._history_user = actor
    item._change_reason = note[:100]
    item.save()


@transaction.atomic
def transition_action(*, actor: User, item: ActionItem, status: str, note: str = "") -> ActionItem:
    """Moves an action item's status — at any time, also after the meeting's
    minutes became read-only (R-3.3). Its owner, the team leader and the
    branch management may move it; only the latter two cancel it."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if not permissions.can_update_action(actor, item):
        raise ValidationError("只有负责人、团队负责人和营业部负责人可以更新待办事项。")
    _move(actor, item, status, note.strip(), timezone.localdate())
    return item
