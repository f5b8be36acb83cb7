"""The quarterly visit report (R-7.4) against a quarter counted by hand."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from approvals.selectors import request_for
from tests.visits.helpers import D, approve, at, move, raise_followup, resolve, visit
from visits.services import reports as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def q3(vo):
    """Q3 2026 (1 July – 30 September, 92 days) of team A, counted by hand:

    visits by team A: a_cm1 core1 ×3 (onsite 7-05, phone 8-06, onsite 9-08),
    gen1 online 8-20, his untiered client by phone 7-20; a_cm2 core2 onsite
    7-10 and 9-01, core1 onsite 9-20 → 8 visits (onsite 5, phone 2, online 1).
    b_cm1 (team B) calls core2 on 8-15. Outside: a_cm1 imp1 on 6-25, 10-02.
    Follow-ups: F1 7-05 due 7-12 resolved 7-10 (5 days); F2 8-06 due 8-13
    resolved 8-20 (14 days, late); F3 9-01 due 9-10 open (late); F4 9-20 due
    10-10 open; F0 raised 6-25, resolved 7-03 (carried over).
    """
    o = vo
    before = visit(o.a_cm1, o.imp1, D(2026, 6, 25))
    f0 = raise_followup(before, D(2026, 7, 2), category="fees")
    resolve(f0, D(2026, 7, 3))
    v1 = visit(o.a_cm1, o.core1, D(2026, 7, 5))
    f1 = raise_followup(v1, D(2026, 7, 12), category="account")
    resolve(f1, D(2026, 7, 10))
    visit(o.a_cm2, o.core2, D(2026, 7, 10))
    visit(o.a_cm1, o.clients["a_cm1"], D(2026, 7, 20), mode="phone")
    v2 = visit(o.a_cm1, o.core1, D(2026, 8, 6), mode="phone")
    f2 = raise_followup(v2, D(2026, 8, 13), category="trading")
    resolve(f2, D(2026, 8, 20))
    visit(o.b_cm1, o.core2, D(2026, 8, 15), mode="phone")
    visit(o.a_cm1, o.gen1, D(2026, 8, 20), mode="online")
    v3 = visit(o.a_cm2, o.core2, D(2026, 9, 1))
    raise_followup(v3, D(2026, 9, 10), category="account")
    visit(o.a_cm1, o.core1, D(2026, 9, 8))
    v4 = visit(o.a_cm2, o.core1, D(2026, 9, 20))
    f4 = raise_followup(v4, D(2026, 10, 10), category="product")
    move(f4, "forwarded", D(2026, 9, 21), department="products")
    visit(o.a_cm1, o.imp1, D(2026, 10, 2))
    return o


OCT_15 = D(2026, 10, 15)


def draft(actor, when=OCT_15, **kwargs):
    with at(when.year, when.month, when.day):
        return services.draft_report(actor=actor, year=2026, quarter=3, **kwargs)


def test_team_figures_match_the_hand_count(q3):
    f = draft(q3.a_tl, team=q3.team_a).figures
    assert (f["start"], f["end"], f["until"], f["partial"]) == (
        "2026-07-01",
        "2026-09-30",
        "2026-09-30",
        False,
    )
    t = f["totals"]
    assert (t["visits"], t["onsite"], t["phone"], t["online"], t["visitors"]) == (8, 5, 2, 1, 2)
    # core1 (4 visits), core2 (3, b_cm1's call included), imp1 (none), gen1 (1).
    assert (t["clients"], t["covered"], t["met"], t["cover_rate"], t["met_rate"]) == (
        4,
        3,
        3,
        "75.0%",
        "75.0%",
    )
    tiers = {r["tier"]: r for r in f["tiers"]}
    assert {
        k: tiers["核心"][k]
        for k in ("required_each", "visits", "clients", "required", "visits_to", "met")
    } == {
        "required_each": 3,
        "visits": 6,
        "clients": 2,
        "required": 6,
        "visits_to": 7,
        "met": 2,
    }
    assert (tiers["重要"]["clients"], tiers["重要"]["covered"], tiers["重要"]["met_rate"]) == (
        1,
        0,
        "0.0%",
    )
    assert (tiers["一般"]["visits"], tiers["一般"]["met"]) == (1, 1)
    assert f["untiered_visits"] == 1
    managers = {m["employee_no"]: m for m in f["managers"]}
    assert {
        k: managers["a_cm1"][k] for k in ("visits", "onsite", "phone", "online", "clients_visited")
    } == {
        "visits": 5,
        "onsite": 2,
        "phone": 2,
        "online": 1,
        "clients_visited": 3,
    }
    assert (
        managers["a_cm1"]["own_clients"],
        managers["a_cm1"]["own_met"],
        managers["a_cm1"]["own_met_rate"],
    ) == (
        3,
        2,
        "66.7%",
    )
    assert (
        managers["a_cm2"]["visits"],
        managers["a_cm2"]["fu_raised"],
        managers["a_cm2"]["fu_overdue"],
    ) == (3, 2, 1)
    assert "b_cm1" not in managers
    fu = f["followups"]
    assert {
        k: fu[k]
        for k in ("raised", "resolved", "open", "overdue", "avg_days", "max_days", "resolve_rate")
    } == {
        "raised": 4,
        "resolved": 2,
        "open": 2,
        "overdue": 2,
        "avg_days": "9.5",
        "max_days": 14,
        "resolve_rate": "50.0%",
    }
    assert (fu["carried"], fu["carried_resolved"]) == (1, 1)
    account = next(c for c in f["categories"] if c["category"] == "账户业务")
    assert (account["raised"], account["resolved"], account["overdue"], account["avg_days"]) == (
        2,
        1,
        1,
        "5.0",
    )


def test_branch_figures_add_the_teams(q3):
    f = draft(q3.bm1, branch=q3.b1).figures
    assert f["managers"] == []
    teams = {r["team"]: r for r in f["teams"]}
    assert (
        teams["A 团队"]["visits"],
        teams["A 团队"]["clients"],
        teams["A 团队"]["fu_raised"],
    ) == (8, 4, 4)
    assert (teams["B 团队"]["visits"], teams["B 团队"]["clients"], teams["B 团队"]["covered"]) == (
        1,
        1,
        0,
    )
    assert f["totals"]["visits"] == 9
    assert f["totals"]["clients"] == 5


def test_a_running_quarter_is_counted_to_today(q3):
    f = draft(q3.a_tl, when=D(2026, 8, 10), team=q3.team_a).figures
    assert (f["until"], f["partial"]) == ("2026-08-10", True)
    assert f["totals"]["visits"] == 4  # 7-05, 7-10, 7-20, 8-06
    # 41 days: one core visit is asked for (41 // 30).
    assert next(r for r in f["tiers"] if r["tier"] == "核心")["required_each"] == 1


def test_the_report_goes_to_the_branch_manager_with_the_leaders_rating(q3):
    report = draft(q3.a_tl, team=q3.team_a)
    with pytest.raises(ValidationError):
        draft(q3.a_tl, team=q3.team_a)  # one per quarter
    with pytest.raises(ValidationError):
        draft(q3.b_tl, team=q3.team_a)
    with at(2026, 10, 15), pytest.raises(ValidationError) as caught:
        services.submit_report(actor=q3.a_tl, report=report)
    assert set(caught.value.message_dict) == {"analysis", "rating"}
    with at(2026, 10, 15):
        services.update_report(
            actor=q3.a_tl,
            report=report,
            analysis="本季度核心客户走访频次全部达标，重要客户王建国未走访，需加强。",
            rating="good",
            rating_note="诉求基本按期办结，交易软件问题超期 7 天。",
        )
        services.submit_report(actor=q3.a_tl, report=report, opinion="请审阅")
    report.refresh_from_db()
    assert report.status == "submitted"
    req = request_for(report)
    assert ["客户诉求处理评价", "较好"] in req.summary
    with at(2026, 10, 16):
        approve(report, opinion="已阅，重要客户走访要跟上。")
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.approved_at
    with at(2026, 10, 17), pytest.raises(ValidationError):
        services.update_report(
            actor=q3.a_tl, report=report, analysis="改" * 30, rating="fair", rating_note=""
        )


def test_the_branch_report_goes_to_the_vp(q3):
    from tests.visits.helpers import open_task

    report = draft(q3.bm1, branch=q3.b1)
    with at(2026, 10, 15):
        services.update_report(
            actor=q3.bm1,
            report=report,
            analysis="营业部本季度走访情况总体良好，B 团队需加强。",
            rating="fair",
            rating_note="",
        )
        services.submit_report(actor=q3.bm1, report=report)
    assert open_task(report).user == q3.vp


def test_the_report_prints_to_pdf_and_excel(client, q3):
    import subprocess
    import tempfile

    report = draft(q3.a_tl, team=q3.team_a)
    client.force_login(q3.a_tl)
    with at(2026, 10, 15):
        pdf = client.get(f"/visits/reports/{report.pk}/pdf/")
        xlsx = client.get(f"/visits/reports/{report.pk}/export.xlsx")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf.content)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "A 团队 2026 年第 3 季度客户走访报告" in text
    assert "甲经理一" in text
    assert "75.0%" in text
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames == ["概况", "按客户级别", "按客户经理", "督办按类别"]
    rows = {r[0]: r[1] for r in book["概况"].iter_rows(min_row=2, values_only=True)}
    assert (rows["走访次数"], rows["频次达标率"], rows["平均解决天数"]) == (8, "75.0%", "9.5")
