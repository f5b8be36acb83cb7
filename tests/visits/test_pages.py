"""The chapter's pages: who may open what (out of scope is a 404), the
phone-first forms with the overlap confirm step, and query counts pinned
with enough rows that an N+1 would show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import ExportLog
from tests.visits.helpers import D, at, raise_followup, resolve, slip, visit
from visits.models import FollowUp, OverlapWarning, Visit
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    with at(2026, 11, 20, 10):
        yield


def own_queries(client, url):
    """The page's own queries: its total less those of a bare page of the
    shell (session, scope, the navigation's to-do counters of every app)."""
    client.get(url)
    with CaptureQueriesContext(connection) as shell:
        client.get("/accounts/password/")
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(page) - len(shell), response


def test_filing_a_visit_from_the_form_with_a_followup(client, vo, now):
    client.force_login(vo.a_cm1)
    page = client.get(f"/visits/new/?client={vo.core1.pk}")
    assert page.status_code == 200
    assert "华信科技有限公司" in page.content.decode()
    response = client.post(
        f"/visits/new/?client={vo.core1.pk}",
        {
            "visited_on": "2026-11-20",
            "mode": "onsite",
            "content": "上门拜访财务总监，介绍现金管理产品。",
            "opinions": "希望降低佣金",
            "companions": [vo.a_cm2.pk],
            "fu_enabled": "on",
            "fu_category": "fees",
            "fu_description": "客户要求申请佣金优惠。",
            "fu_department": "operations",
            "fu_due_on": "2026-11-27",
        },
    )
    v = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{v.pk}/"
    assert list(v.companions.all()) == [vo.a_cm2]
    f = FollowUp.objects.get()
    assert (f.owner, f.status, f.department) == (vo.a_cm1, "forwarded", "operations")
    follow = client.get(response["Location"])
    assert "当天无出访单" in follow.content.decode()


def test_the_form_shows_overlap_warnings_and_saves_only_after_confirming(client, vo, now):
    client.force_login(vo.a_cm1)
    data = {
        "crm_code": vo.core2.crm_code,
        "visited_on": "2026-11-20",
        "mode": "phone",
        "content": "电话回访",
    }
    first = client.post("/visits/new/", data)
    assert first.status_code == 200
    body = first.content.decode()
    assert "保存前请确认" in body
    assert "甲经理二" in body
    assert 'data-testid="confirm-visit"' in body
    assert not Visit.objects.exists()
    second = client.post("/visits/new/", {**data, "confirm_overlap": "on"})
    assert second.status_code == 302
    assert Visit.objects.get().overlap_note
    # The htmx check gives the warning while the form is being filled.
    live = client.get(f"/visits/overlap-check/?crm_code={vo.core2.crm_code}&visited_on=2026-11-21")
    assert "客户归属他人" in live.content.decode()


def test_the_form_refuses_an_unknown_client_code(client, vo, now):
    client.force_login(vo.a_cm1)
    response = client.post(
        "/visits/new/",
        {
            "crm_code": vo.core_c.crm_code,
            "visited_on": "2026-11-20",
            "mode": "phone",
            "content": "x",
        },
    )
    assert "本营业部没有这个客户号" in response.content.decode()


def test_closing_a_followup_from_its_page(client, vo, now):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 18))
    f = resolve(raise_followup(v, D(2026, 11, 25)), D(2026, 11, 19))
    client.force_login(vo.a_cm1)
    page = client.get(f"/visits/followups/{f.pk}/").content.decode()
    assert 'data-testid="move-informed"' in page
    assert 'data-testid="move-closed"' not in page
    # The move's own fields are on its form, prefixed by the move.
    assert 'name="informed-informed_how"' in page
    assert 'name="informed-informed_on"' in page
    client.post(
        f"/visits/followups/{f.pk}/move/",
        {
            "to_status": "informed",
            "informed-informed_on": "2026-11-20",
            "informed-informed_how": "wechat",
            "informed-informed_note": "客户表示满意",
        },
    )
    f.refresh_from_db()
    assert (f.status, f.informed_how) == ("informed", "wechat")
    client.post(f"/visits/followups/{f.pk}/move/", {"to_status": "closed", "closed-note": "办结"})
    f.refresh_from_db()
    assert f.status == "closed"


SCOPED = [
    ("visit", "/visits/{visit}/"),
    ("visit", "/visits/{visit}/edit/"),
    ("followup", "/visits/followups/{followup}/"),
    ("month", "/visits/months/{month}/"),
]


