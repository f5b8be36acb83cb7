"""The staff pages: login by 工号, forced password change, navigation, lists
that filter/sort/paginate with a constant number of queries, masking."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from staff import services
from staff.models import User
from tests.conftest import A_CM1_BANK, A_CM1_ID
from tests.staff.factories import person

pytestmark = pytest.mark.django_db


def test_login_is_by_employee_number(client, org):
    org.a_cm1.set_password("Secret#2026")
    org.a_cm1.save()
    page = client.get("/accounts/login/")
    assert "工号" in page.content.decode()
    wrong = client.post("/accounts/login/", {"username": "a_cm1", "password": "nope"})
    assert "工号或密码不正确" in wrong.content.decode()
    ok = client.post("/accounts/login/", {"username": "a_cm1", "password": "Secret#2026"})
    assert ok.status_code == 302
    assert ok.url == "/"


def test_every_page_but_login_requires_a_login(client, org):
    for url in (
        "/",
        "/staff/",
        f"/staff/{org.a_cm1.pk}/",
        "/clients/",
        "/staff/org/",
        "/staff/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_a_temporary_password_must_be_changed_first(client, org):
    user = person(team=org.team_a, temporary_password="Temp#2026pw", employee_no="newbie")
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert "临时密码" in page.content.decode()
    done = client.post(
        reverse("password_change"),
        {
            "old_password": "Temp#2026pw",
            "new_password1": "Xq9!brokerage",
            "new_password2": "Xq9!brokerage",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/staff/").status_code == 200


def test_navigation_lists_only_the_sections_the_user_may_use(client, org):
    client.force_login(org.a_cm1)
    nav = client.get("/").context["nav_items"]
    assert [item["code"] for item in nav] == [
        "approvals",
        "teams",
        "attendance",
        "meetings",
        "clients",
        "assets",
        "payroll",
        "visits",
        "archives",
        "staff",
    ]
    client.force_login(org.office)
    nav = client.get("/").context["nav_items"]
    assert "clients" not in [item["code"] for item in nav]
    payroll = next(item for item in nav if item["code"] == "payroll")
    assert [c["label"] for c in payroll["children"]] == [
        "薪酬月报表"
    ]  # filed sheets of every branch


def _inline_code(html: str) -> list[str]:
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    styles = re.findall(r"<style\b|\sstyle=\"", html)
    handlers = re.findall(r"\son[a-z]+=\"", html)
    return scripts + styles + handlers


@pytest.mark.parametrize("url", ["/", "/staff/", "/staff/org/", "/clients/", "/accounts/password/"])
def test_pages_carry_a_strict_csp_and_no_inline_code(client, org, url):
    client.force_login(org.bm1)
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # json_script blocks are data, not code; none on these pages.
    assert _inline_code(response.content.decode()) == []


def test_login_page_has_no_inline_code(client, db):
    response = client.get("/accounts/login/")
    assert _inline_code(response.content.decode()) == []
    assert "Content-Security-Policy" in response


def test_identity_numbers_are_masked_except_for_those_who_need_them(client, org):
    masked_id = "*" * 14 + A_CM1_ID[-4:]
    for viewer, sees_full in (
        (org.a_cm1, True),
        (org.fin1, True),
        (org.a_tl, False),
        (org.bm1, False),
    ):
        client.force_login(viewer)
        html = client.get(f"/staff/{org.a_cm1.pk}/").content.decode()
        if sees_full:
            assert A_CM1_ID in html
            assert A_CM1_BANK in html
        else:
            assert A_CM1_ID not in html
            assert A_CM1_BANK not in html
            assert masked_id in html


def test_the_staff_list_filters_sorts_and_paginates(client, org, settings):
    settings.PORTAL_PAGE_SIZE = 3
    client.force_login(org.bm1)
    by_name = client.get("/staff/", {"q": "甲经理"}).context["page_obj"]
    assert {p.employee_no for p in by_name} == {"a_cm1", "a_cm2"}
    by_team = client.get("/staff/", {"team": org.team_b.pk}).context["page_obj"]
    assert {p.employee_no for p in by_team} == {"b_tl", "b_cm1", "b_cm2"}
    first = client.get("/staff/", {"o": "-employee_no"}).context["page_obj"]
    assert [p.employee_no for p in first] == ["fin1", "bm1", "b_tl"]
    second = client.get("/staff/", {"o": "-employee_no", "page": 2})
    assert [p.employee_no for p in second.context["page_obj"]] == ["b_cm2", "b_cm1", "a_tl"]
    assert "2 / 4" in second.content.decode()


def _grow_team(org, n: int) -> None:
    for i in range(n):
        cm = person(group=org.a2, outlet=org.o1, employee_no=f"extra{i:03d}")
        from clients import services as client_services

        client_services.create_client(
            actor=None, crm_code=f"X{i:07d}", name=f"客户{i}", manager=cm, since=dt.date(2024, 3, 1)
        )


@pytest.mark.parametrize("url", ["/staff/", "/clients/", "/staff/org/", "/"])
def test_pages_keep_a_constant_number_of_queries(client, org, url, django_assert_max_num_queries):
    client.force_login(org.bm1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_team(org, 30)
    client.force_login(org.bm1)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_staff_list_query_count_is_pinned(client, org, django_assert_num_queries):
    _grow_team(org, 30)
    client.force_login(org.bm1)
    # session, user, his roles, outlets he covers, count, filter choices
    # (branch, team, level), the page of people, the to-do badge (deputies,
    # approval tasks, handover lines) and the rolling session save
    # (savepoint, update, release)
    with django_assert_num_queries(12):
        client.get("/staff/")


def test_person_page_shows_roles_postings_and_change_log(client, org):
    services.change_posting(
        actor=org.a_tl,
        user=org.a_cm1,
        effective_on=dt.date(2025, 6, 1),
        reason="调往网点二",
        outlet=org.o2,
    )
    client.force_login(org.a_tl)
    html = client.get(f"/staff/{org.a_cm1.pk}/").content.decode()
    assert "任职变动记录" in html
    assert "2024-01-02 至 2025-05-31" in html
    assert "调往网点二" in html
    assert "变更记录" in html
    assert "网点：网点一 → 网点二" in html
    html = client.get(f"/staff/{org.a_tl.pk}/").content.decode()
    assert "团队负责人" in html


def test_org_chart_shows_branch_teams_groups_members(client, org):
    client.force_login(org.a_tl)
    tree = client.get("/staff/org/").context["tree"]
    assert [b["branch"].code for b in tree] == ["BR01"]
    teams = tree[0]["teams"]
    assert [t["team"].name for t in teams] == ["A 团队"]
    assert [leader.name for leader in teams[0]["leaders"]] == ["甲负责人"]
    groups = {g["group"].name: [m.employee_no for m in g["members"]] for g in teams[0]["groups"]}
    assert groups == {"A1": ["a_cm1", "a_gl"], "A2": ["a_cm2"]}
    assert {m.employee_no for m in teams[0]["ungrouped"]} == {"a_rm", "a_tl"}


def test_a_left_person_cannot_log_in(client, org):
    services.change_status(
        actor=org.bm1, user=org.a_gl, status=User.Status.LEAVING, on=dt.date(2025, 1, 1)
    )
    services.change_status(
        actor=org.bm1, user=org.a_gl, status=User.Status.LEFT, on=dt.date(2025, 1, 2)
    )
    org.a_gl.refresh_from_db()
    org.a_gl.set_password("Secret#2026")
    org.a_gl.save()
    response = client.post("/accounts/login/", {"username": "a_gl", "password": "Secret#2026"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
