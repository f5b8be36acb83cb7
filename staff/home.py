"""Home-page blocks contributed by the staff app."""

from django.urls import reverse
from django.utils import timezone

from staff.models import CalendarYear
from staff.permissions import can_manage_calendar
from staff.selectors import current_roles


def my_posts(request) -> dict:
    return {
        "code": "my_posts",
        "title": "我的岗位",
        "template": "staff/home/my_posts.html",
        "roles": list(current_roles(request.user)),
        "link": reverse("staff:user_detail", args=[request.user.pk]),
        "link_label": "我的资料",
    }


def calendar_due(request) -> dict | None:
    """From 1 December the administrator is reminded to enter next year's
    official holiday schedule (R-2.9)."""
    if not can_manage_calendar(request.user):
        return None
    today = timezone.localdate()
    if today.month != 12:
        return None
    year = today.year + 1
    if CalendarYear.objects.filter(year=year).exists():
        return None
    return {
        "code": "calendar_due",
        "title": "工作日历待录入",
        "template": "staff/home/calendar_due.html",
        "year": year,
        "link": reverse("admin:staff_calendaryear_add"),
        "link_label": "去录入",
    }
