"""Notifications through channels: in-app (always), email and the
企业微信 group robot when configured. External channels are sent after the
transaction commits, through a background task, so nothing is sent for a
rolled-back change and a slow channel never holds a request."""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django_tasks import task

from approvals.models import Deputy, Notice
from staff.models import Department, Role, RoleAssignment, User, in_force_q

logger = logging.getLogger(__name__)


def department_members(department: Department, on) -> list[User]:
    ids = RoleAssignment.objects.filter(
        in_force_q(on), role=Role.HQ_MEMBER, department=department
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True))


def people_of(task, on) -> list[User]:
    """Who is told about an open task: the members of its department, or
    its holder and whoever deputises for him on ``on``."""
    if task.department_id:
        return department_members(task.department, on)
    deputy_ids = (
        Deputy.objects.in_force(on).filter(principal_id=task.user_id).values_list("deputy_id")
    )
    deputies = User.objects.filter(pk__in=deputy_ids, is_active=True).order_by("employee_no")
    return [task.user, *deputies]


def notify(
    users: Iterable[User], *, title: str, body: str = "", url: str = "", dedup_key: str = ""
) -> list[Notice]:
    """Creates in-app notices and queues the external copies after commit.

    With ``dedup_key``, a user who already has a notice with that key gets
    nothing new (reminders run daily and must not repeat themselves)."""
    created = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if dedup_key and Notice.objects.filter(user=user, dedup_key=dedup_key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notice.objects.create(
                        user=user, title=title, body=body, url=url, dedup_key=dedup_key
                    )
                )
        except IntegrityError:  # a concurrent run wrote the same key first
            continue
    if created and (settings.PORTAL_NOTIFY_EMAIL or settings.PORTAL_WECOM_WEBHOOK):
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_external.enqueue(ids))
    return created


def _absolute(url: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url


@task()
def send_external(notice_ids: list[int]) -> int:
    """Email and 企业微信 copies of in-app notices; failures are logged, not raised."""
    sent = 0
    notices = list(Notice.objects.filter(pk__in=notice_ids).select_related("user"))
    for notice in notices:
        text = f"{notice.title}\n{notice.body}".strip()
        link = _absolute(notice.url) if notice.url else ""
        if settings.PORTAL_NOTIFY_EMAIL and notice.user.email:
            try:
                send_mail(
                    subject=f"[客户经理工作平台] {notice.title}",
                    message=f"{text}\n\n{link}".strip(),
                    from_email=None,
                    recipient_list=[notice.user.email],
                )
                sent += 1
            except Exception:  # a channel failing must not lose the others
                logger.exception("email notice %s failed", notice.pk)
        if settings.PORTAL_WECOM_WEBHOOK:
            payload = {
                "msgtype": "text",
                "text": {
                    "content": f"{text}\n{link}".strip(),
                    "mentioned_mobile_list": [notice.user.phone] if notice.user.phone else [],
                },
            }
            try:
                post_json(settings.PORTAL_WECOM_WEBHOOK, payload)
                sent += 1
            except Exception:
                logger.exception("wecom notice %s failed", notice.pk)
    return sent


def post_json(url: str, payload: dict) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310 -- configured https URL
    with urllib.request.urlopen(req, timeout=5) as response:  # noqa: S310
        response.read()
