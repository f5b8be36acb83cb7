"""What the archives add to the home page (R-8.4), a person's page and a
client's page. Registered from ``ArchivesConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from archives import permissions, selectors
from archives.models import Contract, MonthArchive
from archives.models.contracts import EXPIRY_WINDOW_DAYS
from archives.selectors.contracts import SAC_WINDOW_DAYS
from staff.access import scope_for
from staff.models import Role

# Contracts named on the alerts block; the rest are on the expiry page.
SHOWN = 5


def leads_files(user) -> bool:
    """Audience of the alerts block: team leaders, the archive clerk and the
    branch management are told of contracts near expiry and incomplete files
    (R-6.2, R-8.4). Cheap: the user's roles only."""
    return bool(scope_for(user).ids(*permissions.ARCHIVE_BRANCH_ROLES, Role.TEAM_LEADER))


def has_a_place(user) -> bool:
    """Audience of the own block: anyone posted in a branch may hold a
    contract or an SAC registration."""
    return bool(user.branch_id)


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


def alerts_block(request) -> dict | None:
    """档案提醒: contracts ending within 30 days (the first few by name),
    ended ones, SAC registrations near or past expiry, incomplete files and
    last month's archiving. A fixed number of queries whatever the data."""
    user = request.user
    if not leads_files(user):
        return None
    today = timezone.localdate()
    counts = selectors.expiry_counts(user, today)
    soon = list(selectors.expiring_contracts(user, today)[:SHOWN]) if counts["expiring"] else []
    files = selectors.incomplete_counts(user, today)
    to_close = _months_to_close(user, today)
    if not (any(counts.values()) or files["incomplete"] or to_close):
        return None
    return {
        "code": "archives",
        "title": "档案提醒",
        "template": "archives/home_block.html",
        "counts": counts,
        "soon": soon,
        "today": today,
        "incomplete": files["incomplete"],
        "onboarding": files["onboarding"],
        "to_close": to_close,
        "window": EXPIRY_WINDOW_DAYS,
        "link": reverse("archives:expiry"),
        "link_label": "到期提醒",
    }


def own_block(request) -> dict | None:
    """我的合同与执业登记: one's own contract or SAC registration near its end."""
    user = request.user
    today = timezone.localdate()
    own = (
        Contract.objects.filter(
            person=user,
            terminated_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .exclude(renewal__isnull=False)
        .exclude(Exists(Contract.objects.filter(person=user, starts_on__gt=OuterRef("starts_on"))))
        .order_by("ends_on")
        .first()
    )
    sac = user.sac_expires_on
    sac_soon = sac is not None and sac <= today + dt.timedelta(days=SAC_WINDOW_DAYS)
    if own is None and not sac_soon:
        return None
    return {
        "code": "archives_own",
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
