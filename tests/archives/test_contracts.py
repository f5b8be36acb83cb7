"""R-6.2: one-year contracts and agreements, renewals chained, the
original's place kept; R-8.4: contracts and SAC registrations near expiry."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from archives import selectors, services
from archives.models import Contract
from archives.models.contracts import default_end
from staff import services as staff_services
from staff.models import User
from tests.archives.conftest import TODAY, own_queries, pdf, sign_contract
from tests.staff.factories import person

pytestmark = pytest.mark.django_db


def test_one_year_by_default_and_the_kind_follows_the_employment_type(ar):
    contract = sign_contract(ar, ar.newbie, starts_on=dt.date(2026, 3, 2))
    assert (contract.kind, contract.ends_on) == ("labour", dt.date(2027, 3, 1))
    assert contract.original_location == "一号营业部档案室 1 号柜"
    assert contract.attachment.purpose == "contract"
    User.objects.filter(pk=ar.a_cm2.pk).update(employment_type="part_time")
    ar.a_cm2.refresh_from_db()
    agreement = sign_contract(ar, ar.a_cm2, starts_on=dt.date(2026, 1, 1))
    assert (agreement.kind, agreement.get_kind_display()) == ("agency", "营销合作协议")
    assert agreement.ends_on == dt.date(2026, 12, 31)
    assert default_end(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def test_a_contract_needs_its_signed_copy_and_where_the_original_is(ar):
    with pytest.raises(ValidationError, match="扫描件"):
        services.create_contract(
            actor=ar.arch1,
            person=ar.newbie,
            starts_on=dt.date(2026, 6, 1),
            signed_on=dt.date(2026, 6, 1),
            original_location="档案室",
            upload=None,
        )
    with pytest.raises(ValidationError, match="原件存放位置"):
        services.create_contract(
            actor=ar.arch1,
            person=ar.newbie,
            starts_on=dt.date(2026, 6, 1),
            signed_on=dt.date(2026, 6, 1),
            original_location=" ",
            upload=pdf(),
        )
    with pytest.raises(ValidationError, match="签订日期不能晚于今天"):
        sign_contract(ar, ar.newbie, starts_on=dt.date(2026, 7, 1), signed_on=dt.date(2026, 6, 20))


def test_who_may_record_contracts(ar):
    for actor in (ar.arch1, ar.bm1, ar.dep1):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=400 * Contract.objects.count())
        contract = sign_contract(ar, ar.a_cm1, starts_on=start, actor=actor)
        assert contract.created_by == actor
    for outsider in (ar.a_tl, ar.a_cm1, ar.arch2, ar.hr1, ar.fin1):
        with pytest.raises(ValidationError):
            sign_contract(ar, ar.a_cm1, starts_on=dt.date(2030, 1, 1), actor=outsider)


def test_overlapping_contracts_are_refused(ar):
    sign_contract(ar, ar.a_cm1, starts_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="期间重叠"):
        sign_contract(ar, ar.a_cm1, starts_on=dt.date(2026, 6, 1))


def test_renewal_links_to_the_old_contract_and_follows_it(ar):
    first = sign_contract(ar, ar.a_cm1, starts_on=dt.date(2025, 7, 1))
    second = services.renew_contract(
        actor=ar.arch1,
        contract=first,
        signed_on=dt.date(2026, 6, 10),
        original_location="档案室 2 号柜",
        upload=pdf("续签.pdf"),
    )
    assert second.previous == first
    assert (second.starts_on, second.ends_on) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert selectors.chain_of(first) == [first, second] == selectors.chain_of(second)
    with pytest.raises(ValidationError, match="已续签"):
        services.renew_contract(
            actor=ar.arch1,
            contract=first,
            signed_on=dt.date(2026, 6, 10),
            original_location="x",
            upload=pdf(),
        )
    with pytest.raises(ValidationError, match="期满"):
        services.renew_contract(
            actor=ar.arch1,
            contract=second,
            starts_on=dt.date(2027, 1, 1),
            signed_on=dt.date(2026, 6, 10),
            original_location="x",
            upload=pdf(),
        )


def _expiry_world(ar):
    """Team A: one contract ending in 16 days, one that ended a fortnight
    ago, one renewed, one ending in 46 days; team C: one ending soon."""
    soon = sign_contract(ar, ar.a_cm1, starts_on=dt.date(2025, 7, 2))  # ends 2026-07-01
    ended = sign_contract(ar, ar.a_cm2, starts_on=dt.date(2025, 6, 1))  # ended 2026-05-31
    renewed = sign_contract(ar, ar.a_gl, starts_on=dt.date(2025, 6, 20))  # ends 2026-06-19
    services.renew_contract(
        actor=ar.arch1,
        contract=renewed,
        signed_on=dt.date(2026, 6, 1),
        original_location="档案室",
        upload=pdf(),
    )
    later = sign_contract(ar, ar.a_rm, starts_on=dt.date(2025, 8, 1))  # ends 2026-07-31
    other = services.create_contract(
        actor=ar.arch2,
        person=ar.c_cm,
        starts_on=dt.date(2025, 7, 1),
        signed_on=dt.date(2025, 7, 1),
        original_location="二部档案室",
        upload=pdf(),
    )
    return soon, ended, later, other


def test_expiry_lists_for_the_leader_and_the_clerk(ar):
    soon, ended, later, other = _expiry_world(ar)
    assert list(selectors.expiring_contracts(ar.a_tl, TODAY)) == [soon]
    assert list(selectors.ended_contracts(ar.a_tl, TODAY)) == [ended]
    assert list(selectors.expiring_contracts(ar.arch2, TODAY)) == [other]
    assert list(selectors.expiring_contracts(ar.hr1, TODAY)) == [other, soon]  # by end date
    assert list(selectors.expiring_contracts(ar.a_cm1, TODAY)) == [soon]  # his own
    assert not selectors.expiring_contracts(ar.b_tl, TODAY).exists()
    # 46 days out is not yet near; it is on day 30.
    assert later not in selectors.expiring_contracts(ar.arch1, TODAY)
    assert later in selectors.expiring_contracts(ar.arch1, dt.date(2026, 7, 1))


def test_a_terminated_contract_or_a_person_who_left_drops_out_of_the_lists(ar):
    soon, ended, _later, _other = _expiry_world(ar)
    services.terminate_contract(
        actor=ar.arch1, contract=soon, on=dt.date(2026, 6, 15), reason="协商解除"
    )
    assert soon not in selectors.expiring_contracts(ar.arch1, TODAY)
    staff_services.change_status(
        actor=ar.bm1, user=ar.a_cm2, status="leaving", on=dt.date(2026, 6, 1)
    )
    staff_services.change_status(actor=ar.bm1, user=ar.a_cm2, status="left", on=dt.date(2026, 6, 1))
    assert ended not in selectors.ended_contracts(ar.arch1, TODAY)


def test_leaving_terminates_the_running_contract(ar):
    contract = sign_contract(ar, ar.a_cm1, starts_on=dt.date(2026, 1, 1))
    staff_services.change_status(actor=ar.bm1, user=ar.a_cm1, status="leaving", on=TODAY)
    staff_services.change_status(actor=ar.bm1, user=ar.a_cm1, status="left", on=TODAY)
    contract.refresh_from_db()
    assert (contract.terminated_on, contract.termination_reason) == (TODAY, "离职")
    assert contract.state_on(TODAY) == "terminated"


def test_a_new_contract_after_an_ended_one_clears_the_alert(ar):
    old = sign_contract(ar, ar.a_cm1, starts_on=dt.date(2025, 5, 1))  # ended 2026-04-30
    assert old in selectors.ended_contracts(ar.arch1, TODAY)
    sign_contract(ar, ar.a_cm1, starts_on=dt.date(2026, 6, 1))
    assert old not in selectors.ended_contracts(ar.arch1, TODAY)


def test_sac_registrations_near_or_past_expiry(ar):
    User.objects.filter(pk=ar.a_cm1.pk).update(sac_no="S1", sac_expires_on=dt.date(2026, 7, 10))
    User.objects.filter(pk=ar.a_cm2.pk).update(sac_no="S2", sac_expires_on=dt.date(2026, 6, 1))
    User.objects.filter(pk=ar.c_cm.pk).update(sac_no="S3", sac_expires_on=dt.date(2026, 6, 20))
    User.objects.filter(pk=ar.b_cm1.pk).update(sac_no="S4", sac_expires_on=dt.date(2026, 9, 1))
    assert [p.employee_no for p in selectors.sac_expiring(ar.a_tl, TODAY)] == ["a_cm1"]
    assert [p.employee_no for p in selectors.sac_expired(ar.a_tl, TODAY)] == ["a_cm2"]
    assert [p.employee_no for p in selectors.sac_expiring(ar.hr1, TODAY)] == ["c_cm", "a_cm1"]


def test_the_expiry_page_tabs_and_export(client, ar):
    _expiry_world(ar)
    client.force_login(ar.arch1)
    page = client.get("/archives/expiry/")
    assert [c.person for c in page.context["page_obj"]] == [ar.a_cm1]
    assert page.context["page_obj"][0].can_renew
    page = client.get("/archives/expiry/", {"tab": "ended"})
    assert [c.person for c in page.context["page_obj"]] == [ar.a_cm2]
    response = client.get("/archives/expiry/export.xlsx", {"tab": "ended"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("a_cm2", "甲经理二")
    client.force_login(ar.a_cm1)
    assert client.get("/archives/expiry/").status_code == 403


def _many_contracts(ar, n):
    for i in range(n):
        who = person(name=f"批量{i}", group=ar.a1, outlet=ar.o1)
        contract = sign_contract(ar, who, starts_on=dt.date(2025, 6, 20 + i % 10))
        if i % 3 == 0:
            services.renew_contract(
                actor=ar.arch1,
                contract=contract,
                signed_on=dt.date(2026, 6, 1),
                original_location="档案室",
                upload=pdf(),
            )


def test_contract_list_and_expiry_pin_their_query_counts(client, ar):
    client.force_login(ar.arch1)
    _many_contracts(ar, 3)
    few_list, _ = own_queries(client, "/archives/contracts/")
    few_expiry, _ = own_queries(client, "/archives/expiry/")
    _many_contracts(ar, 40)
    # the team filter's teams, the count, the page (renewed as a subquery)
    many_list, response = own_queries(
        client, "/archives/contracts/", {"state": "active", "o": "-ends_on"}
    )
    assert few_list == many_list == 3
    # Running and renewed (the renewals themselves start later: 未生效).
    assert len(response.context["page_obj"]) == 15
    # the counts (contracts, SAC), the page's count and the page
    many_expiry, response = own_queries(client, "/archives/expiry/")
    assert few_expiry == many_expiry == 4
    assert len(response.context["page_obj"]) > 20


def test_contract_pages(client, ar):
    first = sign_contract(ar, ar.a_cm1, starts_on=dt.date(2025, 7, 1))
    client.force_login(ar.arch1)
    response = client.post(
        f"/archives/contracts/{first.pk}/renew/",
        {
            "starts_on": "",
            "ends_on": "",
            "signed_on": "2026-06-10",
            "number": "LD2026001",
            "original_location": "档案室 5 号柜",
            "upload": pdf(),
        },
    )
    renewal = Contract.objects.get(previous=first)
    assert response.url == f"/archives/contracts/{renewal.pk}/"
    page = client.get(f"/archives/contracts/{renewal.pk}/")
    assert page.context["chain"] == [first, renewal]
    client.post(
        f"/archives/contracts/{renewal.pk}/keeping/",
        {"number": "LD2026001", "original_location": "总部档案库"},
    )
    renewal.refresh_from_db()
    assert renewal.original_location == "总部档案库"
    assert renewal.history.count() == 2  # the move is in the history
    client.force_login(ar.a_tl)
    assert client.get(f"/archives/contracts/{renewal.pk}/").status_code == 200
    assert client.get(f"/archives/contracts/{renewal.pk}/renew/").status_code == 403
    client.force_login(ar.c_tl)
    assert client.get(f"/archives/contracts/{renewal.pk}/").status_code == 404
