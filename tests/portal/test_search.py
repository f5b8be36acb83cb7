"""R-8.4: one search box finds people, clients and documents within the
user's scope, and nothing outside it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.staff.factories import person


def _titles(response, code):
    for group in response.context["groups"]:
        if group["code"] == code:
            return [hit.title for hit in group["hits"]]
    return []


@pytest.mark.parametrize(
    ("login", "sees", "hidden"),
    [
        ("bm1", ["甲经理一（a_cm1）", "乙经理一（b_cm1）"], ["丙经理（c_cm）"]),
        ("c_tl", ["丙经理（c_cm）"], ["甲经理一（a_cm1）", "乙经理一（b_cm1）"]),
    ],
)
def test_people_are_found_only_within_scope(client, org, login, sees, hidden):
    client.force_login(getattr(org, login))
    response = client.get("/search/", {"q": "经理"})
    assert response.status_code == 200
    found = _titles(response, "people")
    for title in sees:
        assert title in found
    for title in hidden:
        assert title not in found


def test_clients_by_name_or_number_within_scope(client, org):
    a_client = org.clients["a_cm1"]
    client.force_login(org.a_cm1)
    by_number = client.get("/search/", {"q": a_client.crm_code})
    assert _titles(by_number, "clients") == [f"{a_client.name}（{a_client.crm_code}）"]
    others = client.get("/search/", {"q": "的客户"})
    assert _titles(others, "clients") == [f"{a_client.name}（{a_client.crm_code}）"]
    client.force_login(org.c_tl)
    assert _titles(client.get("/search/", {"q": a_client.crm_code}), "clients") == []


def test_nothing_found_says_so_and_an_empty_query_searches_nothing(client, org):
    client.force_login(org.bm1)
    page = client.get("/search/", {"q": "不存在的名字"}).content.decode()
    assert "没有找到与“不存在的名字”相关的人员、客户或单据" in page
    assert client.get("/search/").context["groups"] == []


def test_the_box_is_in_the_navigation_bar(client, org):
    client.force_login(org.a_cm1)
    page = client.get("/").content.decode()
    assert 'data-testid="nav-search"' in page
    assert 'action="/search/"' in page


def test_many_matches_are_capped_with_a_link_to_the_full_list_in_constant_queries(client, org):
    client.force_login(org.bm1)
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "经理"})
    for n in range(30):
        person(name=f"新经理{n:02d}", group=org.a1, outlet=org.o1, employee_no=f"x{n:03d}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/search/", {"q": "经理"})
    people = next(g for g in response.context["groups"] if g["code"] == "people")
    assert len(people["hits"]) == 20
    assert people["more"]
    assert "/staff/?q=%E7%BB%8F%E7%90%86" in response.content.decode()
    assert len(many) == len(few)
