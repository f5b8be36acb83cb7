"""R-8.4: ``manage.py send_reminders`` tells each person what is due —
approvals waiting more than two working days, today's work log, the leader's
list of yesterday's gaps — and running it twice sends nothing twice."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from approvals.models import Notice
from attendance.models import LeaveKind
from teams import services as team_services
from tests.attendance.helpers import approved_leave, ask_leave, at

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    with at(2026, 11, 25, 16, 30):  # Wednesday afternoon, as cron runs it
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def titles(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("id").values_list("title", flat=True))


@pytest.fixture
def due(org):
    """甲经理二 asked for leave last Friday (the leader has not acted since);
    甲经理一 filed today's log, 甲区域经理 is on leave all day today."""
    ask_leave(
        org.a_cm2,
        LeaveKind.PERSONAL,
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 7),
        when=dt.date(2026, 11, 20),
    )
    approved_leave(org.a_rm, LeaveKind.PERSONAL, dt.date(2026, 11, 25), dt.date(2026, 11, 25))
    with at(2026, 11, 25, 15):
        team_services.file_work_log(actor=org.a_cm1, done="拜访客户两户")
    Notice.objects.all().delete()  # the flow's own notices are not what is tested here
    return org


def test_an_approval_waiting_three_working_days_is_reminded_once_a_day(due):
    out = run("--only", "approvals")
    assert "approvals：已发送 1 条" in out
    [title] = titles(due.a_tl)
    assert title.startswith("待审批已超过 2 个工作日")
    assert "甲经理二" in title
    run("--only", "approvals")
    assert len(titles(due.a_tl)) == 1  # twice the same day: nothing new
    out = StringIO()
    with at(2026, 11, 26, 16, 30):
        call_command("send_reminders", "--only", "approvals", stdout=out)
    assert len(titles(due.a_tl)) == 2  # the next day, once more


def test_work_log_reminders_go_to_who_has_not_filed_and_to_the_leader(due):
    run("--only", "worklogs")
    assert titles(due.a_cm1) == []  # filed today
    assert not any("今天" in t for t in titles(due.a_rm))  # on leave all day
    assert "今天（11月25日）的工作日志还没有填写" in titles(due.a_cm2)
    leader = [t for t in titles(due.a_tl) if "未填工作日志" in t]
    assert len(leader) == 1
    assert leader[0].startswith(f"{due.team_a.name}：11月24日 有 ")
    body = Notice.objects.get(user=due.a_tl, title=leader[0]).body
    assert "甲经理一" in body
    assert "甲经理二" in body
    assert due.a_rm.name in body  # his leave is today, not Tuesday
    assert Notice.objects.get(user=due.a_cm2).url == "/teams/worklogs/today/"
    run("--only", "worklogs")
    assert len(titles(due.a_cm2)) == 1
    assert len([t for t in titles(due.a_tl) if "未填工作日志" in t]) == 1


def test_the_whole_run_twice_sends_nothing_the_second_time(due):
    first = run()
    count = Notice.objects.count()
    assert count > 0
    second = run()
    assert Notice.objects.count() == count
    assert "合计 0 条" in second
    assert f"合计 {count} 条" in first


def test_dry_run_sends_nothing_and_bad_arguments_are_refused(due):
    out = run("--dry-run")
    assert "将发送" in out
    assert Notice.objects.count() == 0
    with pytest.raises(CommandError, match="没有这些提醒来源"):
        run("--only", "nonsense")
    with pytest.raises(CommandError, match="日期格式不正确"):
        run("--date", "2026-13-01")
