"""Excel exports of the teams lists: headers, rows within the user's scope,
each one logged, and a query count that does not grow with the rows."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from portal.models import ExportLog
from teams import services
from teams.models import FilingKind
from tests.teams.conftest import YEAR

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def _log(who):
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(9, 0), tzinfo=dt.UTC)):
        return services.file_work_log(actor=who, done=f"{who.name} 的工作")


@pytest.fixture
def lists(org):
    """Filings, work logs, reports and spot-checks in team A and team B."""
    for leader, team, members in (
        (org.a_tl, org.team_a, (org.a_cm1, org.a_cm2)),
        (org.b_tl, org.team_b, (org.b_cm1,)),
    ):
        for who in members:
            _log(who)
        services.create_filing(
            actor=leader,
            team=team,
            kind=FilingKind.MARKETING,
            year=YEAR,
            title=f"{team.name}营销方案",
            content="……",
        )
        services.draft_report(actor=leader, team=team, period="month", year=YEAR, number=1)
        services.draw_spot_check(
            actor=leader, team=team, period_start=DAY, period_end=DAY, sample_size=1
        )
    return org


EXPORTS = {
    "/teams/filings/export.xlsx": (
        ["团队", "营业部", "文件类型", "年度", "标题"],
        1,  # the team column
        1,  # one filing of team A
    ),
    "/teams/worklogs/export.xlsx": (["日期", "工号", "姓名", "团队", "小组"], 4, 2),
    "/teams/reports/export.xlsx": (["团队", "营业部", "报告", "期间起", "期间止"], 1, 1),
    "/teams/spotchecks/export.xlsx": (["团队", "期间起", "期间止", "日志总数", "抽取份数"], 1, 1),
}


@pytest.mark.parametrize("url", list(EXPORTS))
def test_an_export_has_its_headers_and_only_the_rows_in_scope(client, lists, url):
    headers, team_column, rows = EXPORTS[url]
    client.force_login(lists.a_tl)
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0][: len(headers)]) == headers
    assert len(table) - 1 == rows
    assert {row[team_column - 1] for row in table[1:]} == {"A 团队"}
    log = ExportLog.objects.get(user=lists.a_tl)
    assert log.rows == rows
    # The branch manager sees both teams; a filter narrows the export.
    client.force_login(lists.bm1)
    everything = load_workbook(io.BytesIO(client.get(url).content)).active
    assert {r[team_column - 1] for r in list(everything.iter_rows(values_only=True))[1:]} == {
        "A 团队",
        "B 团队",
    }
    narrowed = load_workbook(io.BytesIO(client.get(url, {"team": lists.team_b.pk}).content)).active
    assert {r[team_column - 1] for r in list(narrowed.iter_rows(values_only=True))[1:]} == {
        "B 团队"
    }


def test_a_member_without_a_role_cannot_export(client, lists):
    client.force_login(lists.a_cm1)
    for url in EXPORTS:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/teams/filings/export.xlsx", 9),
        ("/teams/worklogs/export.xlsx", 7),
        ("/teams/reports/export.xlsx", 10),
        ("/teams/spotchecks/export.xlsx", 7),
    ],
)
def test_exports_pin_their_query_count(client, lists, url, queries, django_assert_num_queries):
    client.force_login(lists.bm1)
    client.get(url)  # warm the content-type cache
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_report_and_spot_check_lists_filter_and_sort(client, lists):
    client.force_login(lists.bm1)
    page = client.get("/teams/reports/", {"team": lists.team_b.pk})
    assert [r.team for r in page.context["page_obj"]] == [lists.team_b]
    page = client.get("/teams/reports/", {"o": "-team"})
    assert [r.team.name for r in page.context["page_obj"]] == ["B 团队", "A 团队"]
    page = client.get("/teams/spotchecks/", {"team": lists.team_a.pk})
    assert [c.team for c in page.context["page_obj"]] == [lists.team_a]
    page = client.get("/teams/spotchecks/", {"o": "team"})
    assert [c.team.name for c in page.context["page_obj"]] == ["A 团队", "B 团队"]
    assert "导出 Excel" in page.content.decode()
