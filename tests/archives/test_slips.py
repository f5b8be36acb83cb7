"""R-6.4, R-7.6: client confirmation slips numbered <branch>-<YYYYMM>-<NNNN>
without gaps, opening the client's assignment; voiding keeps the number."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from archives import selectors, services
from archives.models import ConfirmationSlip, SlipCounter
from clients import services as client_services
from clients.models import Client, ClientAssignment
from staff.models import User
from tests.archives.conftest import own_queries
from tests.staff.factories import person

pytestmark = pytest.mark.django_db

JUNE = dt.date(2026, 6, 1)


def new(ar, manager, code, *, actor=None, opened=dt.date(2026, 6, 12), issued=None, **extra):
    return services.issue_slip(
        actor=actor or ar.arch1,
        manager=manager,
        new_client={"crm_code": code, "name": f"新客户{code}"},
        opened_on=opened,
        issued_on=issued,
        **extra,
    )


def test_numbers_run_per_branch_per_month_without_gaps(ar):
    first = new(ar, ar.a_cm1, "N1")
    second = new(ar, ar.b_cm1, "N2", actor=ar.b_tl)
    other_branch = new(ar, ar.c_cm, "N3", actor=ar.arch2)
    may = new(ar, ar.a_cm2, "N4", opened=dt.date(2026, 5, 20), issued=dt.date(2026, 5, 28))
    third = new(ar, ar.a_cm2, "N5")
    assert [first.number, second.number, third.number] == [
        "BR01-202606-0001",
        "BR01-202606-0002",
        "BR01-202606-0003",
    ]
    assert other_branch.number == "BR02-202606-0001"
    assert (may.number, may.month) == ("BR01-202605-0001", dt.date(2026, 5, 1))
    assert SlipCounter.objects.get(branch=ar.b1, month=JUNE).last == 3


def test_a_new_clients_slip_creates_him_owned_from_his_opening_day(ar):
    slip = new(ar, ar.a_cm1, "00990001", note="柜台开户")
    client = Client.objects.get(crm_code="00990001")
    assert (slip.client, slip.new_client, client.manager) == (client, True, ar.a_cm1)
    assignment = ClientAssignment.objects.get(client=client)
    assert slip.assignment == assignment
    assert (assignment.source, assignment.valid_from) == ("slip", dt.date(2026, 6, 12))
    assert (slip.team, slip.group, slip.outlet) == (ar.team_a, ar.a1, ar.o1)
    assert slip.confirmed_by == ar.arch1


def test_a_colleagues_client_moves_from_the_confirmation_day(ar):
    client = ar.clients["a_cm2"]
    slip = services.issue_slip(
        actor=ar.a_tl, manager=ar.a_cm1, client=client, opened_on=dt.date(2026, 6, 1)
    )
    client.refresh_from_db()
    assert client.manager == ar.a_cm1
    old, current = ClientAssignment.objects.filter(client=client).order_by("valid_from")
    assert (old.manager, old.valid_to) == (ar.a_cm2, dt.date(2026, 6, 15))
    assert (current.manager, current.source, current.valid_from) == (
        ar.a_cm1,
        "slip",
        dt.date(2026, 6, 15),
    )
    assert current.reason == f"客户确认单 {slip.number}"
    assert slip.assignment == current


def test_a_slip_for_a_client_already_his_confirms_the_current_assignment(ar):
    client = ar.clients["a_cm1"]
    slip = services.issue_slip(
        actor=ar.arch1, manager=ar.a_cm1, client=client, opened_on=dt.date(2024, 2, 1)
    )
    assert slip.assignment == ClientAssignment.objects.get(client=client)
    assert slip.assignment.source == "initial"
    with pytest.raises(ValidationError, match=f"已由确认单 {slip.number} 确认"):
        services.issue_slip(
            actor=ar.arch1, manager=ar.a_cm1, client=client, opened_on=dt.date(2024, 2, 1)
        )


def test_a_refusal_after_numbering_leaves_no_gap(ar):
    client = ar.clients["a_cm2"]
    client_services.assign_client(
        actor=ar.a_tl, client=client, manager=ar.a_gl, effective_on=dt.date(2026, 6, 10)
    )
    with pytest.raises(ValidationError):
        # Confirmed before the client's current assignment began: refused by
        # clients.services after the number was taken; both roll back.
        services.issue_slip(
            actor=ar.arch1,
            manager=ar.a_cm1,
            client=client,
            opened_on=dt.date(2026, 6, 1),
            issued_on=dt.date(2026, 6, 5),
        )
    assert not ConfirmationSlip.objects.exists()
    assert new(ar, ar.a_cm1, "N9").number == "BR01-202606-0001"


def test_who_may_confirm_a_client_for_whom(ar):
    for actor, manager in ((ar.arch1, ar.b_cm1), (ar.a_tl, ar.a_cm2), (ar.b_tl, ar.b_cm2)):
        new(ar, manager, f"W{manager.pk}", actor=actor)
    refused = (
        (ar.a_cm1, ar.a_cm2, "本团队负责人"),  # a client manager confirms nobody
        (ar.a_tl, ar.b_cm1, "本团队负责人"),  # another team's manager
        (ar.arch2, ar.a_cm1, "本营业部"),  # another branch's clerk
        (ar.bm1, ar.a_cm1, "交易管理岗"),  # management voids, does not issue
        (ar.a_tl, ar.a_tl, "不能为自己"),
    )
    for actor, manager, words in refused:
        with pytest.raises(ValidationError, match=words):
            new(ar, manager, "X1", actor=actor)
    with pytest.raises(ValidationError, match="入职中"):
        new(ar, ar.newbie, "X2")
    with pytest.raises(ValidationError, match="开户日期不能晚于今天"):
        new(ar, ar.a_cm1, "X3", opened=dt.date(2026, 6, 16))
    with pytest.raises(ValidationError, match="已在客户名单中"):
        new(ar, ar.a_cm1, ar.clients["a_cm1"].crm_code)
    with pytest.raises(ValidationError, match="只能确认本营业部的客户"):
        services.issue_slip(
            actor=ar.arch1, manager=ar.a_cm1, client=ar.clients["c_cm"], opened_on=JUNE
        )


def test_voiding_keeps_the_number_and_restores_the_previous_owner(ar):
    client = ar.clients["a_cm2"]
    slip = services.issue_slip(actor=ar.a_tl, manager=ar.a_cm1, client=client, opened_on=JUNE)
    following = new(ar, ar.a_cm1, "N2")
    with pytest.raises(ValidationError, match="作废原因"):
        services.void_slip(actor=ar.arch1, slip=slip, reason=" ")
    voided, outcome = services.void_slip(actor=ar.arch1, slip=slip, reason="客户经理填写错误")
    assert (voided.number, voided.status, voided.voided_by) == (slip.number, "void", ar.arch1)
    assert outcome == "客户已恢复归属原客户经理甲经理二。"
    client.refresh_from_db()
    assert client.manager == ar.a_cm2
    assert ClientAssignment.objects.filter(client=client).count() == 3  # history kept
    assert new(ar, ar.a_cm1, "N3").number == "BR01-202606-0003"  # never reused
    with pytest.raises(ValidationError):
        services.void_slip(actor=ar.arch1, slip=voided, reason="再次")
    # A new client's slip voided: the client stays where he is.
    _, outcome = services.void_slip(actor=ar.bm1, slip=following, reason="重复")
    assert "归属保持不变" in outcome
    report = selectors.gap_report(ar.b1, JUNE)
    assert (report["last"], report["confirmed"], report["gaps"]) == (3, 1, [])
    assert [s.number for s in report["voided"]] == [slip.number, following.number]


def test_who_may_void(ar):
    slip = new(ar, ar.b_cm1, "V1")
    for outsider in (ar.a_tl, ar.b_cm1, ar.arch2, ar.hr1, ar.fin1):
        with pytest.raises(ValidationError):
            services.void_slip(actor=outsider, slip=slip, reason="x")
    services.void_slip(actor=ar.b_tl, slip=slip, reason="填写错误")


def test_the_gap_report_names_a_missing_number(ar):
    for n in range(4):
        new(ar, ar.a_cm1, f"G{n}")
    # Only a deleted row (never done by the portal) could make a gap; the
    # report is there to prove there is none.
    ConfirmationSlip.objects.filter(number="BR01-202606-0002").delete()
    report = selectors.gap_report(ar.b1, JUNE)
    assert report["gaps"] == ["BR01-202606-0002"]
    assert (report["first_number"], report["last_number"]) == (
        "BR01-202606-0001",
        "BR01-202606-0004",
    )


def test_slips_are_seen_within_scope_only(client, ar):
    mine = new(ar, ar.a_cm1, "S1")
    team_b = new(ar, ar.b_cm1, "S2")
    branch_2 = new(ar, ar.c_cm, "S3", actor=ar.arch2)
    seen = {
        ar.a_cm1: {mine},
        ar.a_cm2: set(),
        ar.a_tl: {mine},
        ar.b_tl: {team_b},
        ar.arch1: {mine, team_b},
        ar.bm1: {mine, team_b},
        ar.dep1: {mine, team_b},
        ar.arch2: {branch_2},
        ar.hr1: set(),
        ar.office: set(),
    }
    for user, expected in seen.items():
        assert set(selectors.slips_for(user)) == expected, user
    for slip in (mine, team_b, branch_2):
        for user, expected in seen.items():
            client.force_login(user)
            status = client.get(f"/archives/slips/{slip.pk}/").status_code
            assert status == (200 if slip in expected else 404), (user, slip)


def test_issuing_and_voiding_from_the_pages(client, ar):
    client.force_login(ar.arch1)
    form = client.get("/archives/slips/new/").context["form"]
    managers = set(form.fields["manager"].queryset)
    assert ar.a_cm1 in managers
    assert ar.c_cm not in managers
    assert ar.newbie not in managers
    response = client.post(
        "/archives/slips/new/",
        {
            "manager": ar.a_cm2.pk,
            "existing": "",
            "crm_code": "01234567",
            "name": "王新开",
            "kind": "person",
            "opened_on": "2026-06-14",
            "issued_on": "2026-06-15",
            "note": "",
        },
    )
    slip = ConfirmationSlip.objects.get()
    assert response.url == f"/archives/slips/{slip.pk}/"
    assert slip.client.crm_code == "01234567"  # the leading zero kept
    response = client.post(
        "/archives/slips/new/",
        {"manager": ar.a_cm2.pk, "existing": "", "crm_code": "", "issued_on": "2026-06-15"},
    )
    assert "请填写已有客户的客户号" in response.content.decode()
    response = client.post(f"/archives/slips/{slip.pk}/void/", {"reason": "客户未成功开户"})
    slip.refresh_from_db()
    assert slip.status == "void"
    assert client.get(f"/archives/slips/{slip.pk}/").context["can_void"] is False


def test_the_printed_slip(client, ar, tmp_path):
    slip = new(ar, ar.a_cm1, "P1")
    services.void_slip(actor=ar.arch1, slip=slip, reason="客户要求更换")
    client.force_login(ar.a_cm1)
    response = client.get(f"/archives/slips/{slip.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "slip.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("客户经理营销客户确认单", slip.number, "甲经理一", "作 废", "客户签字确认"):
        assert expected in text, expected
    assert "打印：甲经理一（a_cm1）" in text  # the downloader's name on every page


def test_the_client_page_lists_the_clients_slips(client, ar):
    slip = services.issue_slip(
        actor=ar.a_tl, manager=ar.a_cm1, client=ar.clients["a_cm2"], opened_on=JUNE
    )
    client.force_login(ar.a_tl)
    panels = client.get(f"/clients/{slip.client_id}/").context["panels"]
    panel = next(p for p in panels if p["code"] == "archives_slips")
    assert panel["slips"] == [slip]
    client.force_login(ar.b_tl)  # does not see the client at all
    assert client.get(f"/clients/{slip.client_id}/").status_code == 404


def _many_slips(ar, n, offset):
    managers = [ar.a_cm1, ar.a_cm2, ar.b_cm1, ar.b_cm2]
    for i in range(n):
        slip = new(ar, managers[i % 4], f"M{offset + i:05d}")
        if i % 5 == 0:
            services.void_slip(actor=ar.arch1, slip=slip, reason="演练")


def test_slip_list_report_and_exports_pin_their_query_counts(client, ar):
    client.force_login(ar.arch1)
    _many_slips(ar, 3, 0)
    few_list, _ = own_queries(client, "/archives/slips/")
    few_report, _ = own_queries(client, "/archives/slips/report/")
    _many_slips(ar, 60, 100)
    # the team filter, the count, the page
    many_list, response = own_queries(client, "/archives/slips/", {"month": "2026-06"})
    assert few_list == many_list == 3
    assert len(response.context["page_obj"]) == 50
    # the branches, the counter, the slips, whether the month is closed
    many_report, response = own_queries(client, "/archives/slips/report/")
    assert few_report == many_report == 4
    assert response.context["report"]["last"] == 63
    response = client.get("/archives/slips/export.xlsx", {"status": "void"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("流水号", "确认日期", "客户号")
    assert len(rows) - 1 == 13
    assert {r[10] for r in rows[1:]} == {"已作废"}


def test_a_plain_client_manager_sees_his_slips_but_exports_nothing(client, ar):
    new(ar, ar.a_cm1, "E1")
    client.force_login(ar.a_cm1)
    assert len(client.get("/archives/slips/").context["page_obj"]) == 1
    assert client.get("/archives/slips/export.xlsx").status_code == 403
    assert client.get("/archives/slips/new/").status_code == 403
    assert client.get("/archives/slips/report/").status_code == 403
    other = person(name="外人", branch=ar.b1)
    assert User.objects.get(pk=other.pk)
