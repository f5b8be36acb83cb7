"""The approvals block on everyone's home page (R-8.4): what waits for his
signature, oldest first, with how many working days it has waited. For HQ
departments this is where plans awaiting countersign show."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from approvals import selectors

SHOWN = 5


def pending_approvals(request) -> dict | None:
    tasks = selectors.inbox(request.user)
    total = tasks.count()
    if not total:
        return None
    today = timezone.localdate()
    oldest = list(tasks[:SHOWN])
    selectors.mark_waited(oldest, today)
    return {
        "code": "pending_approvals",
        "title": "待我审批",
        "template": "approvals/home/pending.html",
        "total": total,
        "tasks": oldest,
        "overdue_after": selectors.OVERDUE_WORKING_DAYS,
        "link": reverse("approvals:inbox"),
        "link_label": "全部待办",
    }


def register() -> None:
    from approvals.reminders import overdue_approvals
    from portal.registry import register_home_block, register_reminder

    register_home_block("pending_approvals", pending_approvals, order=8)
    register_reminder("approvals", overdue_approvals)
