"""Every admin page renders in Chinese for a superuser, with search and filters."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_list_and_add_page_renders(admin_client, org):
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = admin_client.get(changelist, {"q": "甲"} if model_admin.search_fields else {})
        assert response.status_code == 200, changelist
        if model_admin.has_add_permission(response.wsgi_request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert admin_client.get(add).status_code == 200, add


def test_admin_speaks_chinese(admin_client, db):
    html = admin_client.get("/admin/").content.decode()
    assert "客户经理工作平台" in html
    assert "组织与人员" in html


def test_creating_a_person_in_the_admin_goes_through_the_service(admin_client, org):
    from staff.models import Posting, User

    response = admin_client.post(
        reverse("admin:staff_user_add"),
        {
            "employee_no": "n001",
            "name": "新同事",
            "title": "客户经理",
            "branch": org.b1.pk,
            "team": org.team_a.pk,
            "group": org.a1.pk,
            "outlet": org.o1.pk,
            "employment_type": "full_time",
            "hired_on": "2026-11-01",
            "temporary_password": "Temp#2026pw",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(employee_no="n001")
    assert user.must_change_password
    assert Posting.objects.get(user=user).team == org.team_a


def test_moving_a_person_in_the_admin_records_a_posting(admin_client, org):
    from staff.models import Posting

    url = reverse("admin:staff_user_posting", args=[org.a_cm1.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "effective_on": "2026-01-01",
            "branch": org.b1.pk,
            "team": org.team_a.pk,
            "group": org.a2.pk,
            "outlet": org.o2.pk,
            "reason": "调整小组",
        },
    )
    assert response.status_code == 302
    assert Posting.objects.filter(user=org.a_cm1).count() == 2
    bad = admin_client.post(
        url,
        {
            "effective_on": "2026-02-01",
            "branch": org.b1.pk,
            "team": org.team_a.pk,
            "group": org.g_b1.pk,
            "reason": "错",
        },
    )
    assert "小组必须属于所选团队" in bad.content.decode()


def test_the_shared_models_have_search_and_filters_in_the_admin():
    """Issue 2: admin pages for the shared organisation model, with search and
    filters (a list of 150,000 clients or 1,700 people is useless without)."""
    missing = [
        f"{model._meta.label}: {'search' if not model_admin.search_fields else 'filters'}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"staff", "clients"}
        and not (model_admin.search_fields and model_admin.list_filter)
    ]
    assert missing == []
