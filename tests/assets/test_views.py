"""The register and the other pages: scope per role (R-8.1), the query
count pinned on thousands of items, exports and labels, forms through the
pages, the person panel, navigation and the to-do badge."""

import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assets import labels, services
from assets.models import Handover, Item, Movement
from portal.models import ExportLog
from staff import services as staff_services
from tests.assets.conftest import brochures, issue, laptops
from tests.home import home_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(ao):
    """Items of three teams in two branches, some issued."""
    w = ao
    w.lap1, w.lap2, w.printer = laptops(ao, 3)
    issue(ao, w.lap1, ao.a_cm1)
    issue(ao, w.lap2, ao.a_cm2, outlet=ao.o2)
    w.leaflets = brochures(ao, 100)
    issue(ao, w.leaflets, ao.a_gl, quantity=20)
    w.b_lap, w.b_spare = laptops(ao, 2, team=ao.team_b)
    issue(ao, w.b_lap, ao.b_cm1, actor=ao.b_tl)
    (w.c_lap,) = services.register_items(
        actor=ao.c_tl,
        team=ao.team_c,
        category=ao.pc,
        name="台式电脑",
        value=4000,
        outlet=ao.o4,
    )
    return w


def _seen(client, user, url="/assets/"):
    client.force_login(user)
    response = client.get(url, {"o": "asset_no"})
    assert response.status_code == 200
    return {item.asset_no for item in response.context["page_obj"]}


def test_the_register_is_scoped_per_role(client, world):
    w = world
    team_a = {w.lap1.asset_no, w.lap2.asset_no, w.printer.asset_no, w.leaflets.asset_no}
    team_b = {w.b_lap.asset_no, w.b_spare.asset_no}
    expectations = {
        w.keeper: team_a,
        w.a_tl: team_a,
        w.b_tl: team_b,
        w.bm1: team_a | team_b,
        w.fin1: team_a | team_b,
        w.c_tl: {w.c_lap.asset_no},
        w.a_cm1: {w.lap1.asset_no},  # a client manager sees what he holds (R-4.2)
        w.a_gl: {w.lap1.asset_no, w.leaflets.asset_no},  # his group's
        w.a_rm: {w.lap2.asset_no, w.b_lap.asset_no},  # the outlet he covers
        w.b_cm2: set(),
        w.office: set(),
        w.vp: set(),
        w.comp1: set(),
    }
    for user, expected in expectations.items():
        assert _seen(client, user) == expected, user.employee_no


def test_an_outlet_custodian_sees_the_teams_items_at_his_outlet(client, world):
    w = world
    services.set_outlet_custodian(actor=w.keeper, team=w.team_a, outlet=w.o1, person=w.a_cm2)
    assert _seen(client, w.a_cm2) == {
        w.lap1.asset_no,
        w.lap2.asset_no,
        w.printer.asset_no,
        w.leaflets.asset_no,
    }


def test_pages_out_of_scope_are_404(client, world):
    w = world
    client.force_login(w.b_tl)
    for url in (
        f"/assets/items/{w.lap1.pk}/",
        f"/assets/items/{w.lap1.pk}/move/",
        f"/assets/items/{w.lap1.pk}/incident/",
        f"/assets/q/{w.lap1.asset_no}/",
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(w.a_cm1)
    assert client.get(f"/assets/items/{w.lap1.pk}/").status_code == 200
    assert client.get(f"/assets/items/{w.lap2.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "keeper",
            {
                "register": 200,
                "move": 200,
                "labels": 200,
                "export": 200,
                "incident": 200,
                "stocktake": 200,
                "custodians": 200,
                "edit": 200,
            },
        ),
        (
            "a_tl",
            {
                "register": 200,
                "move": 200,
                "labels": 200,
                "export": 200,
                "incident": 200,
                "stocktake": 200,
                "custodians": 200,
                "edit": 200,
            },
        ),
        (
            "bm1",
            {
                "register": 403,
                "move": 403,
                "labels": 403,
                "export": 200,
                "incident": 403,
                "stocktake": 403,
                "custodians": 403,
                "edit": 403,
            },
        ),
        (
            "fin1",
            {
                "register": 403,
                "move": 403,
                "labels": 403,
                "export": 200,
                "incident": 403,
                "stocktake": 403,
                "custodians": 403,
                "edit": 403,
            },
        ),
        (
            "a_gl",
            {
                "register": 403,
                "move": 403,
                "labels": 403,
                "export": 200,
                "incident": 403,
                "stocktake": 403,
                "custodians": 403,
                "edit": 403,
            },
        ),
        (
            "a_cm1",
            {
                "register": 403,
                "move": 403,
                "labels": 403,
                "export": 403,
                "incident": 403,
                "stocktake": 403,
                "custodians": 403,
                "edit": 403,
            },
        ),
        (
            "b_tl",
            {
                "register": 200,
                "move": 404,
                "labels": 200,
                "export": 200,
                "incident": 404,
                "stocktake": 200,
                "custodians": 200,
                "edit": 404,
            },
        ),
    ],
)
def test_permission_matrix(client, world, who, expected):
    w = world
    urls = {
        "register": "/assets/items/new/",
        "move": f"/assets/items/{w.lap1.pk}/move/",
        "labels": "/assets/labels.pdf",
        "export": "/assets/export.xlsx",
        "incident": f"/assets/items/{w.lap1.pk}/incident/",
        "stocktake": "/assets/stocktakes/new/",
        "custodians": "/assets/custodians/",
        "edit": f"/assets/items/{w.lap1.pk}/edit/",
    }
    client.force_login(getattr(w, who))
    got = {action: client.get(url).status_code for action, url in urls.items()}
    assert got == expected


