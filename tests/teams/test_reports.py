"""R-1.8, R-6.5: analysis reports drafted with the period's figures,
completed by the leader, reviewed by the branch manager, archived, printed."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError

from approvals.walk import approve_all
from teams import selectors, services
from teams.models import AnalysisReport
from tests.teams.conftest import YEAR, crm_month, even_split

pytestmark = pytest.mark.django_db


def _split(org, plan):
    services.save_target_split(
        actor=org.a_tl, plan=plan, cells=even_split(plan, list(selectors.split_members(org.team_a)))
    )


def test_a_monthly_report_is_drafted_with_the_figures(org, approved_plan):
    _split(org, approved_plan)
    crm_month(org, dt.date(YEAR, 3, 1), [(org.clients["a_cm1"], "5000.00", "1000000", True)])
    report = services.draft_report(
        actor=org.a_tl, team=org.team_a, period="month", year=YEAR, number=3
    )
    assert (report.start, report.end) == (dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 31))
    summary = report.figures["summary"]
    assert summary["new_accounts"] == {
        "label": "新开户数（户）",
        "target": "8",
        "actual": "1",
        "rate": "12.5%",
    }
    assert summary["net_revenue"]["target"] == "50,000.00"
    assert summary["net_revenue"]["actual"] == "5,000.00"
    assert summary["client_assets"]["target"] == "60,000,000.00"
    people = {p["employee_no"]: p for p in report.figures["people"]}
    assert people["a_cm1"]["net_revenue"] == {"target": "12,500.00", "actual": "5,000.00"}
    assert people["a_cm1"]["client_assets"] == {"target": "15,000,000.00", "actual": "1,000,000.00"}
    assert report.figures["imported_months"] == [3]
    with pytest.raises(ValidationError, match="该期间的报告已经存在"):
        services.draft_report(actor=org.a_tl, team=org.team_a, period="month", year=YEAR, number=3)


def test_half_year_and_annual_periods(org):
    half = services.draft_report(
        actor=org.a_tl, team=org.team_a, period="half", year=YEAR, number=2
    )
    assert (half.start, half.end) == (dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31))
    year = services.draft_report(
        actor=org.a_tl, team=org.team_a, period="year", year=YEAR, number=5
    )
    assert (year.number, year.start, year.end) == (1, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    with pytest.raises(ValidationError):
        services.draft_report(actor=org.a_tl, team=org.team_a, period="half", year=YEAR, number=3)


def test_submitted_to_the_branch_manager_and_archived(org):
    report = services.draft_report(
        actor=org.a_tl, team=org.team_a, period="month", year=YEAR, number=3
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_report(actor=org.a_tl, report=report)
    assert "请先写明业务分析" in exc.value.message_dict["analysis"][0]
    services.update_report(
        actor=org.a_tl,
        report=report,
        analysis="本月开户进度落后于计划，主要原因是网点客流下降。",
        measures="增加社区活动。",
    )
    req = services.submit_report(actor=org.a_tl, report=report)
    assert req.tasks.get().user == org.bm1
    report.refresh_from_db()
    assert report.status == AnalysisReport.Status.SUBMITTED
    with pytest.raises(ValidationError, match="不能修改"):
        services.update_report(actor=org.a_tl, report=report, analysis="改", measures="")
    approve_all(req)
    report.refresh_from_db()
    assert report.status == AnalysisReport.Status.ARCHIVED
    assert report.archived_at is not None


def test_report_pdf_prints_figures_chart_and_analysis(client, org, tmp_path):
    report = services.draft_report(
        actor=org.a_tl, team=org.team_a, period="month", year=YEAR, number=3
    )
    services.update_report(
        actor=org.a_tl,
        report=report,
        analysis="网点驻点带来开户增长，存量客户回访不足。",
        measures="",
    )
    client.force_login(org.bm1)
    response = client.get(f"/teams/reports/{report.pk}/pdf/")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    assert (
        "CJK"
        in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "年 3 月业务分析报告",
        "本期业务数据",
        "网点驻点带来开户增长",
        "新开户数（户）",
    ):
        assert expected in text, expected


def test_reports_are_scoped(client, org):
    report = services.draft_report(
        actor=org.a_tl, team=org.team_a, period="month", year=YEAR, number=3
    )
    for user, status in (
        (org.a_tl, 200),
        (org.bm1, 200),
        (org.office, 200),
        (org.b_tl, 404),
        (org.c_tl, 404),
    ):
        client.force_login(user)
        assert client.get(f"/teams/reports/{report.pk}/").status_code == status, user
