"""Who sees what (R-8.1): each role sees exactly its scope on the staff and
client lists and exports, and gets 404 on an object outside it."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from portal.models import ExportLog

STAFF_A = {"a_tl", "a_gl", "a_cm1", "a_cm2", "a_rm"}
STAFF_B = {"b_tl", "b_cm1", "b_cm2"}
STAFF_BRANCH1 = STAFF_A | STAFF_B | {"bm1", "fin1"}
EVERYONE = STAFF_BRANCH1 | {"c_tl", "c_cm", "office", "comp1", "comp2", "vp", "chan", "hr1"}

# role (login) -> (people he sees, owners of the clients he sees)
MATRIX = {
    "a_cm1": ({"a_cm1"}, {"a_cm1"}),
    "a_gl": ({"a_gl", "a_cm1"}, {"a_gl", "a_cm1"}),
    "a_rm": ({"a_rm", "a_cm2", "b_cm1"}, {"a_cm2", "b_cm1"}),
    "a_tl": (STAFF_A, {"a_gl", "a_cm1", "a_cm2"}),
    "bm1": (STAFF_BRANCH1, {"a_gl", "a_cm1", "a_cm2", "b_cm1", "b_cm2"}),
    "office": (EVERYONE, set()),
    "comp1": ({"comp1", "comp2"}, set()),
    # Beyond the seven the issue names: branch finance, the VP, 渠道管理部
    # and a second countersigning department.
    "fin1": (STAFF_BRANCH1, {"a_gl", "a_cm1", "a_cm2", "b_cm1", "b_cm2"}),
    "vp": (EVERYONE, set()),
    "chan": (EVERYONE, set()),
    "hr1": ({"hr1"}, set()),
}


def _login(client, org, key):
    user = getattr(org, key)
    client.force_login(user)
    return user


def _people_on_list(client) -> set[str]:
    response = client.get("/staff/", {"o": "employee_no"})
    assert response.status_code == 200
    return {p.employee_no for p in response.context["page_obj"].object_list}


def _client_owners_on_list(client, org) -> set[str]:
    response = client.get("/clients/")
    assert response.status_code == 200
    by_pk = {c.pk: key for key, c in org.clients.items()}
    return {by_pk[c.pk] for c in response.context["page_obj"].object_list}


def _xlsx_first_column(response) -> set[str]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return {row[0] for row in rows[1:]}


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_staff_list_shows_exactly_the_scope(client, org, login):
    _login(client, org, login)
    assert _people_on_list(client) == MATRIX[login][0]


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_client_list_shows_exactly_the_scope(client, org, login):
    _login(client, org, login)
    assert _client_owners_on_list(client, org) == MATRIX[login][1]


@pytest.mark.parametrize("login", sorted(set(MATRIX) - {"a_cm1"}))
def test_staff_export_holds_exactly_the_scope_and_is_logged(client, org, login):
    user = _login(client, org, login)
    response = client.get("/staff/export.xlsx", {"status": "active"})
    assert _xlsx_first_column(response) == MATRIX[login][0]
    log = ExportLog.objects.get(user=user)
    assert log.what == "人员名单"
    assert log.rows == len(MATRIX[login][0])
    assert log.filters == {"status": "active"}


@pytest.mark.parametrize("login", sorted(set(MATRIX) - {"a_cm1"}))
def test_client_export_holds_exactly_the_scope_and_is_logged(client, org, login):
    user = _login(client, org, login)
    codes = _xlsx_first_column(client.get("/clients/export.xlsx"))
    assert codes == {org.clients[k].crm_code for k in MATRIX[login][1]}
    log = ExportLog.objects.get(user=user)
    assert log.rows == len(MATRIX[login][1])
    assert "客户" in log.what


@pytest.mark.parametrize("login", sorted(set(MATRIX) - {"a_cm1"}))
def test_staff_pdf_holds_exactly_the_scope_and_is_logged(client, org, login):
    user = _login(client, org, login)
    response = client.get("/staff/export.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for key in sorted(EVERYONE):
        person = getattr(org, key)
        assert (person.employee_no in text) == (key in MATRIX[login][0]), key
    assert ExportLog.objects.get(user=user).rows == len(MATRIX[login][0])


def _pdf_text(content: bytes) -> set[str]:
    """The words of the PDF (pdftotext, as a reader copying the text would)."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return set(out.stdout.decode().split())


def test_a_plain_client_manager_may_not_export(client, org):
    _login(client, org, "a_cm1")
    for url in ("/staff/export.xlsx", "/staff/export.pdf", "/clients/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 403
        assert "权限" in response.content.decode()
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_objects_outside_the_scope_are_404(client, org, login):
    _login(client, org, login)
    people_seen, clients_seen = MATRIX[login]
    for key in sorted(EVERYONE):
        target = getattr(org, key)
        expected = 200 if key in people_seen else 404
        assert client.get(f"/staff/{target.pk}/").status_code == expected, key
    for key, c in org.clients.items():
        expected = 200 if key in clients_seen else 404
        assert client.get(f"/clients/{c.pk}/").status_code == expected, key


def test_a_transfer_does_not_carry_old_records_to_the_new_leader(org):
    """Clients are scoped by the owner's stamp; moving the manager re-stamps
    only through the ownership services, never implicitly."""
    import datetime as dt

    from clients.models import Client
    from staff import services

    services.change_posting(
        actor=org.bm1,
        user=org.a_cm2,
        effective_on=dt.date(2025, 3, 1),
        reason="调往 B 团队",
        team=org.team_b,
        group=org.g_b1,
    )
    org.a_cm2.refresh_from_db()
    assert org.a_cm2.team == org.team_b
    # His person record now belongs to team B's leader, not team A's.
    from staff.models import User

    assert org.a_cm2 in User.objects.visible_to(org.b_tl)
    assert org.a_cm2 not in User.objects.visible_to(org.a_tl)
    # The client stays with team A's stamp until it is reassigned.
    assert Client.objects.visible_to(org.a_tl).filter(pk=org.clients["a_cm2"].pk).exists()


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_postings_and_ownership_history_follow_the_scope(org, login):
    """Every scoped model has its ``visible_to``: the posting history of the
    people the user sees, the ownership history of the clients he sees."""
    from clients.models import ClientAssignment
    from staff.models import Posting

    user = getattr(org, login)
    people_seen, clients_seen = MATRIX[login]
    postings = Posting.objects.visible_to(user).values_list("user__employee_no", flat=True)
    assert set(postings) == {getattr(org, key).employee_no for key in people_seen}
    owners = ClientAssignment.objects.visible_to(user).values_list("client_id", flat=True)
    assert set(owners) == {org.clients[key].pk for key in clients_seen}