def _grow(ao, batches):
    for _ in range(batches):
        laptops(ao, 200)


def test_register_query_count_is_pinned_on_thousands_of_items(
    client, world, django_assert_num_queries
):
    every_filter = {
        "team": world.team_a.pk,
        "outlet": world.o1.pk,
        "custodian": "",
        "category": world.pc.pk,
        "status": "in_store",
        "q": "电脑",
    }
    client.force_login(world.bm1)
    client.get("/assets/")  # the first request after login also writes the session
    with CaptureQueriesContext(connection) as filtered:
        client.get("/assets/", every_filter)
    _grow(world, 10)
    assert Item.objects.count() > 2000
    # session, user, roles, covered outlets, filter choices (team, outlet),
    # count, the page, the to-do badge (deputies, approval inbox, handover
    # lines), the rolling session save (savepoint, update, release)
    with django_assert_num_queries(12):
        response = client.get("/assets/", {"o": "-asset_no"})
    assert len(response.context["page_obj"]) == 50
    assert response.context["page_obj"].paginator.count > 2000
    # Every filter together: the chosen team and outlet are looked up once,
    # nothing per row.
    with django_assert_num_queries(len(filtered)):
        response = client.get("/assets/", every_filter)
    assert len(response.context["page_obj"]) == 50
    with django_assert_num_queries(len(filtered)):
        response = client.get("/assets/", {**every_filter, "custodian": "甲经理", "status": ""})
    assert [i.asset_no for i in response.context["page_obj"]] == [world.lap1.asset_no]


def test_register_filters(client, world):
    w = world
    client.force_login(w.bm1)

    def codes(**params):
        return {i.asset_no for i in client.get("/assets/", params).context["page_obj"]}

    assert codes(custodian="a_cm1") == {w.lap1.asset_no}
    assert codes(custodian="甲组长") == {w.leaflets.asset_no}
    assert codes(outlet=w.o2.pk) == {w.lap2.asset_no, w.b_lap.asset_no}
    assert codes(team=w.team_b.pk) == {w.b_lap.asset_no, w.b_spare.asset_no}
    assert codes(category=w.promo.pk) == {w.leaflets.asset_no}
    assert codes(status="in_store", team=w.team_a.pk) == {w.printer.asset_no, w.leaflets.asset_no}
    assert codes(q="PC-0002") == {w.lap2.asset_no, w.b_spare.asset_no}


def test_register_export_is_scoped_and_logged(client, world, django_assert_max_num_queries):
    w = world
    _grow(w, 2)
    client.force_login(w.a_tl)
    with django_assert_max_num_queries(20):
        response = client.get("/assets/export.xlsx", {"custodian": ""})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("资产编号", "名称", "类别", "规格型号")
    assert len(rows) - 1 == Item.objects.filter(team=w.team_a).count()
    by_no = {r[0]: r for r in rows[1:]}
    assert by_no[w.lap1.asset_no][13] == "甲经理一（a_cm1）"
    assert by_no[w.leaflets.asset_no][6:8] == (100, 80)
    log = ExportLog.objects.get(user=w.a_tl)
    assert (log.what, log.rows) == ("实物管理明细表", len(rows) - 1)
    client.force_login(w.a_cm1)
    assert client.get("/assets/export.xlsx").status_code == 403


