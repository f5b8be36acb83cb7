"""R-1.4, R-1.10: the approved targets split to people by month, adding up
to the whole; progress against CRM actuals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teams import selectors, services
from teams.models import TargetSplit
from tests.teams.conftest import YEAR, crm_month, even_split, plan_for

pytestmark = pytest.mark.django_db


def _members(org):
    return list(selectors.split_members(org.team_a))


def test_split_members_are_the_team_without_its_leader(org):
    assert {m.employee_no for m in _members(org)} == {"a_gl", "a_cm1", "a_cm2", "a_rm"}


def test_a_split_that_adds_up_is_saved_and_supersedes_the_last(org, approved_plan):
    cells = even_split(approved_plan, _members(org))
    first = services.save_target_split(actor=org.a_tl, plan=approved_plan, cells=cells)
    cells[(org.a_cm1.pk, 1, "sales")] = Decimal("15000")  # a personal monthly sales target is free
    second = services.save_target_split(
        actor=org.a_tl, plan=approved_plan, cells=cells, note="增加个人销售目标"
    )
    first.refresh_from_db()
    assert not first.is_current
    assert selectors.current_split(org.team_a, YEAR) == second
    assert second.cells.count() == 4 * 12 * 2 + 4 + 1


def test_parts_that_do_not_add_up_are_refused_with_the_difference(org, approved_plan):
    cells = even_split(approved_plan, _members(org))
    cells[(org.a_cm1.pk, 3, "new_accounts")] += 5
    cells[(org.a_cm2.pk, 12, "client_assets")] -= Decimal("1000000")
    with pytest.raises(ValidationError) as exc:
        services.save_target_split(actor=org.a_tl, plan=approved_plan, cells=cells)
    assert exc.value.messages == [
        "新开户数合计 101 户，与年度目标 96 户不一致，超出 5 户。",
        "客户资产合计 59,000,000.00 元，与年度目标 60,000,000.00 元不一致，还差 1,000,000.00 元。",
    ]
    assert not TargetSplit.objects.exists()


def test_a_split_is_refused_for_an_unapproved_plan_non_members_and_fractions(org):
    draft = plan_for(org, approve=False)
    with pytest.raises(ValidationError, match="只能分解已批准的年度工作计划"):
        services.save_target_split(actor=org.a_tl, plan=draft, cells={})
    plan = plan_for(org)
    cells = even_split(plan, _members(org))
    with pytest.raises(ValidationError, match="只有团队负责人可以分解目标"):
        services.save_target_split(actor=org.a_gl, plan=plan, cells=cells)
    outsider = dict(cells)
    outsider[(org.b_cm1.pk, 1, "sales")] = Decimal("1")
    with pytest.raises(ValidationError, match="目标只能分解给本团队在岗人员"):
        services.save_target_split(actor=org.a_tl, plan=plan, cells=outsider)
    fraction = dict(cells)
    fraction[(org.a_cm1.pk, 1, "new_accounts")] = Decimal("2.5")
    with pytest.raises(ValidationError, match="开户数须为整数"):
        services.save_target_split(actor=org.a_tl, plan=plan, cells=fraction)


def test_the_split_page_shows_the_remainder_and_refuses_a_bad_total(client, org, approved_plan):
    client.force_login(org.a_tl)
    page = client.get(f"/teams/{org.team_a.pk}/targets/{YEAR}/").content.decode()
    assert 'data-sum-of="new_accounts" data-total="96"' in page
    data = {
        f"{metric}:{pid}:{month}": str(value)
        for (pid, month, metric), value in even_split(approved_plan, _members(org)).items()
    }
    data[f"new_accounts:{org.a_cm1.pk}:1"] = "0"
    response = client.post(f"/teams/{org.team_a.pk}/targets/{YEAR}/", data)
    assert "还差 2 户" in response.content.decode()
    data[f"new_accounts:{org.a_cm1.pk}:1"] = "2"
    response = client.post(f"/teams/{org.team_a.pk}/targets/{YEAR}/", data)
    assert response.status_code == 302
    client.force_login(org.a_cm1)  # members see the split, cannot change it
    page = client.get(f"/teams/{org.team_a.pk}/targets/{YEAR}/").content.decode()
    assert "保存分解" not in page


def test_progress_reads_actuals_from_the_current_crm_import(client, org, approved_plan):
    services.save_target_split(
        actor=org.a_tl, plan=approved_plan, cells=even_split(approved_plan, _members(org))
    )
    client.force_login(org.a_tl)
    page = client.get(f"/teams/{org.team_a.pk}/progress/{YEAR}/")
    assert "尚未导入 CRM 业绩数据" in page.content.decode()
    a_cm1_client = org.clients["a_cm1"]
    crm_month(
        org,
        dt.date(YEAR, 3, 1),
        [(a_cm1_client, "1200.50", "800000", True), (org.clients["a_cm2"], "300", "50000", False)],
    )
    # A re-import of March supersedes the first version.
    crm_month(org, dt.date(YEAR, 3, 1), [(a_cm1_client, "1500.00", "900000", True)])
    crm_month(org, dt.date(YEAR, 4, 1), [(a_cm1_client, "100.00", "910000", False)], reviewed=False)
    data = selectors.progress(org.team_a, YEAR)
    march, april = data["months"][2], data["months"][3]
    assert march["actual"] == {
        "new_accounts": 1,
        "net_revenue": Decimal("1500.00"),
        "client_assets": Decimal("900000.00"),
    }
    assert march["target"]["new_accounts"] == 8
    assert march["cum_actual"]["net_revenue"] == Decimal("1500.00")
    assert april["cum_actual"]["net_revenue"] == Decimal("1600.00")
    assert (march["reviewed"], april["reviewed"]) == (True, False)
    person = selectors.progress(org.team_a, YEAR, person=org.a_cm2)
    assert person["months"][2]["actual"]["net_revenue"] == 0
    assert person["months"][2]["target"]["net_revenue"] == Decimal("12500")
    page = client.get(f"/teams/people/{org.a_cm1.pk}/progress/{YEAR}/").content.decode()
    assert "1,500.00" in page
    assert "未复核" in page


def test_progress_pages_are_scoped(client, org, approved_plan):
    client.force_login(org.a_cm1)
    assert client.get(f"/teams/people/{org.a_cm1.pk}/progress/{YEAR}/").status_code == 200
    assert client.get(f"/teams/people/{org.a_cm2.pk}/progress/{YEAR}/").status_code == 404
    client.force_login(org.b_tl)
    assert client.get(f"/teams/{org.team_a.pk}/progress/{YEAR}/").status_code == 404
    client.force_login(org.bm1)
    assert client.get(f"/teams/{org.team_a.pk}/progress/{YEAR}/").status_code == 200


def test_progress_pages_show_the_personal_monthly_sales_target(client, org, approved_plan):
    """R-1.10: a personal monthly sales target in yuan, against net revenue."""
    cells = even_split(approved_plan, _members(org))
    cells[(org.a_cm1.pk, 3, "sales")] = Decimal("15000")
    cells[(org.a_cm2.pk, 3, "sales")] = Decimal("12000.50")
    services.save_target_split(actor=org.a_tl, plan=approved_plan, cells=cells)
    crm_month(org, dt.date(YEAR, 3, 1), [(org.clients["a_cm1"], "12000.00", "800000", True)])
    client.force_login(org.a_tl)
    page = client.get(f"/teams/people/{org.a_cm1.pk}/progress/{YEAR}/")
    march = page.context["data"]["months"][2]
    assert (march["sales"], march["sales_rate"]) == (Decimal("15000"), 80)
    html = page.content.decode()
    assert "月度销售目标（元）" in html
    assert "15,000.00" in html
    assert "80%" in html
    team = client.get(f"/teams/{org.team_a.pk}/progress/{YEAR}/")
    assert team.context["data"]["months"][2]["sales"] == Decimal("27000.50")
    assert "27,000.50" in team.content.decode()
    # Without a sales target the column is not shown.
    other = client.get(f"/teams/people/{org.a_rm.pk}/progress/{YEAR}/").content.decode()
    assert "月度销售目标（元）" not in other
