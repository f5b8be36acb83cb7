"""R-8.4: each user's home page. The page lists the blocks meant for his
roles; each block loads on its own, shows only what is in his scope, links
to where the work is done, and costs a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import LeaveKind
from clients import services as client_services
from teams import services as team_services
from tests.attendance.helpers import ask_leave, at, save_day
from tests.home import home_html
from tests.staff.factories import person, role
from tests.teams.conftest import crm_month, even_split, plan_for

TODAY = (2026, 11, 25)  # a Wednesday
SLOT = re.compile(r'hx-get="/home/([\w-]+)/"')


def _slots(client) -> list[str]:
    return SLOT.findall(client.get("/").content.decode())


def _blocks(client) -> set[str]:
    return set(re.findall(r'data-testid="home-block-([\w-]+)"', home_html(client)))


@pytest.fixture
def world(org):
    """Team A with an approved, split plan, October's CRM figures, a
    recorder and a leave waiting for the leader."""
    from staff.models import Role

    org.a_rec = org.a_gl
    role(org.a_rec, Role.ATTENDANCE_RECORDER, team=org.team_a)
    plan = plan_for(org)
    members = [org.a_gl, org.a_cm1, org.a_cm2, org.a_rm]
    team_services.save_target_split(actor=org.a_tl, plan=plan, cells=even_split(plan, members))
    crm_month(
        org,
        dt.date(2026, 10, 1),
        [(org.clients["a_cm1"], "1200.00", "500000.00", True)],
    )
    ask_leave(org.a_cm2, LeaveKind.PERSONAL, dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    return org


@pytest.mark.parametrize(
    ("login", "expected", "absent"),
    [
        (
            "a_cm1",
            {"worklog_today", "my_targets", "my_leave_slips", "my_posts"},
            {"team_progress", "branch_progress", "pay_month", "filed_sheets", "pending_approvals"},
        ),
        (
            "a_tl",
            {"pending_approvals", "team_progress", "spot_checks"},
            {"branch_progress", "pay_month", "filed_sheets"},
        ),
        (
            "bm1",
            {"branch_progress", "branch_attendance", "branch_meetings", "pay_month"},
            {"worklog_today", "my_targets", "team_progress", "filed_sheets"},
        ),
        ("fin1", {"pay_month"}, {"branch_progress", "worklog_today", "filed_sheets"}),
        ("office", {"filed_sheets"}, {"pay_month", "branch_progress", "worklog_today"}),
    ],
)
def test_each_role_sees_its_blocks(client, world, login, expected, absent):
    client.force_login(getattr(world, login))
    with at(*TODAY):
        shown = _blocks(client)
    assert expected <= shown, expected - shown
    assert not (absent & shown), absent & shown


def test_a_block_meant_for_other_roles_is_not_served(client, world):
    client.force_login(world.a_cm1)
    assert "pay_month" not in _slots(client)
    assert client.get("/home/pay_month/").status_code == 404
    assert client.get("/home/no_such_block/").status_code == 404


def test_the_leader_sees_the_leave_waiting_for_him_with_a_link(client, world):
    client.force_login(world.a_tl)
    with at(*TODAY):
        html = client.get("/home/pending_approvals/").content.decode()
    assert "共有 <strong>1</strong> 项等待您审批" in html
    assert "甲经理二" in html
    assert 'href="/approvals/' in html


def test_the_work_log_block_follows_today(client, world):
    client.force_login(world.a_cm1)
    with at(*TODAY):
        before = client.get("/home/worklog_today/").content.decode()
        team_services.file_work_log(actor=world.a_cm1, done="拜访客户两户")
        after = client.get("/home/worklog_today/").content.decode()
    assert "今天的工作日志还没有填写" in before
    assert "今天的工作日志已填写" in after
    assert "本月缺填" in after  # earlier working days of November have no log


def test_month_targets_read_the_split_and_the_crm_import(client, world):
    client.force_login(world.a_cm1)
    with at(2026, 10, 20):
        html = client.get("/home/my_targets/").content.decode()
    # 600,000 yuan a year split evenly over 4 members and 12 months.
    assert "12,500.00" in html
    assert "1,200.00" in html  # October's net revenue from the CRM import
    with at(*TODAY):
        client.force_login(world.a_cm1)  # the October session has expired by now
        html = client.get("/home/my_targets/").content.decode()
    assert "本月 CRM 业绩尚未导入" in html


def test_branch_blocks_cover_only_the_managers_branch(client, world):
    client.force_login(world.bm1)
    with at(*TODAY):
        progress = client.get("/home/branch_progress/").content.decode()
        attendance = client.get("/home/branch_attendance/").content.decode()
        pay = client.get("/home/pay_month/").content.decode()
    for html in (progress, attendance):
        assert "A 团队" in html
        assert "C 团队" not in html
    assert "data-chart-config" in progress
    assert "一号营业部" in pay
    assert "二号营业部" not in pay
    assert "已复核" in pay  # October's CRM import was reviewed


def test_hq_sees_which_branches_have_not_filed(client, world):
    client.force_login(world.office)
    with at(*TODAY):
        html = client.get("/home/filed_sheets/").content.decode()
    assert "已签批备案 <strong>0</strong> 个营业部" in html
    assert "一号营业部" in html
    assert "二号营业部" in html


def _grow(org, n: int, offset: int, day: dt.date) -> None:
    """More members with logs, clients, leave and recorded days."""
    for i in range(n):
        cm = person(group=org.a2, outlet=org.o1, employee_no=f"h{offset + i:04d}")
        client_services.create_client(
            actor=None,
            crm_code=f"9{offset + i:07d}",
            name=f"客户{offset + i}",
            manager=cm,
            since=dt.date(2026, 1, 5),
        )
        with at(*TODAY):
            team_services.file_work_log(actor=cm, done="电话回访")
        ask_leave(cm, LeaveKind.PERSONAL, dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    save_day(org, day)


@pytest.mark.parametrize("login", ["a_cm1", "a_tl", "bm1", "fin1", "office"])
def test_the_page_and_each_block_cost_the_same_queries_at_two_sizes(client, world, login):
    user = getattr(world, login)

    def measure() -> dict[str, int]:
        ContentType.objects.clear_cache()  # both sizes start cold
        client.force_login(user)
        counts = {}
        with at(*TODAY):
            with CaptureQueriesContext(connection) as page:
                slots = _slots(client)
            counts["/"] = len(page)
            for code in slots:
                with CaptureQueriesContext(connection) as block:
                    client.get(f"/home/{code}/")
                counts[code] = len(block)
        return counts

    _grow(world, 2, 0, dt.date(2026, 11, 23))
    small = measure()
    _grow(world, 12, 100, dt.date(2026, 11, 24))
    large = measure()
    assert small == large
    assert small["/"] <= 12
    assert max(small.values()) <= 16, small
