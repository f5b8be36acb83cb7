"""What the archives add to the home page, a person's page and a client's page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from archives import permissions, selectors
from archives.models import Contract, MonthArchive
from archives.models.contracts import EXPIRY_WINDOW_DAYS
from archives.selectors.contracts import SAC_WINDOW_DAYS
from archives.selectors.files import incomplete_q
from staff.access import scope_for
from staff.models import Role, User


def _leads_files(user) -> bool:
    """Team leaders, the archive clerk and the branch management are told
    of contracts near expiry (R-6.2, R-8.4)."""
    return bool(scope_for(user).ids(*permissions.ARCHIVE_BRANCH_ROLES, Role.TEAM_LEADER))


def _months_to_close(user, today: dt.date) -> list[dict]:
    branches = scope_for(user).ids(Role.ARCHIVE_CLERK)
    if not branches:
        return []
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    closed = set(
        MonthArchive.objects.filter(branch_id__in=branches, month=last).values_list(
            "branch_id", flat=True
        )
    )
    return [{"month": last, "branch_id": b} for b in sorted(branches) if b not in closed]


def home_block(request) -> dict | None:
    user = request.user
    today = timezone.localdate()
    if _leads_files(user):
        counts = selectors.expiry_counts(user, today)
        onboarding = (
            selectors.with_file_flags(
                selectors.people_for(user).filter(status=User.Status.ONBOARDING), today
            )
            .filter(incomplete_q())
            .count()
        )
        to_close = _months_to_close(user, today)
        if not (any(counts.values()) or onboarding or to_close):
            return None
        return {
            "code": "archives",
            "title": "档案提醒",
            "template": "archives/home_block.html",
            "counts": counts,
            "onboarding": onboarding,
            "to_close": to_close,
            "window": EXPIRY_WINDOW_DAYS,
            "link": reverse("archives:expiry"),
            "link_label": "到期提醒",
        }
    # Anyone else: his own contract or SAC registration near its end.
    own = (
        Contract.objects.filter(
            person=user,
            terminated_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .exclude(renewal__isnull=False)
        .first()
    )
    sac = user.sac_expires_on
    sac_soon = sac is not None and sac <= today + dt.timedelta(days=SAC_WINDOW_DAYS)
    if own is None and not sac_soon:
        return None
    return {
        "code": "archives",
        "title": "我的合同与执业登记",
        "template": "archives/home_own.html",
        "contract": own,
        "sac": sac if sac_soon else None,
        "sac_expired": sac_soon and sac < today,
        "link": reverse("archives:file_detail", args=[user.pk]),
        "link_label": "我的档案",
    }


def person_panel(request, person) -> dict | None:
    """人员档案 on a person's page: the checklist at a glance and a link."""
    if not selectors.people_for(request.user).filter(pk=person.pk).exists():
        return None
    status = selectors.file_status(person)
    contract = next((i.contract for i in status.items if i.code == "contract"), None)
    return {
        "code": "archives",
        "title": "人员档案",
        "template": "archives/person_panel.html",
        "status": status,
        "contract": contract,
        "url": reverse("archives:file_detail", args=[person.pk]),
    }


def client_panel(request, client) -> dict | None:
    """客户确认单 on a client's page: the slips the viewer may see."""
    slips = list(selectors.slips_of_client(request.user, client)[:21])
    if not slips:
        return None
    return {
        "code": "archives_slips",
        "title": "客户确认单",
        "template": "archives/client_panel.html",
        "slips": slips[:20],
        "more": len(slips) > 20,
    }
