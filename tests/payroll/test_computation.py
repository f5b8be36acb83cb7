"""The computation reads the month in a fixed number of queries, versions
recomputes, lists who could not be computed, and payslips are scoped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payroll import services
from payroll.models import PayrollRun, Payslip
from staff import services as staff_services
from tests.payroll.conftest import import_month
from tests.staff.factories import person

pytestmark = pytest.mark.django_db

MAR = dt.date(2026, 3, 1)


def _managers(pay, n: int, offset: int) -> list[tuple]:
    rows = []
    for i in range(n):
        cm = person(group=pay.org.a2, outlet=pay.org.o1, employee_no=f"m{offset + i:04d}")
        staff_services.change_posting(
            actor=pay.org.bm1,
            user=cm,
            effective_on=dt.date(2024, 6, 1),
            reason="定级",
            level=pay.l3,
        )
        rows.append(
            (
                f"77{offset + i:06d}",
                f"客户{offset + i}",
                cm.employee_no,
                "2026-03-02",
                "12000.00",
                "300000.00",
            )
        )
    return rows


def _reads(pay, rows) -> int:
    import_month(pay, MAR, rows)
    with CaptureQueriesContext(connection) as ctx:
        services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))


def test_the_computation_reads_do_not_grow_with_the_number_of_managers(pay):
    first = _managers(pay, 3, 0)
    few = _reads(pay, first)
    many = _reads(pay, first + _managers(pay, 30, 100))
    assert (
        Payslip.objects.filter(run__status="current").count() == 33 + 3
    )  # and a_cm1, a_cm2, b_cm1
    assert many == few


def test_recompute_is_a_new_version_and_problems_are_listed(pay):
    import_month(pay, MAR, [(pay.client_a, "甲", "a_cm1", "", "1000", "1000")])
    first = services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)
    assert any("a_tl" in p and "薪酬标准中没有" in p for p in first.problems)  # not graded
    second = services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)
    first.refresh_from_db()
    assert (first.status, second.version) == (PayrollRun.Status.SUPERSEDED, 2)
    assert Payslip.objects.filter(run=first).exists()  # kept
    totals = second.totals
    assert Decimal(totals["net"]) == sum(s.net for s in second.payslips.all())


def test_only_finance_computes(pay):
    import_month(pay, MAR, [(pay.client_a, "甲", "a_cm1", "", "1000", "1000")])
    with pytest.raises(ValidationError, match="只有本营业部的财务人员"):
        services.compute_payroll(actor=pay.org.bm1, branch=pay.org.b1, month=MAR)


def test_an_unsigned_payslip_is_seen_by_the_branch_pay_viewers_only(client, pay):
    """The person sees his payslip once the sheet is signed (test_sheet.py)."""
    import_month(pay, MAR, [(pay.client_a, "甲", "a_cm1", "", "1000", "1000")])
    run = services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)
    slip = run.payslips.get(person=pay.org.a_cm1)
    expectations = {
        "a_cm1": 404,  # the month's sheet is not signed yet
        "a_cm2": 404,
        "a_tl": 404,
        "bm1": 200,
        "fin1": 200,
        "c_tl": 404,
        "office": 404,
    }
    for login, status in expectations.items():
        client.force_login(getattr(pay.org, login))
        assert client.get(f"/payroll/payslips/{slip.pk}/").status_code == status, login
    client.force_login(pay.org.a_cm1)
    assert list(client.get("/payroll/my/").context["page_obj"]) == []
    assert client.get(f"/payroll/runs/{run.pk}/").status_code == 404
    client.force_login(pay.fin1)
    page = client.get(f"/payroll/payslips/{slip.pk}/").content.decode()
    assert "累计应纳税所得额" in page
    assert client.get(f"/payroll/runs/{run.pk}/").status_code == 200
    drill = client.get(f"/payroll/payslips/{slip.pk}/crm/")
    assert [f.client.crm_code for f in drill.context["page_obj"]] == [pay.client_a]


def test_the_month_board_and_compute_page(client, pay):
    import_month(pay, MAR, [(pay.client_a, "甲", "a_cm1", "", "1000", "1000")])
    client.force_login(pay.fin1)
    response = client.post(
        "/payroll/compute/", {"branch": pay.org.b1.pk, "month": "2026-03"}, follow=True
    )
    assert "已计算" in response.content.decode()
    board = client.get("/payroll/").content.decode()
    assert "第 1 版" in board
