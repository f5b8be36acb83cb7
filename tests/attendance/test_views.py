"""The attendance pages: who may open what (R-8.1), forms through the real
services, navigation, and no inline code under the CSP."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from attendance.models import (
    AttendanceDispute,
    AttendanceRecord,
    CheckRound,
    LeaveKind,
    LeaveRequest,
    OutingSlip,
    PatrolEntry,
    TeamEvent,
)
from attendance.services import events as event_services
from attendance.services import outing as outing_services
from attendance.services import roll as roll_services
from portal.models import ExportLog
from tests.attendance.helpers import approved_leave, ask_leave, at, entry, local, save_day
from tests.home import home_html

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def now():
    with at(2026, 11, 20, 10):
        yield


def _slip(who, day=None):
    day = day or D(2026, 11, 18)
    with at(day.year, day.month, day.day, 9):
        return outing_services.file_outing_slip(
            actor=who,
            destination=f"{who.name}的客户处",
            visitee="客户",
            contact="13800000000",
            purpose="拜访",
            planned_out=local(day.year, day.month, day.day, 10),
            planned_back=local(day.year, day.month, day.day, 12),
        )


@pytest.fixture
def world(att, now):
    """A week of November 2026 in three teams, with one of everything."""
    w = att
    for day in (D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19)):
        save_day(w, day, {w.a_cm1.pk: entry(arrived_at=dt.time(9, 7))})
        save_day(w, day, actor=w.b_rec, team=w.team_b)
        save_day(w, day, actor=w.c_tl, team=w.team_c)
    w.record = AttendanceRecord.objects.get(person=w.a_cm1, date=D(2026, 11, 16))
    with at(2026, 11, 17):
        w.dispute = roll_services.file_dispute(actor=w.a_cm1, record=w.record, reason="电梯故障")
    w.leave = ask_leave(w.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 25), D(2026, 11, 25))
    w.b_leave = approved_leave(w.b_cm1, LeaveKind.PERSONAL, D(2026, 11, 23), D(2026, 11, 23))
    w.c_leave = ask_leave(w.c_cm, LeaveKind.PERSONAL, D(2026, 11, 25), D(2026, 11, 25))
    w.slip = _slip(w.a_cm1)
    w.b_slip = _slip(w.b_cm1)
    w.c_slip = _slip(w.c_cm)
    with at(2026, 11, 19, 17):
        w.round = outing_services.start_check_round(
            actor=w.a_tl,
            team=w.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 19),
            mode=CheckRound.Mode.ALL,
        )
        w.patrol = event_services.record_patrol(
            actor=w.a_tl,
            team=w.team_a,
            date=D(2026, 11, 19),
            outlet=w.o1,
            entries={w.a_cm1.pk: (PatrolEntry.Found.IN_POST, "")},
        )
        w.event = event_services.create_event(
            actor=w.a_tl,
            team=w.team_a,
            kind=TeamEvent.Kind.TRAINING,
            topic=TeamEvent.Topic.ETIQUETTE,
            title="商务礼仪",
            date=D(2026, 11, 19),
            roster=[w.a_cm1, w.a_cm2],
        )
        w.c_event = event_services.create_event(
            actor=w.c_tl,
            team=w.team_c,
            kind=TeamEvent.Kind.MARKETING,
            topic=TeamEvent.Topic.OTHER,
            title="社区讲座",
            date=D(2026, 11, 19),
            roster=[w.c_cm],
        )
    return w


def _inline_code(html: str) -> list[str]:
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    styles = re.findall(r"<style\b|\sstyle=\"", html)
    handlers = re.findall(r"\son[a-z]+=\"", html)
    return scripts + styles + handlers


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


# -- every page renders for the people it is for ------------------------------------


def test_every_page_renders_without_inline_code(client, world):
    w = world
    pages = {
        w.a_cm1: [
            "/attendance/",
            "/attendance/?month=2027-01",
            f"/attendance/records/{w.record.pk}/",
            "/attendance/disputes/",
            f"/attendance/people/{w.a_cm1.pk}/",
            "/attendance/leave/",
            "/attendance/leave/new/",
            f"/attendance/leave/{w.leave.pk}/",
            "/attendance/outings/",
            "/attendance/outings/new/",
            f"/attendance/outings/{w.slip.pk}/",
            "/attendance/events/",
            f"/attendance/events/{w.event.pk}/",
        ],
        w.a_rec: [
            "/attendance/roll/",
            f"/attendance/roll/?team={w.team_a.pk}&date=2026-11-16",
            "/attendance/roll/?date=2026-11-15",
            f"/attendance/records/{w.record.pk}/",
            "/attendance/sheet/",
            "/attendance/events/new/",
        ],
        w.a_tl: [
            "/attendance/sheet/?month=2026-11",
            "/attendance/leave/?who=team",
            "/attendance/outings/?who=team",
            "/attendance/checks/",
            "/attendance/checks/new/",
            f"/attendance/checks/{w.round.pk}/",
            "/attendance/patrols/",
            "/attendance/patrols/new/",
            f"/attendance/patrols/{w.patrol.pk}/",
            f"/attendance/events/{w.event.pk}/",
            "/",
        ],
    }
    for user, urls in pages.items():
        for url in urls:
            response = _status_and_html(client, user, url)
            assert response[0] == 200, (user, url)
            assert _inline_code(response[1]) == [], (user, url)


def _status_and_html(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


# -- scope: detail pages are 404 outside it ---------------------------------------------


@pytest.mark.parametrize(
    ("what", "allowed", "denied"),
    [
        (
            "record",
            ["a_cm1", "a_rec", "a_tl", "a_gl", "bm1", "fin1"],
            ["a_cm2", "a_rm", "b_tl", "b_rec", "c_tl", "office", "vp", "comp1"],
        ),
        (
            "leave",
            ["a_cm1", "a_rec", "a_tl", "a_gl", "bm1", "fin1"],
            ["a_cm2", "b_tl", "c_tl", "office", "vp"],
        ),
        ("slip", ["a_cm1", "a_rec", "a_tl", "a_gl", "bm1"], ["a_cm2", "a_rm", "b_tl", "office"]),
        ("round", ["a_tl", "bm1", "fin1"], ["a_rec", "a_cm1", "b_tl", "office"]),
        ("patrol", ["a_tl", "bm1"], ["a_cm1", "a_rm", "b_tl", "office"]),
        ("event", ["a_cm1", "a_cm2", "a_tl", "a_rec", "bm1"], ["b_tl", "c_cm", "office"]),
        ("person", ["a_cm1", "a_rec", "a_tl", "a_gl", "bm1"], ["a_cm2", "b_tl", "office"]),
    ],
)
def test_detail_pages_are_404_outside_the_users_scope(client, world, what, allowed, denied):
    w = world
    url = {
        "record": f"/attendance/records/{w.record.pk}/",
        "leave": f"/attendance/leave/{w.leave.pk}/",
        "slip": f"/attendance/outings/{w.slip.pk}/",
        "round": f"/attendance/checks/{w.round.pk}/",
        "patrol": f"/attendance/patrols/{w.patrol.pk}/",
        "event": f"/attendance/events/{w.event.pk}/",
        "person": f"/attendance/people/{w.a_cm1.pk}/",
    }[what]
    for name in allowed:
        assert _status(client, getattr(w, name), url) == 200, name
    for name in denied:
        assert _status(client, getattr(w, name), url) == 404, name


def test_the_branch_manager_who_approves_a_leaders_leave_sees_it(client, world):
    leave = ask_leave(
        world.c_tl, LeaveKind.PERSONAL, D(2026, 11, 26), D(2026, 11, 26), deputy=world.c_cm
    )
    # c_tl's branch manager is vacant: the VP approves and sees the leave.
    assert _status(client, world.vp, f"/attendance/leave/{leave.pk}/") == 200
    assert _status(client, world.c_cm, f"/attendance/leave/{leave.pk}/") == 200  # his deputy
    assert _status(client, world.bm1, f"/attendance/leave/{leave.pk}/") == 404


# -- scope: lists and exports -------------------------------------------------------------


def _ids(client, user, url):
    client.force_login(user)
    return {x.pk for x in client.get(url).context["page_obj"]}


def test_lists_show_only_the_users_scope(client, world):
    w = world
    assert _ids(client, w.a_cm1, "/attendance/leave/") == {w.leave.pk}
    assert _ids(client, w.a_cm1, "/attendance/leave/?who=team") == set()
    assert _ids(client, w.a_tl, "/attendance/leave/?who=team") == {w.leave.pk}
    assert _ids(client, w.bm1, "/attendance/leave/?who=team") == {w.leave.pk, w.b_leave.pk}
    assert _ids(client, w.office, "/attendance/leave/?who=team") == set()
    assert _ids(client, w.a_tl, "/attendance/outings/?who=team") == {w.slip.pk}
    assert _ids(client, w.bm1, "/attendance/outings/?who=team") == {w.slip.pk, w.b_slip.pk}
    assert _ids(client, w.c_tl, "/attendance/outings/?who=team") == {w.c_slip.pk}
    assert _ids(client, w.a_rec, "/attendance/disputes/") == {w.dispute.pk}
    assert _ids(client, w.b_rec, "/attendance/disputes/") == set()
    assert _ids(client, w.a_cm2, "/attendance/events/") == {w.event.pk}
    assert _ids(client, w.c_cm, "/attendance/events/") == {w.c_event.pk}
    assert _ids(client, w.bm1, "/attendance/patrols/") == {w.patrol.pk}
    assert _ids(client, w.a_tl, "/attendance/checks/") == {w.round.pk}
    assert _ids(client, w.b_tl, "/attendance/checks/") == set()


def test_pages_for_keepers_and_leaders_are_forbidden_to_others(client, world):
    w = world
    forbidden = {
        "/attendance/roll/": [w.a_cm1, w.a_gl, w.bm1, w.office],
        f"/attendance/roll/?team={w.team_b.pk}": [w.a_rec, w.a_tl],
        "/attendance/sheet/": [w.a_cm1, w.office, w.comp1],
        f"/attendance/sheet/?team={w.team_a.pk}": [w.c_tl, w.b_tl],
        "/attendance/checks/": [w.a_cm1, w.a_rec],
        "/attendance/checks/new/": [w.a_rec, w.bm1, w.a_cm1],
        "/attendance/patrols/": [w.a_cm1, w.a_rec],
        "/attendance/patrols/new/": [w.a_cm1, w.a_rec, w.bm1],
        "/attendance/events/new/": [w.a_cm1, w.a_gl, w.bm1],
        "/attendance/sheet/export.xlsx": [w.a_cm1],
        "/attendance/leave/export.xlsx": [w.a_cm1],
        "/attendance/outings/export.xlsx": [w.a_cm1],
    }
    for url, users in forbidden.items():
        for user in users:
            assert _status(client, user, url) == 403, (url, user)
    allowed = {
        f"/attendance/sheet/?team={w.team_b.pk}": [w.bm1, w.fin1],
        "/attendance/patrols/new/": [w.a_rm, w.a_tl],
        f"/attendance/roll/?team={w.team_c.pk}": [w.c_tl],
    }
    for url, users in allowed.items():
        for user in users:
            assert _status(client, user, url) == 200, (url, user)


def test_a_group_leaders_sheet_shows_his_group_only(client, world):
    client.force_login(world.a_gl)
    rows = client.get("/attendance/sheet/?month=2026-11").context["rows"]
    assert {r.person for r in rows} == {world.a_gl, world.a_cm1}
    export = client.get("/attendance/sheet/export.xlsx?month=2026-11")
    names = [
        r[1] for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    ]
    assert sorted(names[1:-1]) == sorted([world.a_gl.name, world.a_cm1.name])


def test_exports_never_leak_beyond_the_users_scope(client, world):
    w = world

    def exported(user, url, column=0):
        client.force_login(user)
        rows = list(
            load_workbook(io.BytesIO(client.get(url).content)).active.iter_rows(values_only=True)
        )
        return {r[column] for r in rows[1:]}

    assert exported(w.a_tl, "/attendance/outings/export.xlsx?who=team") == {w.slip.number}
    assert exported(w.bm1, "/attendance/outings/export.xlsx?who=team") == {
        w.slip.number,
        w.b_slip.number,
    }
    assert exported(w.a_tl, "/attendance/leave/export.xlsx?who=team", 1) == {"a_cm1"}
    assert exported(w.c_tl, "/attendance/leave/export.xlsx?who=team", 1) == {"c_cm"}
    assert ExportLog.objects.count() == 4


# -- forms through the services ---------------------------------------------------------------


def test_the_recorder_saves_a_day_from_the_roll_page(client, att, now):
    client.force_login(att.a_rec)
    url = f"/attendance/roll/?team={att.team_a.pk}&date=2026-11-19"
    page = client.get(url)
    assert page.context["saved"] is None
    cm1, cm2 = att.a_cm1.pk, att.a_cm2.pk
    response = client.post(
        url,
        {f"s_{cm1}": "present", f"a_{cm1}": "09:15", f"o_{cm2}": "1.5", f"s_{cm2}": "present"},
    )
    assert response.status_code == 302
    assert AttendanceRecord.objects.get(person=att.a_cm1, date=D(2026, 11, 19)).late_minutes == 15
    assert AttendanceRecord.objects.filter(date=D(2026, 11, 19)).count() == 6
    again = client.post(url, {f"s_{cm1}": "absent"})
    assert again.status_code == 200
    assert "该日考勤已保存过，更正须填写原因。" in again.content.decode()
    corrected = client.post(url, {f"s_{cm1}": "absent", "reason": "核实当天旷工"}, follow=True)
    assert "已更正" in corrected.content.decode()
    assert "核实当天旷工" in corrected.content.decode()  # the day's correction log
    assert AttendanceRecord.objects.get(person=att.a_cm1, date=D(2026, 11, 19)).status == "absent"


def test_a_rest_day_and_a_future_day_offer_no_roll(client, att, now):
    client.force_login(att.a_rec)
    rest = client.get("/attendance/roll/?date=2026-11-15")
    assert 'data-testid="rest-day"' in rest.content.decode()
    future = client.get("/attendance/roll/?date=2026-11-23")
    assert future.status_code == 302
    provisional = client.get("/attendance/roll/?date=2026-11-20").content.decode()
    assert 'data-testid="provisional"' not in provisional


def test_a_member_asks_leave_from_the_form(client, att, now):
    client.force_login(att.a_cm1)
    response = client.post(
        "/attendance/leave/new/",
        {
            "kind": "personal",
            "start_date": "2026-11-23",
            "start_half": "am",
            "end_date": "2026-11-24",
            "end_half": "am",
            "reason": "家中有事",
        },
    )
    leave = LeaveRequest.objects.get()
    assert response.url == f"/attendance/leave/{leave.pk}/"
    assert leave.days == Decimal("1.5")
    refused = client.post(
        "/attendance/leave/new/",
        {
            "kind": "personal",
            "start_date": "2026-11-24",
            "start_half": "am",
            "end_date": "2026-11-24",
            "end_half": "pm",
            "reason": "再请",
        },
    )
    assert "时间重叠" in refused.content.decode()


def test_a_member_files_a_slip_with_his_location_and_a_photo(client, att, now):
    client.force_login(att.a_cm1)
    response = client.post(
        "/attendance/outings/new/",
        {
            "destination": "罗湖区某商场",
            "visitee": "孙女士",
            "contact": "13700001234",
            "purpose": "上门开户",
            "planned_out": "2026-11-20T10:30",
            "planned_back": "2026-11-20T12:00",
            "latitude": "22.548000",
            "longitude": "114.120000",
            "accuracy": "20",
            "photo": SimpleUploadedFile("门头.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32),
        },
    )
    slip = OutingSlip.objects.get()
    assert response.url == f"/attendance/outings/{slip.pk}/"
    assert (slip.latitude, slip.accuracy) == (Decimal("22.548000"), 20)
    early = client.post(
        "/attendance/outings/new/",
        {
            "destination": "x",
            "visitee": "y",
            "contact": "z",
            "purpose": "p",
            "planned_out": "2026-11-20T08:00",
            "planned_back": "2026-11-20T09:00",
        },
    )
    assert "外出前填写" in early.content.decode()


def test_the_leader_checks_slips_and_the_recorder_resolves_a_dispute_from_pages(client, world):
    w = world
    client.force_login(w.a_tl)
    response = client.post(
        "/attendance/checks/new/",
        {
            "team": w.team_a.pk,
            "period_start": "2026-11-01",
            "period_end": "2026-11-20",
            "mode": "sample",
            "sample_size": "1",
            "seed": "99",
        },
    )
    check_round = CheckRound.objects.get(seed=99)
    assert response.url == f"/attendance/checks/{check_round.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-testid="reproducible"' in page
    assert "样本一致" in page
    check = check_round.checks.get()
    client.post(
        f"/attendance/checks/item/{check.pk}/",
        {f"c{check.pk}-result": "confirmed", f"c{check.pk}-note": "电话回访属实"},
    )
    check.refresh_from_db()
    assert check.result == "confirmed"
    client.force_login(w.a_rec)
    pid = w.a_cm1.pk
    client.post(
        f"/attendance/disputes/{w.dispute.pk}/resolve/",
        {
            "decision": "accept",
            "resolution": "电梯故障属实",
            f"s_{pid}": "present",
            f"a_{pid}": "08:58",
        },
    )
    w.dispute.refresh_from_db()
    w.record.refresh_from_db()
    assert w.dispute.status == AttendanceDispute.Status.ACCEPTED
    assert w.record.late_minutes == 0


def test_a_member_disputes_from_the_record_page(client, world):
    record = AttendanceRecord.objects.get(person=world.a_cm1, date=D(2026, 11, 17))
    client.force_login(world.a_cm1)
    page = client.get(f"/attendance/records/{record.pk}/").content.decode()
    assert 'data-testid="file-dispute"' in page
    assert 'data-testid="correct-record"' not in page
    client.post(f"/attendance/records/{record.pk}/dispute/", {"reason": "当天 8:55 已到"})
    assert record.disputes.get().status == "open"
    client.force_login(world.a_tl)
    page = client.get(f"/attendance/records/{record.pk}/").content.decode()
    assert 'data-testid="resolve-panel"' in page


def test_events_are_created_and_attendance_recorded_from_pages(client, att, now):
    client.force_login(att.a_tl)
    response = client.post(
        "/attendance/events/new/",
        {
            "kind": "training",
            "topic": "sales",
            "title": "异议处理技巧",
            "date": "2026-11-20",
            "start_time": "16:00",
            "end_time": "17:00",
            "roster": [att.a_cm1.pk, att.a_cm2.pk],
        },
    )
    event = TeamEvent.objects.get()
    assert response.url == f"/attendance/events/{event.pk}/"
    client.post(
        f"/attendance/events/{event.pk}/attendance/",
        {f"s_{att.a_cm1.pk}": "present", f"s_{att.a_cm2.pk}": "absent"},
    )
    assert dict(event.roster.values_list("person", "status")) == {
        att.a_cm1.pk: "present",
        att.a_cm2.pk: "absent",
    }
    response = client.post(
        "/attendance/patrols/new/",
        {
            "date": "2026-11-20",
            "outlet": att.o2.pk,
            f"f_{att.a_cm2.pk}": "away",
            f"m_{att.a_cm2.pk}": "不在岗",
        },
    )
    assert response.status_code == 302
    assert PatrolEntry.objects.get().found == "away"


# -- the shell ---------------------------------------------------------------------------------


def test_navigation_offers_each_role_its_attendance_pages(client, world):
    def children(user):
        client.force_login(user)
        nav = client.get("/").context["nav_items"]
        section = next(item for item in nav if item["code"] == "attendance")
        return [c["label"] for c in section["children"]]

    assert children(world.a_cm1) == ["请假", "出访单", "考勤申诉", "培训与活动"]
    assert children(world.a_rec) == [
        "每日考勤",
        "月度考勤表",
        "请假",
        "出访单",
        "考勤申诉",
        "培训与活动",
    ]
    assert children(world.a_tl) == [
        "每日考勤",
        "月度考勤表",
        "请假",
        "出访单",
        "出访单检查",
        "考勤申诉",
        "巡查记录",
        "培训与活动",
    ]


def test_the_home_page_reminds_the_recorder_and_the_leader(client, world):
    client.force_login(world.a_rec)
    page = home_html(client)
    assert 'data-testid="home-block-attendance_roll"' in page
    assert "尚未记录考勤" in page
    assert "待处理的考勤申诉" in page
    client.force_login(world.a_tl)
    page = home_html(client)
    assert 'data-testid="home-block-attendance_checks"' in page
    client.force_login(world.a_cm1)
    assert "home-block-attendance_" not in home_html(client)


def test_actions_and_the_printed_slip_are_refused_outside_the_scope(client, world):
    w = world
    pid = w.a_cm1.pk
    check = w.round.checks.first()
    refused = {
        # Out of scope: the object is not found.
        (w.b_tl, f"/attendance/records/{w.record.pk}/correct/"): 404,
        (w.b_rec, f"/attendance/disputes/{w.dispute.pk}/resolve/"): 404,
        (w.b_tl, f"/attendance/checks/item/{check.pk}/"): 404,
        (w.c_tl, f"/attendance/events/{w.event.pk}/attendance/"): 404,
        (w.a_cm2, f"/attendance/records/{w.record.pk}/dispute/"): 404,
    }
    for (user, url), code in refused.items():
        client.force_login(user)
        assert client.post(url, {"reason": "x", "resolution": "x"}).status_code == code, url
    for user in (w.a_cm2, w.b_tl, w.office):
        assert _status(client, user, f"/attendance/outings/{w.slip.pk}/print.pdf") == 404
    # In scope but without the right: the service refuses and nothing changes.
    client.force_login(w.a_gl)
    client.post(
        f"/attendance/records/{w.record.pk}/correct/",
        {f"s_{pid}": "absent", "reason": "组长想改"},
    )
    client.post(
        f"/attendance/disputes/{w.dispute.pk}/resolve/",
        {"decision": "reject", "resolution": "组长驳回"},
    )
    client.force_login(w.bm1)
    client.post(f"/attendance/checks/item/{check.pk}/", {f"c{check.pk}-result": "confirmed"})
    client.force_login(w.a_cm2)
    client.post(f"/attendance/events/{w.event.pk}/attendance/", {f"s_{w.a_cm2.pk}": "present"})
    w.record.refresh_from_db()
    w.dispute.refresh_from_db()
    check.refresh_from_db()
    assert w.record.status == "present"
    assert w.dispute.status == "open"
    assert check.result == "pending"
    assert not w.event.roster.filter(status="present").exists()


def test_days_and_months_of_a_year_without_a_schedule_are_marked_provisional(client, att):
    with at(2027, 1, 5, 10):
        client.force_login(att.a_rec)
        roll = client.get("/attendance/roll/?date=2027-01-04").content.decode()
        assert 'data-testid="provisional"' in roll
        client.post("/attendance/roll/?date=2027-01-04", {})
        sheet = client.get("/attendance/sheet/?month=2027-01").content.decode()
        assert 'data-testid="provisional"' in sheet
        client.force_login(att.a_cm1)
        home = client.get("/attendance/?month=2027-01").content.decode()
        assert 'data-testid="provisional"' in home
    assert AttendanceRecord.objects.filter(date=D(2027, 1, 4), day__provisional=True).count() == 6
