"""What the chapter adds to the portal's shared places (R-8.4): home-page
blocks per audience, reminders through ``send_reminders``, figures on the
teams' progress pages and report drafts, and the navigation bar's search."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Notice
from approvals.notify import notify
from portal import registry
from tests.home import home_html
from tests.visits.helpers import D, at, close, raise_followup, resolve, slip, visit
from visits.figures import team_visits
from visits.reminders import followup_reminders, month_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    with at(2026, 11, 20, 10):
        yield


@pytest.fixture
def work(vo):
    """On 2 Nov a_cm1 called on core1 in person with a slip and raised a
    follow-up due 9 Nov (overdue by the 20th); on 18 Nov he called on gen1
    in person with no slip; a_cm2 took a slip on 19 Nov and logged nothing."""
    slip(vo.a_cm1, D(2026, 11, 2))
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    late = raise_followup(v, D(2026, 11, 9), description="客户要求开通创业板权限。")
    visit(vo.a_cm1, vo.gen1, D(2026, 11, 18))
    slip(vo.a_cm2, D(2026, 11, 19))
    return {"late": late}


def _slots(html: str) -> set[str]:
    import re

    return set(re.findall(r'hx-get="/home/(visits_\w+)/"', html))


# -- home blocks ---------------------------------------------------------------------


def test_the_client_manager_sees_his_follow_ups_and_overdue_clients(client, vo, work, now):
    client.force_login(vo.a_cm1)
    assert _slots(client.get("/").content.decode()) == {"visits_mine", "visits_followups"}
    mine = client.get("/home/visits_mine/").content.decode()
    assert 'data-testid="visits-mine"' in mine
    # imp1 (important, 60 days) was never visited; core1 and gen1 were.
    assert "逾期未访客户" in mine
    assert "王建国" in mine
    assert "华信科技有限公司" not in mine
    assert "李秀英" not in mine
    followups = client.get("/home/visits_followups/").content.decode()
    assert "华信科技有限公司：客户要求开通创业板权限。" in followups
    assert "逾期" in followups
    # The leaders' block is not his: not listed and not served.
    assert client.get("/home/visits_leader/").status_code == 404


def test_the_team_leader_sees_what_to_check_in_his_team(client, vo, work, now):
    client.force_login(vo.a_tl)
    assert "visits_leader" in _slots(client.get("/").content.decode())
    html = client.get("/home/visits_leader/").content.decode()
    assert 'data-testid="visits-leader"' in html
    assert "上门走访无出访单" in html  # a_cm1 on the 18th
    assert "出访单无走访记录" in html  # a_cm2 on the 19th
    assert "逾期督办事项" in html
    # Another team's leader has nothing to check there.
    client.force_login(vo.b_tl)
    empty = client.get("/home/visits_leader/").content.decode()
    assert 'data-empty-block="visits_leader"' in empty
    assert 'data-testid="visits-leader"' not in empty


def test_hq_gets_no_visit_blocks(client, vo, work, now):
    client.force_login(vo.office)
    html = home_html(client)
    assert not _slots(html)
    assert client.get("/home/visits_mine/").status_code == 404


def _grow(vo, n: int, offset: int):
    """``n`` more visits by each of a_cm1 and a_cm2, in person with no
    slip, each with a follow-up overdue by the 20th, and a slip each with no
    visit."""
    from clients import services as client_services

    for i in range(n):
        for who in (vo.a_cm1, vo.a_cm2):
            c = client_services.create_client(
                actor=None,
                crm_code=f"8{offset + i:03d}{who.pk:04d}",
                name=f"新客户{offset + i}-{who.pk}",
                manager=who,
                since=D(2025, 1, 1),
                tier=vo.tiers["important"],
            )
            day = D(2026, 11, 3) + dt.timedelta(days=(offset + i) % 14)
            v = visit(who, c, day)
            raise_followup(v, day + dt.timedelta(days=1))
            slip(who, day + dt.timedelta(days=1))


@pytest.mark.parametrize("login", ["a_cm1", "a_tl", "bm1"])
def test_the_blocks_cost_the_same_queries_at_two_sizes(client, vo, work, now, login):
    client.force_login(getattr(vo, login))

    def measure():
        counts = {}
        for code in sorted(_slots(client.get("/").content.decode())):
            with CaptureQueriesContext(connection) as block:
                assert client.get(f"/home/{code}/").status_code == 200
            counts[code] = len(block)

        return counts

    _grow(vo, 2, 0)
    small = measure()
    _grow(vo, 12, 100)
    large = measure()
    assert small == large
    # Pinned, whole requests: the session and user, the scope, the block's
    # own reads, and the shell's counters when the block has something to
    # show (a_tl owns no follow-ups: an empty block).
    pinned = {
        "a_cm1": {"visits_followups": 8, "visits_mine": 12},
        "a_tl": {"visits_followups": 3, "visits_leader": 12, "visits_mine": 9},
        "bm1": {"visits_leader": 12},
    }
    assert small == pinned[login]


# -- reminders -------------------------------------------------------------------------


def _send(source, day) -> int:
    """What ``manage.py send_reminders`` does with a source."""
    return sum(
        len(notify(r.users, title=r.title, body=r.body, url=r.url, dedup_key=r.key))
        for r in source(day)
    )


# the owner is chased as the due date passes, his leader once it is late
def test_overdue_follow_ups_remind_the_owner_then_his_leader_once(vo, work):
    f = work["late"]
    assert "visits_followups" in registry.reminder_sources()
    assert "visits_months" in registry.reminder_sources()
    due = list(followup_reminders(D(2026, 11, 9)))
    assert [(r.users, r.title, r.url) for r in due] == [
        ((vo.a_cm1,), "督办事项今天到期：华信科技有限公司", f"/visits/followups/{f.pk}/")
    ]
    late = list(followup_reminders(D(2026, 11, 16)))
    assert sorted((r.users[0].employee_no, r.key) for r in late) == sorted(
        [
            (vo.a_cm1.employee_no, f"visits-fu-{f.pk}-due-20261109-1"),
            (vo.a_tl.employee_no, f"visits-fu-{f.pk}-leader-20261109"),
        ]
    )
    assert _send(followup_reminders, D(2026, 11, 16)) == 2
    assert _send(followup_reminders, D(2026, 11, 16)) == 0  # run twice: nothing twice
    assert _send(followup_reminders, D(2026, 11, 18)) == 0  # same week, leader told once
    assert _send(followup_reminders, D(2026, 11, 23)) == 1  # a week on: the owner again
    assert Notice.objects.filter(user=vo.a_tl).count() == 1
    close(resolve(f, D(2026, 11, 24)), D(2026, 11, 24))
    assert list(followup_reminders(D(2026, 11, 30))) == []


def test_a_left_owner_is_not_reminded(vo, work):
    from staff.models import User

    User.objects.filter(pk=vo.a_cm1.pk).update(is_active=False)
    rows = list(followup_reminders(D(2026, 11, 16)))
    assert [r.users for r in rows] == [(vo.a_tl,)]


def test_the_daily_command_sends_the_chapter_s_reminders_once(vo, work):
    import io

    from django.core.management import call_command

    def run(day):
        out = io.StringIO()
        call_command("send_reminders", "--date", day, "--only", "visits_followups", stdout=out)
        return out.getvalue()

    assert "visits_followups：已发送 2 条" in run("2026-11-16")
    assert "visits_followups：已发送 0 条" in run("2026-11-16")
    assert set(Notice.objects.values_list("user__employee_no", flat=True)) == {
        vo.a_cm1.employee_no,
        vo.a_tl.employee_no,
    }


def test_month_end_reminder_to_submit_the_logs(vo, work):
    rows = list(month_reminders(D(2026, 11, 25)))
    assert [(r.users, r.key) for r in rows] == [((vo.a_cm1,), "visits-month-202611-end")]
    assert _send(month_reminders, D(2026, 11, 25)) == 1
    assert _send(month_reminders, D(2026, 11, 26)) == 0


# -- team figures ------------------------------------------------------------------------


def test_team_figures_count_the_period_by_hand(vo, work):
    # Two more in November: a phone call by a_cm2 and a second call on core1
    # with a follow-up resolved and closed in time; one in October.
    v = visit(vo.a_cm2, vo.core2, D(2026, 11, 10), mode="phone")
    closed = raise_followup(v, D(2026, 11, 17))
    close(resolve(closed, D(2026, 11, 12)), D(2026, 11, 13))
    visit(vo.a_cm1, vo.core1, D(2026, 11, 16), mode="online")
    visit(vo.a_cm1, vo.core1, D(2026, 10, 16))
    visit(vo.b_cm1, vo.core_b, D(2026, 11, 16))  # another team
    with at(2026, 11, 20):
        team = team_visits(vo.team_a, D(2026, 11, 1), D(2026, 11, 30))
        person = team_visits(vo.team_a, D(2026, 11, 1), D(2026, 11, 30), person=vo.a_cm2)
        empty = team_visits(vo.team_c, D(2026, 11, 1), D(2026, 11, 30))
    assert team["code"] == "visits"
    assert team["title"] == "客户走访"
    rows = {r["label"]: (r["value"], r["note"]) for r in team["rows"]}
    assert rows == {
        "走访次数": ("4 次", "上门 2 · 电话 1 · 线上 1"),
        "走访客户": ("3 户", ""),
        "新增督办": ("2 件", ""),
        "办结督办": ("1 件", "已告知客户并办结"),
        "逾期督办": ("1 件", "截至 2026-11-20 超过期限未解决"),
    }
    mine = {r["label"]: r["value"] for r in person["rows"]}
    assert mine == {
        "走访次数": "1 次",
        "走访客户": "1 户",
        "新增督办": "1 件",
        "办结督办": "1 件",
        "逾期督办": "0 件",
    }
    assert empty["rows"] == [{"label": "走访日志", "value": "本期无走访", "note": ""}]
    # A follow-up overdue at the end of October but resolved since counts
    # for October, not for now.
    with at(2026, 11, 20):
        resolve(work["late"], D(2026, 11, 20))
        october = team_visits(vo.team_a, D(2026, 10, 1), D(2026, 10, 31))
        now = team_visits(vo.team_a, D(2026, 11, 1), D(2026, 11, 30))
    assert {r["label"]: r["value"] for r in now["rows"]}["逾期督办"] == "0 件"
    assert {r["label"]: r["value"] for r in october["rows"]}["走访次数"] == "1 次"
    # JSON-safe: plain strings only.
    assert all(isinstance(x, str) for r in team["rows"] for x in r.values())


def test_team_figures_are_registered_and_cheap(vo, work, django_assert_num_queries):
    assert any(
        f["code"] == "visits"
        for f in registry.team_figures(vo.team_a, D(2026, 11, 1), D(2026, 11, 30))
    )
    with at(2026, 11, 20), django_assert_num_queries(2):
        team_visits(vo.team_a, D(2026, 11, 1), D(2026, 11, 30))


# -- search -------------------------------------------------------------------------------


def _titles(response, code):
    for group in response.context["groups"]:
        if group["code"] == code:
            return [hit.title for hit in group["hits"]]
    return []


def test_search_finds_visits_and_follow_ups_by_client_within_scope(client, vo, work, now):
    visit(vo.b_cm1, vo.core_b, D(2026, 11, 12))
    client.force_login(vo.a_cm1)
    by_name = client.get("/search/", {"q": "华信"})
    assert _titles(by_name, "visits") == ["走访：华信科技有限公司（90000001）"]
    assert _titles(by_name, "followups") == ["督办：华信科技有限公司（90000001）"]
    by_code = client.get("/search/", {"q": vo.gen1.crm_code})
    assert _titles(by_code, "visits") == [f"走访：李秀英（{vo.gen1.crm_code}）"]
    # Not another team's client for a manager, nor a branch for another branch.
    assert _titles(client.get("/search/", {"q": "德昌"}), "visits") == []
    client.force_login(vo.bm1)
    assert len(_titles(client.get("/search/", {"q": "有限公司"}), "visits")) == 2
    client.force_login(vo.c_tl)
    assert _titles(client.get("/search/", {"q": "华信"}), "visits") == []
    assert _titles(client.get("/search/", {"q": "华信"}), "followups") == []
