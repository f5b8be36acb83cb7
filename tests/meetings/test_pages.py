"""The meeting pages: recording from the form (roll prefilled from the team
and approved leave), corrections, action items, competitor search,
compliance pages, exports and PDF, with pinned query counts."""

import datetime as dt
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import LeaveKind
from meetings.models import ActionStatus, Meeting, MeetingKind
from portal.models import ExportLog
from staff.models import Team, User
from tests.attendance.helpers import approved_leave
from tests.home import home_html
from tests.meetings.helpers import (
    ActionEntry,
    CompetitorEntry,
    Mark,
    ProblemEntry,
    at,
    morning,
    weekly,
)
from tests.staff.factories import TeamFactory, person, role

pytestmark = pytest.mark.django_db

WED = dt.date(2026, 11, 25)


def _roll_post(members, absent=None):
    absent = absent or {}
    data = {}
    for p in members:
        if p.pk in absent:
            data[f"roll-r{p.pk}"] = absent[p.pk]
            data[f"roll-n{p.pk}"] = ""
        else:
            data[f"roll-p{p.pk}"] = "on"
    return data


def _formset(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def _team_a(mt):
    return [mt.a_tl, mt.a_gl, mt.a_cm1, mt.a_cm2, mt.a_rm, mt.a_rec]


# -- recording -------------------------------------------------------------------


def test_morning_form_prefills_the_roll_with_approved_leave(mt, client):
    approved_leave(mt.a_cm2, LeaveKind.SICK, WED, WED)
    client.force_login(mt.a_gl)
    with at(2026, 11, 25, 8, 45):
        response = client.get("/meetings/new/morning/")
    assert response.status_code == 200
    roll = response.context["sheet"].roll
    assert [p.employee_no for p in roll.members] == sorted(
        ["a_tl", "a_gl", "a_cm1", "a_cm2", "a_rm", "a_rec"]
    )
    assert roll[f"p{mt.a_cm2.pk}"].value() is False
    assert roll[f"r{mt.a_cm2.pk}"].value() == "leave"
    assert roll[f"n{mt.a_cm2.pk}"].value() == "病假"
    assert roll[f"p{mt.a_cm1.pk}"].value() is True
    assert response.context["sheet"].form["host"].value() == mt.a_gl.pk
    html = response.content.decode()
    assert "当日市场信息与走势研判" in html
    assert "激励士气" in html


def test_morning_meeting_filed_from_the_form(mt, client):
    client.force_login(mt.a_gl)
    data = {
        "host": mt.a_gl.pk,
        "start_time": "08:30",
        "place": "营业部会议室",
        "market": "大盘高开，关注券商。",
        "company_news": "新产品：收益凭证。",
        "progress_report": "昨日开户 2 户。",
        "case_study": "",
        "morale": "加油！",
        **_roll_post(_team_a(mt), {mt.a_cm1.pk: "outing"}),
    }
    with at(2026, 11, 25, 8, 50):
        response = client.post("/meetings/new/morning/", data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert (meeting.kind, meeting.date, meeting.place) == ("morning", WED, "营业部会议室")
    assert meeting.attendees.filter(present=False).get().person == mt.a_cm1
    with at(2026, 11, 25, 9):
        page = client.get(meeting.get_absolute_url())
    # No outing slip was filed: the cross-check says so.
    assert "点名为外出，但当日没有出访单" in page.content.decode()
    with at(2026, 11, 25, 9):
        again = client.get("/meetings/new/morning/")
    assert again.status_code == 302
    assert again.url == meeting.get_absolute_url()


def test_form_errors_come_back_onto_the_form(mt, client):
    client.force_login(mt.a_tl)
    data = {"host": mt.a_tl.pk, "market": "平开", **_roll_post(_team_a(mt), {mt.a_cm1.pk: ""})}
    with at(2026, 11, 25, 9):
        response = client.post("/meetings/new/morning/", data)
    assert response.status_code == 200
    assert "缺席须选择原因" in response.content.decode()
    assert not Meeting.objects.exists()


def test_weekly_meeting_filed_with_problems_competitors_actions_and_carried_items(mt, client):
    earlier = weekly(mt, dt.date(2026, 11, 18), actions=[ActionEntry("联系居委会", mt.a_cm1, WED)])
    carried = earlier.action_items.get()
    client.force_login(mt.a_tl)
    with at(2026, 11, 26, 16):
        form = client.get("/meetings/new/weekly/")
    assert [i.pk for i in form.context["sheet"].reviews.items] == [carried.pk]
    assert form.context["snapshot"]["month"] == 11
    assert "团队目标进度" in form.content.decode()
    data = {
        "host": mt.a_tl.pk,
        "agenda": "回顾与安排",
        "minutes": "本周开户 9 户。",
        **_roll_post(_team_a(mt)),
        **_formset("problems", [{"description": "审核慢", "solution": "找运营部", "solved": "on"}]),
        **_formset(
            "competitors",
            [{"competitor": "某某证券", "action": "驻点送礼品", "source": "客户反映"}],
        ),
        **_formset(
            "actions",
            [
                {"description": "周六社区讲座", "owner": mt.a_cm2.pk, "due_date": "2026-11-28"},
                {"description": "", "owner": "", "due_date": ""},
            ],
        ),
        f"review-s{carried.pk}": ActionStatus.DONE,
        f"review-m{carried.pk}": "已联系，定于下周",
    }
    with at(2026, 11, 26, 17):
        response = client.post("/meetings/new/weekly/", data)
    assert response.status_code == 302, response.context and response.context["sheet"].form.errors
    meeting = Meeting.objects.get(kind=MeetingKind.WEEKLY, date=dt.date(2026, 11, 26))
    assert meeting.problems.get().solved is True
    assert meeting.competitor_notes.get().competitor == "某某证券"
    assert meeting.action_items.get().owner == mt.a_cm2
    carried.refresh_from_db()
    assert carried.status == ActionStatus.DONE
    assert meeting.reviews.get().note == "已联系，定于下周"
    with at(2026, 11, 26, 17):
        page = client.get(meeting.get_absolute_url())
    html = page.content.decode()
    assert "联系居委会" in html
    assert "周六社区讲座" in html
    assert page.context["charts"][0]["id"] == "chart-new-accounts"


def test_a_plain_client_manager_of_a_bank_team_cannot_open_the_morning_form(mt, client):
    client.force_login(mt.b_cm1)
    with at(2026, 11, 25):
        assert client.get("/meetings/new/morning/").status_code == 403
        assert client.get("/meetings/new/weekly/").status_code == 200


# -- corrections, action items ---------------------------------------------------------


def test_edit_within_seven_days_and_read_only_after(mt, client):
    meeting = morning(mt, WED)
    client.force_login(mt.a_tl)
    data = {
        "host": mt.a_tl.pk,
        "market": "更正：低开高走。",
        "reason": "补充",
        **_roll_post(_team_a(mt)),
    }
    with at(2026, 12, 2, 18):
        client.force_login(mt.a_tl)
        assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 200
        response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.market == "更正：低开高走。"
    assert meeting.history.first().history_change_reason == "补充"
    with at(2026, 12, 3, 9):
        client.force_login(mt.a_tl)
        late = client.get(f"/meetings/{meeting.pk}/edit/")
        page = client.get(meeting.get_absolute_url())
    assert late.status_code == 302
    assert late.url == meeting.get_absolute_url()
    assert page.context["editable"] is False
    assert 'data-testid="read-only"' in page.content.decode()
    client.force_login(mt.a_cm1)
    with at(2026, 11, 26):
        assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 403


def test_action_status_from_the_page_after_minutes_are_read_only(mt, client):
    meeting = weekly(mt, WED, actions=[ActionEntry("写营销案例", mt.a_cm1, dt.date(2026, 12, 2))])
    item = meeting.action_items.get()
    with at(2026, 12, 20):
        client.force_login(mt.a_cm1)
        response = client.post(
            f"/meetings/actions/{item.pk}/status/",
            {"status": "done", "note": "已完成", "next": meeting.get_absolute_url()},
        )
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    with at(2026, 12, 20):
        refused = client.post(f"/meetings/actions/{item.pk}/status/", {"status": "cancelled"})
    assert refused.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE


def test_action_list_filters_and_keeps_its_query_count(mt, client):
    weekly(mt, dt.date(2026, 11, 4), actions=[ActionEntry("甲", mt.a_cm1, dt.date(2026, 11, 10))])
    client.force_login(mt.a_tl)
    url = "/meetings/actions/"
    with at(2026, 11, 26):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
    entries = [
        ActionEntry(f"事项{i}", [mt.a_cm1, mt.a_cm2, mt.a_gl][i % 3], dt.date(2026, 12, 10))
        for i in range(30)
    ]
    weekly(mt, WED, actions=entries)
    with at(2026, 11, 26):
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(response.context["page_obj"]) == 31
        assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
        overdue = client.get(url, {"overdue": "on"})
        assert [i.description for i in overdue.context["page_obj"]] == ["甲"]
        client.force_login(mt.a_cm2)
        mine = client.get(url, {"mine": "on"})
        assert len(mine.context["page_obj"]) == 10
        done = client.get(url, {"status": "done"})
        assert len(done.context["page_obj"]) == 0


def test_competitor_information_is_searchable_across_teams(mt, client):
    weekly(mt, WED, competitors=[CompetitorEntry("某某证券", "推出万一佣金", "客户反映")])
    weekly(
        mt,
        WED,
        actor=mt.c_tl,
        team=mt.team_c,
        competitors=[
            CompetitorEntry("另一家证券", "银行网点驻点", "网点员工"),
            CompetitorEntry("某某证券", "送礼品开户"),
        ],
    )
    client.force_login(mt.office)
    with at(2026, 11, 26):
        everything = client.get("/meetings/competitors/")
        found = client.get("/meetings/competitors/", {"q": "某某"})
        by_source = client.get("/meetings/competitors/", {"q": "网点员工"})
    assert len(everything.context["page_obj"]) == 3
    assert {c.team.name for c in found.context["page_obj"]} == {"A 团队", "C 团队"}
    assert [c.competitor for c in by_source.context["page_obj"]] == ["另一家证券"]
    client.force_login(mt.a_tl)
    with at(2026, 11, 26):
        own = client.get("/meetings/competitors/", {"q": "某某"})
    assert [c.team.name for c in own.context["page_obj"]] == ["A 团队"]


def test_meeting_list_keeps_its_query_count_and_filters(mt, client):
    client.force_login(mt.bm1)
    morning(mt, dt.date(2026, 11, 2))
    with at(2026, 11, 27):
        client.get("/meetings/")
        with CaptureQueriesContext(connection) as few:
            client.get("/meetings/")
    day = dt.date(2026, 11, 3)
    while day <= dt.date(2026, 11, 27):
        if day.weekday() < 5:
            morning(mt, day, roll={mt.a_cm1.pk: Mark(False, "leave", "")})
        day += dt.timedelta(days=1)
    weekly(mt, dt.date(2026, 11, 20), actor=mt.b_tl, team=mt.team_b)
    with at(2026, 11, 27):
        with CaptureQueriesContext(connection) as many:
            response = client.get("/meetings/")
        assert len(response.context["page_obj"]) == 21
        assert len(many) == len(few)
        row = response.context["page_obj"][1]
        assert (row.roll_total, row.roll_present, row.roll_absent) == (6, 5, 1)
        weekly_only = client.get("/meetings/", {"kind": "weekly"})
        assert [m.team for m in weekly_only.context["page_obj"]] == [mt.team_b]
        searched = client.get("/meetings/", {"q": "收益凭证"})
        assert len(searched.context["page_obj"]) == 20


def test_exports_are_logged_and_need_a_post(mt, client):
    weekly(
        mt,
        WED,
        actions=[ActionEntry("甲", mt.a_cm1, dt.date(2026, 12, 2))],
        competitors=[CompetitorEntry("某某证券", "低佣")],
    )
    client.force_login(mt.a_tl)
    with at(2026, 11, 26):
        for url in (
            "/meetings/export.xlsx",
            "/meetings/actions/export.xlsx",
            "/meetings/competitors/export.xlsx",
            "/meetings/compliance/export.xlsx?month=2026-11",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ExportLog.objects.filter(user=mt.a_tl).count() == 4
    assert set(ExportLog.objects.values_list("rows", flat=True)) == {1}
    client.force_login(mt.a_cm1)  # no position or duty: no exports
    with at(2026, 11, 26):
        assert client.get("/meetings/export.xlsx").status_code == 403
        assert client.get("/meetings/actions/export.xlsx").status_code == 403


def test_minutes_print_to_pdf(mt, client, tmp_path):
    meeting = weekly(
        mt,
        WED,
        actions=[ActionEntry("周六社区讲座", mt.a_cm2, dt.date(2026, 11, 28))],
        competitors=[CompetitorEntry("某某证券", "推出万一佣金", "客户反映")],
    )
    client.force_login(mt.a_tl)
    with at(2026, 11, 26):
        response = client.get(f"/meetings/{meeting.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("A 团队周例会记录", "会议纪要", "某某证券", "周六社区讲座", "甲负责人"):
        assert expected in text, expected
    assert ExportLog.objects.get().format == "pdf"


# -- compliance pages ----------------------------------------------------------------------


def _branch_of(teams_count, mt):
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "root", name="管理员"
    )
    teams = []
    for i in range(teams_count):
        team = TeamFactory(branch=mt.b2, kind=Team.Kind.BRANCH if i % 2 == 0 else Team.Kind.BANK)
        leader = person(name=f"负责人{i}", team=team)
        role(leader, "team_leader", team=team)
        teams.append(team)
        if i % 3 == 0:
            weekly(mt, dt.date(2026, 11, 18), actor=admin, team=team, host=leader)
        if team.holds_morning_meetings:
            morning(mt, dt.date(2026, 11, 24), actor=admin, team=team, host=leader)
    return teams


def _own_queries(client, url) -> int:
    """The page's own queries: its total less those of a bare page of the
    shell (session, scope, the navigation's to-do counters of every app)."""
    client.get(url)
    with CaptureQueriesContext(connection) as shell:
        client.get("/accounts/password_change/")
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
    assert response.status_code == 200
    return len(page) - len(shell), response


def test_branch_overview_of_twenty_teams_pins_its_query_count(mt, client):
    bm2 = person(name="二部经理", branch=mt.b2, employee_no="bm2")
    role(bm2, "branch_manager", branch=mt.b2)
    client.force_login(bm2)
    with at(2026, 11, 26):
        few, _ = _own_queries(client, "/meetings/compliance/")
    _branch_of(19, mt)  # with team C: twenty teams
    with at(2026, 11, 26):
        # branches, the teams (count and page), the calendar, the meetings
        many, response = _own_queries(client, "/meetings/compliance/")
    assert few == many == 5
    rows = response.context["rows"]
    assert len(rows) == 20
    held_weekly = sum(r.weekly_summary["held"] for r in rows)
    assert held_weekly == 7
    assert all(r.missed_total > 0 for r in rows)


def test_team_calendar_pins_its_query_count(mt, client):
    client.force_login(mt.a_tl)
    url = f"/meetings/compliance/{mt.team_a.pk}/?month=2026-11"
    with at(2026, 11, 26):
        few, _ = _own_queries(client, url)
    for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 24)):
        morning(mt, day)
    with at(2026, 11, 26):
        # the team, the month's calendar (three), the working days, the meetings
        many, response = _own_queries(client, url)
    assert few == many == 6
    html = response.content.decode()
    assert html.count('data-status="held"') == 3
    summary = response.context["result"].morning_summary
    assert (summary["held"], summary["missed"], summary["due"]) == (3, 15, 1)
    client.force_login(mt.c_tl)
    with at(2026, 11, 26):
        assert client.get(url).status_code == 404


def test_home_page_shows_missed_meetings_and_own_action_items(mt, client):
    weekly(
        mt, dt.date(2026, 11, 18), actions=[ActionEntry("回访", mt.a_cm1, dt.date(2026, 11, 20))]
    )
    client.force_login(mt.a_tl)
    with at(2026, 11, 26, 9):
        html = home_html(client)
    assert 'data-testid="home-block-meetings_missed"' in html
    assert 'data-testid="morning-due"' in html  # today's morning meeting not yet recorded
    client.force_login(mt.a_cm1)
    with at(2026, 11, 26, 9):
        html = home_html(client)
    assert 'data-testid="home-block-meetings_actions"' in html
    assert "回访" in html
    assert 'data-testid="home-block-meetings_missed"' not in html


def test_navigation_lists_the_meetings_section(mt, client):
    client.force_login(mt.a_cm1)
    with at(2026, 11, 26):
        html = client.get("/meetings/").content.decode()
    assert 'data-nav="meetings"' in html
    assert "/meetings/new/morning/" in html
    assert "/meetings/compliance/" in html
    client.force_login(mt.office)
    with at(2026, 11, 26):
        html = client.get("/meetings/").content.decode()
    assert "/meetings/new/morning/" not in html


def test_weekly_meeting_corrected_from_the_form_keeps_its_rows(mt, client):
    meeting = weekly(
        mt,
        WED,
        problems=[ProblemEntry("审核慢")],
        actions=[ActionEntry("周六讲座", mt.a_cm2, dt.date(2026, 11, 28))],
    )
    problem = meeting.problems.get()
    item = meeting.action_items.get()
    client.force_login(mt.a_tl)
    with at(2026, 11, 27):
        form = client.get(f"/meetings/{meeting.pk}/edit/")
    sheet = form.context["sheet"]
    assert sheet.problems.initial == [
        {"pk": problem.pk, "description": "审核慢", "solution": "", "solved": False}
    ]
    assert sheet.reviews is None  # carried items are settled when the meeting is first recorded
    data = {
        "host": mt.a_tl.pk,
        "minutes": "更正后的纪要。",
        **_roll_post(_team_a(mt)),
        **_formset("problems", [{"pk": problem.pk, "description": "审核慢", "solution": "已协调"}]),
        **_formset("competitors", []),
        **_formset(
            "actions",
            [
                {
                    "pk": item.pk,
                    "description": "周六讲座",
                    "owner": mt.a_cm1.pk,
                    "due_date": "2026-11-29",
                },
                {"description": "印宣传单", "owner": mt.a_cm2.pk, "due_date": "2026-12-01"},
            ],
        ),
    }
    with at(2026, 11, 27):
        response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    problem.refresh_from_db()
    item.refresh_from_db()
    assert problem.solution == "已协调"
    assert (item.owner, item.due_date) == (mt.a_cm1, dt.date(2026, 11, 29))
    assert sorted(meeting.action_items.values_list("description", flat=True)) == [
        "印宣传单",
        "周六讲座",
    ]


def test_the_weekly_edit_form_reads_the_people_once_for_all_its_selects(mt, client):
    # Every open action item is a row with an owner select; with the host
    # select they all draw their options from one query of the team.
    one = weekly(mt, WED, actions=[ActionEntry("回访客户", mt.a_cm1, dt.date(2026, 12, 2))])
    many = weekly(
        mt,
        WED + dt.timedelta(days=1),
        kind=MeetingKind.MONTHLY,
        actions=[ActionEntry(f"待办{i}", mt.a_cm1, dt.date(2026, 12, 2)) for i in range(8)],
    )
    with at(2026, 11, 27, 18):
        client.force_login(mt.a_tl)
        client.get(f"/meetings/{one.pk}/edit/")  # the session's first touch is written
        with CaptureQueriesContext(connection) as few:
            response = client.get(f"/meetings/{one.pk}/edit/")
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as more:
            response = client.get(f"/meetings/{many.pk}/edit/")
    html = response.content.decode()
    assert html.count(f'<option value="{mt.a_cm1.pk}" selected>') == 8
    assert len(more) == len(few)
