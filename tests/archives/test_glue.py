"""R-8.4 with R-6.2: what the archives add to the shell — the leader's and
the archive clerk's alerts block, one's own contract block, the reminders
``send_reminders`` sends once per contract, and the search box's hits for
files, contracts and slips within the user's scope."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Notice
from archives import reminders, services
from staff.models import User
from tests.archives.conftest import TODAY, pdf, sign_contract
from tests.archives.test_contracts import _expiry_world
from tests.staff.factories import person

pytestmark = pytest.mark.django_db


def _block(client, code):
    response = client.get(f"/home/{code}/")
    assert response.status_code == 200
    return response


def _slots(client) -> list[str]:
    return re.findall(r'hx-get="/home/([\w-]+)/"', client.get("/").content.decode())


def test_the_leader_is_told_of_contracts_near_expiry_and_incomplete_files(client, ar):
    soon, _ended, _later, _other = _expiry_world(ar)
    User.objects.filter(pk=ar.a_cm1.pk).update(sac_no="S1", sac_expires_on=dt.date(2026, 7, 1))
    client.force_login(ar.a_tl)
    assert "archives" in _slots(client)
    response = _block(client, "archives")
    block = response.context["block"]
    assert block["counts"] == {"expiring": 1, "ended": 1, "sac_expiring": 1, "sac_expired": 0}
    assert block["soon"] == [soon]
    # Nobody in team A has handed in documents yet.
    assert block["onboarding"] == 1
    assert block["incomplete"] == User.objects.filter(team=ar.team_a).count()  # no documents
    html = response.content.decode()
    assert 'data-testid="home-block-archives"' in html
    assert "甲经理一" in html
    assert "7月1日到期" in html
    assert "/archives/completeness/?gaps=1" in html


def test_the_clerk_sees_his_branch_and_last_months_archiving(client, ar):
    _expiry_world(ar)
    client.force_login(ar.arch1)
    block = _block(client, "archives").context["block"]
    assert block["to_close"] == [{"month": dt.date(2026, 5, 1), "branch_id": ar.b1.pk}]
    assert block["counts"]["expiring"] == 1  # a_cm1 only; c_cm is branch 2's
    client.force_login(ar.arch2)
    block = _block(client, "archives").context["block"]
    assert [c.person for c in block["soon"]] == [ar.c_cm]


def test_a_client_manager_gets_his_own_block_and_not_the_alerts(client, ar):
    soon, *_ = _expiry_world(ar)
    User.objects.filter(pk=ar.a_cm1.pk).update(sac_no="S1", sac_expires_on=dt.date(2026, 7, 1))
    client.force_login(ar.a_cm1)
    slots = _slots(client)
    assert "archives" not in slots
    assert "archives_own" in slots
    assert client.get("/home/archives/").status_code == 404
    response = _block(client, "archives_own")
    assert response.context["block"]["contract"] == soon
    assert response.context["block"]["sac"] == dt.date(2026, 7, 1)
    assert "请与交易管理岗联系续签" in response.content.decode()
    # Nothing near its end: the block answers empty.
    client.force_login(ar.b_cm1)
    assert "home-block-archives_own" not in _block(client, "archives_own").content.decode()


def test_the_blocks_cost_the_same_queries_at_two_sizes(client, ar):
    _expiry_world(ar)

    def measure() -> tuple[int, int]:
        counts = []
        for user, code in ((ar.arch1, "archives"), (ar.a_cm1, "archives_own")):
            client.force_login(user)
            client.get(f"/home/{code}/")
            with CaptureQueriesContext(connection) as queries:
                _block(client, code)
            counts.append(len(queries))
        return tuple(counts)

    small = measure()
    for n in range(12):
        someone = person(group=ar.a2, outlet=ar.o1, employee_no=f"g{n:03d}")
        sign_contract(ar, someone, starts_on=dt.date(2025, 7, 3 + n))
        User.objects.filter(pk=someone.pk).update(sac_expires_on=dt.date(2026, 6, 18 + n))
    large = measure()
    assert small == large
    assert small[0] <= 16


def test_contracts_ending_are_told_to_the_leader_and_the_clerk_once(ar):
    soon, _ended, later, other = _expiry_world(ar)
    out = {r.key: r for r in reminders.contracts_ending(TODAY)}
    assert set(out) == {f"contract-ending:{soon.pk}", f"contract-ending:{other.pk}"}
    mine = out[f"contract-ending:{soon.pk}"]
    assert mine.users == (ar.a_tl, ar.arch1)
    assert mine.title == "甲经理一的劳动合同将于2026年07月01日到期"
    assert "还有 16 天到期" in mine.body
    assert mine.url == f"/archives/contracts/{soon.pk}/"
    assert out[f"contract-ending:{other.pk}"].users == (ar.c_tl, ar.arch2)
    # On 1 July a_rm's contract (ending 31 July) comes within the window.
    keys = {r.key for r in reminders.contracts_ending(dt.date(2026, 7, 1))}
    assert f"contract-ending:{later.pk}" in keys
    # Renewing removes the reminder.
    services.renew_contract(
        actor=ar.arch1, contract=soon, signed_on=TODAY, original_location="档案室", upload=pdf()
    )
    assert f"contract-ending:{soon.pk}" not in {r.key for r in reminders.contracts_ending(TODAY)}


def test_send_reminders_tells_each_keeper_once(ar):
    soon, *_ = _expiry_world(ar)
    for _ in range(2):
        call_command("send_reminders", "--only", "contracts_ending", "--date", "2026-06-15")
    key = f"contract-ending:{soon.pk}"
    told = Notice.objects.filter(dedup_key=key).values_list("user__employee_no", flat=True)
    assert sorted(told) == ["a_tl", "arch1"]
    assert Notice.objects.filter(dedup_key__startswith="contract-ending:").count() == 4


def test_sac_registrations_near_expiry_are_told_to_the_person_and_the_clerk(ar):
    User.objects.filter(pk=ar.a_cm1.pk).update(sac_no="S1", sac_expires_on=dt.date(2026, 7, 1))
    User.objects.filter(pk=ar.a_cm2.pk).update(sac_no="S2", sac_expires_on=dt.date(2026, 9, 1))
    User.objects.filter(pk=ar.b_cm2.pk).update(
        sac_no="S3", sac_expires_on=dt.date(2026, 6, 20), status=User.Status.LEFT
    )
    (reminder,) = reminders.sac_expiring(TODAY)
    assert reminder.users == (ar.a_cm1, ar.arch1)
    assert reminder.key == f"sac-expiring:{ar.a_cm1.pk}:20260701"


def _group(response, code) -> list:
    for group in response.context["groups"]:
        if group["code"] == code:
            return group["hits"]
    return []


def test_search_finds_slips_by_number_client_or_manager_within_scope(client, ar):
    slip = services.issue_slip(
        actor=ar.arch1,
        manager=ar.a_cm1,
        new_client={"crm_code": "S0001", "name": "搜索客户"},
        opened_on=dt.date(2026, 6, 10),
    )
    for user, expected in ((ar.arch1, 1), (ar.a_tl, 1), (ar.a_cm1, 1), (ar.b_tl, 0), (ar.arch2, 0)):
        client.force_login(user)
        for q in (slip.number, "S0001", "搜索客户"):
            hits = _group(client.get("/search/", {"q": q}), "archives_slips")
            assert len(hits) == expected, (user.employee_no, q)
    client.force_login(ar.arch1)
    (hit,) = _group(client.get("/search/", {"q": "a_cm1"}), "archives_slips")
    assert hit.title == f"客户确认单 {slip.number}"
    assert hit.url == f"/archives/slips/{slip.pk}/"
    assert "搜索客户（S0001） · 甲经理一" in hit.detail


def test_search_finds_files_and_contracts_within_scope(client, ar):
    contract = sign_contract(ar, ar.a_cm1, number="HT-2026-017")
    client.force_login(ar.arch1)
    files = _group(client.get("/search/", {"q": "甲经理一"}), "archives_files")
    assert [h.title for h in files] == ["甲经理一（a_cm1）的人员档案"]
    assert files[0].url == f"/archives/people/{ar.a_cm1.pk}/"
    for q in ("HT-2026-017", "甲经理一", "a_cm1"):
        hits = _group(client.get("/search/", {"q": q}), "archives_contracts")
        assert [h.url for h in hits] == [f"/archives/contracts/{contract.pk}/"], q
    assert "HT-2026-017" in hits[0].title
    # Outside the scope: another branch's clerk, another team's leader.
    for outsider in (ar.arch2, ar.b_tl, ar.c_tl):
        client.force_login(outsider)
        response = client.get("/search/", {"q": "甲经理一"})
        assert _group(response, "archives_files") == []
        assert _group(response, "archives_contracts") == []
    # A client manager finds his own file, not a colleague's.
    client.force_login(ar.a_cm2)
    assert _group(client.get("/search/", {"q": "甲经理一"}), "archives_files") == []
    assert len(_group(client.get("/search/", {"q": "a_cm2"}), "archives_files")) == 1
    # HQ HR sees every branch's files.
    client.force_login(ar.hr1)
    assert len(_group(client.get("/search/", {"q": "甲经理一"}), "archives_contracts")) == 1