def test_ledger_page_and_export(client, world, django_assert_max_num_queries):
    w = world
    client.force_login(w.keeper)
    page = client.get("/assets/ledger/", {"kind": "issue"})
    kinds = {m.kind for m in page.context["page_obj"]}
    assert kinds == {"issue"}
    assert {m.team_id for m in page.context["page_obj"]} == {w.team_a.pk}
    response = client.get("/assets/ledger/export.xlsx", {"person": "a_cm1"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["领用"]
    client.force_login(w.a_cm1)  # his own movements only
    own = client.get("/assets/ledger/").context["page_obj"]
    assert {m.item_id for m in own} == {w.lap1.pk}


def test_ledger_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.keeper)
    with CaptureQueriesContext(connection) as small:
        client.get("/assets/ledger/")
    _grow(world, 1)
    with CaptureQueriesContext(connection) as large:
        client.get("/assets/ledger/")
    assert len(large) == len(small)


def test_labels_carry_the_number_and_a_qr_code_of_the_item_page(
    client, world, monkeypatch, settings, tmp_path
):
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    encoded = []
    real = labels.qr_data_uri

    def spy(text):
        encoded.append(text)
        return real(text)

    monkeypatch.setattr(labels, "qr_data_uri", spy)
    client.force_login(world.keeper)
    response = client.get("/assets/labels.pdf", {"category": world.pc.pk})
    assert response["Content-Type"] == "application/pdf"
    assert sorted(encoded) == sorted(
        f"https://portal.example.cn/assets/q/{i.asset_no}/"
        for i in (world.lap1, world.lap2, world.printer)
    )
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert world.lap1.asset_no in text
    assert "笔记本电脑" in text
    assert real("x").startswith("data:image/svg+xml")
    # The code's address leads to the item page.
    assert client.get(f"/assets/q/{world.lap1.asset_no}/").url == f"/assets/items/{world.lap1.pk}/"
    assert ExportLog.objects.filter(what="实物标签", rows=3).exists()


def test_registering_and_moving_through_the_pages(client, ao):
    client.force_login(ao.keeper)
    response = client.post(
        "/assets/items/new/",
        {
            "team": ao.team_a.pk,
            "category": ao.pc.pk,
            "name": "笔记本电脑",
            "specification": "T14",
            "value": "6000",
            "quantity": 3,
            "outlet": ao.o1.pk,
            "on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    first = Item.objects.order_by("asset_no").first()
    page = client.get(f"/assets/items/{first.pk}/move/")
    assert page.status_code == 200
    holding = first.holdings.get()
    response = client.post(
        f"/assets/items/{first.pk}/move/",
        {
            "kind": "issue",
            "source": holding.pk,
            "to_holder": ao.a_cm1.pk,
            "quantity": 1,
            "on": "2026-11-21",
            "note": "新员工配发",
        },
    )
    assert response.url == f"/assets/items/{first.pk}/"
    first.refresh_from_db()
    assert (first.custodian, first.outlet) == (ao.a_cm1, ao.o1)
    refused = client.post(
        f"/assets/items/{first.pk}/move/",
        {
            "kind": "issue",
            "source": first.holdings.get().pk,
            "to_holder": ao.b_cm1.pk,
            "on": "2026-11-21",
            "quantity": 1,
        },
    )
    assert "选择一个有效的选项" in refused.content.decode()
    html = client.get(f"/assets/items/{first.pk}/").content.decode()
    assert "新员工配发" in html
    assert "甲经理一" in html


def test_the_person_page_shows_what_he_holds(client, world):
    w = world
    client.force_login(w.keeper)
    html = client.get(f"/staff/{w.a_cm1.pk}/").content.decode()
    assert 'data-testid="person-panel-assets"' in html
    assert w.lap1.asset_no in html
    assert f"/assets/handovers/start/{w.a_cm1.pk}/" in html
    page = client.get(f"/assets/handovers/start/{w.a_cm1.pk}/")
    assert w.lap1.asset_no in page.content.decode()
    client.post(f"/assets/handovers/start/{w.a_cm1.pk}/", {"note": "岗位调整"})
    assert Handover.objects.get(person=w.a_cm1).reason == "other"
    client.force_login(w.bm1)  # management sees what he holds, opens nothing
    html = client.get(f"/staff/{w.a_cm1.pk}/").content.decode()
    assert w.lap1.asset_no in html
    assert "start-handover" not in html
    client.force_login(w.office)  # HQ sees the person, not the team's assets
    html = client.get(f"/staff/{w.a_cm1.pk}/").content.decode()
    assert "person-panel-assets" not in html


def test_navigation_home_and_to_do_badge(client, world):
    w = world
    client.force_login(w.a_cm1)
    home = home_html(client)
    assert 'data-nav="assets"' in home
    assert "我保管的实物" in home
    staff_services.change_status(actor=w.a_tl, user=w.a_cm1, status="leaving", on=w.a_cm1.hired_on)
    client.force_login(w.keeper)
    response = client.get("/")
    assert response.context["todo_count"] >= 1
    assert "待办理的实物交接明细" in home_html(client)


def test_a_handover_walked_through_the_pages(client, world):
    w = world
    staff_services.change_status(actor=w.a_tl, user=w.a_cm1, status="leaving", on=w.a_cm1.hired_on)
    handover = Handover.objects.get(person=w.a_cm1)
    client.force_login(w.keeper)
    client.post(f"/assets/handovers/{handover.pk}/receiver/", {"receiver": w.a_cm2.pk})
    client.post(f"/assets/handovers/{handover.pk}/count-all/", {"disposition": "receiver"})
    client.force_login(w.a_cm2)
    page = client.get(f"/assets/handovers/{handover.pk}/").content.decode()
    assert "等待您确认接收" in page
    line = handover.lines.get()
    client.post(f"/assets/handovers/{handover.pk}/lines/{line.pk}/receive/")
    handover.refresh_from_db()
    assert handover.status == "done"
    w.lap1.refresh_from_db()
    assert w.lap1.custodian == w.a_cm2
    assert Movement.objects.filter(item=w.lap1, kind="handover", handover=handover).exists()
    client.force_login(w.b_tl)
    assert client.get(f"/assets/handovers/{handover.pk}/").status_code == 404
    client.force_login(w.a_cm1)  # the person himself sees his handover
    assert client.get(f"/assets/handovers/{handover.pk}/").status_code == 200


def test_incident_pages_report_decide_and_submit(client, world):
    w = world
    client.force_login(w.keeper)
    response = client.post(
        f"/assets/items/{w.lap1.pk}/incident/",
        {
            "kind": "loss",
            "quantity": 1,
            "occurred_on": "2026-11-20",
            "responsible": w.a_cm1.pk,
            "circumstances": "遗失",
        },
    )
    incident = w.lap1.incidents.get()
    assert response.url == f"/assets/incidents/{incident.pk}/"
    client.post(
        f"/assets/incidents/{incident.pk}/edit/",
        {
            "occurred_on": "2026-11-20",
            "circumstances": "遗失于客户处",
            "responsible": w.a_cm1.pk,
            "assessed_amount": "6000.00",
            "decision": "charge",
            "charged_amount": "2000.00",
            "decision_reason": "酌情赔偿三分之一",
            "deduct_month": "2026-12",
        },
    )
    incident.refresh_from_db()
    assert (incident.charged_amount, str(incident.deduct_month)) == (2000, "2026-12-01")
    client.post(f"/assets/incidents/{incident.pk}/submit/", {"opinion": "请审批"})
    incident.refresh_from_db()
    assert incident.status == "pending"
    assert client.get(f"/assets/incidents/{incident.pk}/edit/").status_code == 403
    client.force_login(w.a_tl)  # the approver sees it in his list
    assert [i.pk for i in client.get("/assets/incidents/").context["page_obj"]] == [incident.pk]


def test_a_keeper_counts_a_handover_line_from_the_items_page(client, world):
    w = world
    staff_services.change_status(actor=w.a_tl, user=w.a_cm1, status="leaving", on=w.a_cm1.hired_on)
    handover = Handover.objects.get(person=w.a_cm1)
    client.force_login(w.keeper)
    html = client.get(f"/assets/q/{w.lap1.asset_no}/", follow=True).content.decode()
    assert 'data-testid="handover-confirm"' in html
    assert "清点在位，归还库房" in html
    line = handover.lines.get()
    client.post(
        f"/assets/handovers/{handover.pk}/lines/{line.pk}/count/",
        {"disposition": "store", "counted": 1},
    )
    w.lap1.refresh_from_db()
    assert (w.lap1.status, w.lap1.custodian) == ("in_store", None)
    client.force_login(w.a_cm1)  # he sees the line, but counts nothing himself
    html = client.get(f"/assets/items/{w.lap1.pk}/")
    assert html.status_code == 404  # he no longer holds it


def test_the_assets_section_is_offered_to_those_who_have_any(client, world):
    w = world
    for user, shown in (
        (w.a_cm1, True),
        (w.bm1, True),
        (w.fin1, True),
        (w.office, False),
        (w.vp, False),
    ):
        client.force_login(user)
        codes = [item["code"] for item in client.get("/").context["nav_items"]]
        assert ("assets" in codes) is shown, user.employee_no