@pytest.fixture
def things(vo):
    from visits.services import submissions

    v = visit(vo.a_cm1, vo.core1, D(2026, 10, 12))
    f = raise_followup(v, D(2026, 10, 20))
    with at(2026, 11, 2):
        month = submissions.submit_month(actor=vo.a_cm1, month=D(2026, 10, 1))
    return {"visit": v.pk, "followup": f.pk, "month": month.pk}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("a_cm1", True),  # the visitor
        ("a_gl", True),  # his group leader
        ("a_tl", True),  # his team leader
        ("bm1", True),  # his branch manager
        ("a_cm2", False),  # a colleague
        ("b_tl", False),  # another team's leader
        ("c_tl", False),  # another branch
        ("office", False),  # HQ sees no clients' business
        ("vp", False),
    ],
)
def test_scope_of_a_visit_its_followup_and_its_month(client, vo, things, now, who, sees):
    client.force_login(getattr(vo, who))
    for kind, pattern in SCOPED[:1] + SCOPED[2:]:
        status = client.get(pattern.format(**things)).status_code
        assert status == (200 if sees else 404), (who, kind, status)


def test_the_new_owner_of_a_client_sees_its_earlier_visits(client, vo, things, now):
    from clients.services import assign_client

    assign_client(actor=vo.a_tl, client=vo.core1, manager=vo.a_cm2, effective_on=D(2026, 11, 20))
    client.force_login(vo.a_cm2)
    assert client.get(f"/visits/{things['visit']}/").status_code == 200
    assert client.get(f"/visits/followups/{things['followup']}/").status_code == 200
    # … but not the previous owner's month of logs.
    assert client.get(f"/visits/months/{things['month']}/").status_code == 404


def test_only_the_visitor_edits_and_only_leaders_see_leader_pages(client, vo, things, now):
    client.force_login(vo.a_tl)
    assert client.get(f"/visits/{things['visit']}/edit/").status_code == 403
    for url in (
        "/visits/overlaps/",
        "/visits/handover/",
        "/visits/reports/",
        "/visits/crosscheck/",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(vo.a_cm2)
    for url in ("/visits/overlaps/", "/visits/handover/", "/visits/reports/", "/visits/settings/"):
        assert client.get(url).status_code == 403, url
    for url in (
        "/visits/",
        "/visits/new/",
        "/visits/plans/",
        "/visits/followups/",
        "/visits/overdue/",
        "/visits/months/",
        "/visits/crosscheck/",
    ):
        assert client.get(url).status_code == 200, url
    # A plain client manager does not export lists.
    assert client.get("/visits/export.xlsx").status_code == 403


def test_exports_are_logged(client, vo, things, now):
    client.force_login(vo.a_tl)
    for url, what in (
        ("/visits/export.xlsx", "客户走访日志"),
        ("/visits/followups/export.xlsx?status=", "督办事项"),
        ("/visits/overdue/export.xlsx", "逾期未访客户"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert ExportLog.objects.filter(user=vo.a_tl, what=what).exists()
    pdf = client.get(f"/visits/months/{things['month']}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"


# -- query counts ------------------------------------------------------------------


def _fill(o, offset: int, count: int):
    """``count`` visits to core1 by three people, each with a companion, a
    follow-up on every third (half of them resolved), a slip on every
    fourth, and plans of imp1 by all three (overlaps)."""
    import datetime as dt

    people = [o.a_cm1, o.a_cm2, o.a_gl]
    for i in range(count):
        who = people[i % 3]
        day = D(2026, 11, 1) + dt.timedelta(days=(offset + i) % 19)
        if i % 4 == 0:
            slip(who, day)
        v = visit(who, o.core1, day, companions=[people[(i + 1) % 3]], when=D(2026, 11, 19))
        if i % 3 == 0:
            f = raise_followup(v, D(2026, 11, 30), when=D(2026, 11, 19))
            if i % 2:
                resolve(f, D(2026, 11, 19))
    with at(2026, 11, 19):
        for i in range(count // 3):
            visit_services.plan_visit(
                actor=people[i % 3],
                client=o.imp1,
                planned_on=D(2026, 11, 21 + i % 5),
                purpose=f"回访{i}",
                confirm_overlap=True,
            )


def test_the_big_client_page_and_the_lists_have_fixed_queries(client, vo, now):
    _fill(vo, 0, 30)
    client.force_login(vo.a_tl)
    urls = [
        f"/clients/{vo.core1.pk}/",
        "/visits/",
        f"/visits/?client={vo.core1.pk}",
        "/visits/followups/",
        "/visits/plans/",
        "/visits/overdue/",
        "/visits/overlaps/",
        "/visits/crosscheck/",
        "/visits/months/",
    ]
    first = {url: own_queries(client, url)[0] for url in urls}
    _fill(vo, 5, 30)
    assert Visit.objects.count() == 60
    assert OverlapWarning.objects.count() > 40
    second = {url: own_queries(client, url)[0] for url in urls}
    assert second == first
    assert first == {
        # The client registry's own page and the three 大客户档案 panels.
        f"/clients/{vo.core1.pk}/": 11,
        "/visits/": 3,
        f"/visits/?client={vo.core1.pk}": 4,
        "/visits/followups/": 3,
        "/visits/plans/": 3,
        "/visits/overdue/": 6,
        "/visits/overlaps/": 4,
        "/visits/crosscheck/": 4,
        "/visits/months/": 3,
    }
    page = client.get(f"/clients/{vo.core1.pk}/").content.decode()
    assert "近 12 个月走访 60 次" in page
    assert "全部 60 次走访" in page
