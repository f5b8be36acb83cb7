"""The client list: filters by text, tier and manager; the client page shows
the ownership history."""

import datetime as dt

import pytest

from clients import services

pytestmark = pytest.mark.django_db


def _codes(response) -> set[str]:
    return {c.crm_code for c in response.context["page_obj"]}


def test_filter_by_manager_name_or_employee_number(client, org):
    client.force_login(org.bm1)
    assert _codes(client.get("/clients/", {"manager": "a_cm1"})) == {org.clients["a_cm1"].crm_code}
    assert _codes(client.get("/clients/", {"manager": "乙经理"})) == {
        org.clients["b_cm1"].crm_code,
        org.clients["b_cm2"].crm_code,
    }
    assert _codes(client.get("/clients/", {"q": org.clients["a_cm2"].crm_code})) == {
        org.clients["a_cm2"].crm_code
    }


def test_the_client_list_sorts_and_paginates(client, org, settings):
    settings.PORTAL_PAGE_SIZE = 2
    client.force_login(org.bm1)
    code = {key: c.crm_code for key, c in org.clients.items()}
    first = client.get("/clients/", {"o": "-crm_code"})
    assert [c.crm_code for c in first.context["page_obj"]] == [code["b_cm2"], code["b_cm1"]]
    second = client.get("/clients/", {"o": "-crm_code", "page": 2})
    assert [c.crm_code for c in second.context["page_obj"]] == [code["a_cm2"], code["a_cm1"]]
    assert "2 / 3" in second.content.decode()
    # The page links keep the sort order.
    assert "o=-crm_code" in second.content.decode()
    by_manager = client.get("/clients/", {"o": "manager", "page": 1}).context["page_obj"]
    names = [c.manager.name for c in by_manager]
    assert names == sorted(names)


def test_client_page_shows_who_owned_it_when(client, org):
    services.assign_client(
        actor=org.a_tl,
        client=org.clients["a_cm1"],
        manager=org.a_cm2,
        effective_on=dt.date(2025, 4, 1),
        reason="分工调整",
    )
    client.force_login(org.a_tl)
    html = client.get(f"/clients/{org.clients['a_cm1'].pk}/").content.decode()
    assert "2024-02-01 至 2025-03-31" in html
    assert "2025-04-01 至今" in html
    assert "分工调整" in html
