"""Pay and tax against hand-computed worked examples (R-5.1–R-5.3).

Every expected figure below was worked out by hand from the rules, not by
the code; the derivation is in the comment beside it. Standard used (level
L3): base 3,000 (full-timers only); 200 per valid new account (month-end
assets ≥ 10,000); commission on net revenue 5 % to 50,000, 8 % to 100,000,
10 % above; 0.1 ‰ of month-end client assets; 50 per lateness; absence
deducts base ÷ 21.75 a day. Contributions 8 % + 2 % + 0.5 % + 7 % of the
wage clamped to 4,492 … 26,421. Minimum wage 2,360.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from attendance.models import AttendanceRecord
from attendance.services.roll import RollEntry, save_roll
from payroll import services
from payroll.models import Payslip
from tests.payroll.conftest import import_month

pytestmark = pytest.mark.django_db

D = Decimal
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def lines(slip: Payslip) -> dict[str, Decimal]:
    return {line.code: line.amount for line in slip.lines.all()}


def slip_of(run, who) -> Payslip:
    return run.payslips.get(person=who)


def _january(pay):
    o = pay.org
    import_month(
        pay,
        JAN,
        [
            (pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", "60000.00", "1950000.00"),
            ("00900001", "新客户甲", "a_cm1", "2026-01-10", "0.00", "50000.00"),
        ],
    )
    services.assess_duty(actor=o.a_tl, person=o.a_cm1, month=JAN, points=_points(92))
    return services.compute_payroll(actor=pay.fin1, branch=o.b1, month=JAN)


def _points(total: int) -> dict:
    """Spreads a total over the default checklist (20/20/25/20/15)."""
    from payroll.models import DutyItem

    items = list(DutyItem.objects.order_by("order"))
    left, out = D(total), {}
    for item in items:
        give = min(item.max_points, left)
        out[item.pk] = give
        left -= give
    return out


def test_january_a_plain_full_time_month(pay):
    run = _january(pay)
    slip = slip_of(run, pay.org.a_cm1)
    assert lines(slip) == {
        "base": D("3000.00"),
        "accounts": D("200.00"),  # 1 new account, 50,000 ≥ 10,000 → valid
        "commission": D("3300.00"),  # 50,000 × 5 % + 10,000 × 8 % = 2,500 + 800; score 92 → × 1.0
        "assets": D("200.00"),  # 2,000,000 × 0.1 ‰
        "pension": D("536.00"),  # wage 6,700 within the base range: × 8 %
        "medical": D("134.00"),  # × 2 %
        "unemployment": D("33.50"),  # × 0.5 %
        "housing": D("469.00"),  # × 7 %
        "iit": D("15.83"),  # (6,700 − 5,000 − 1,172.50) = 527.50 × 3 % = 15.825 → 15.83
    }
    assert (slip.gross, slip.deductions, slip.contributions, slip.tax) == (
        D("6700.00"),
        D("0"),
        D("1172.50"),
        D("15.83"),
    )
    assert slip.net == D("5511.67")  # 6,700 − 1,172.50 − 15.83


def test_february_lateness_absence_assessment_and_special_deduction(pay):
    o = pay.org
    _january(pay)
    import_month(
        pay,
        FEB,
        [(pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", "120000.00", "2000000.00")],
    )
    services.assess_duty(actor=o.a_tl, person=o.a_cm1, month=FEB, points=_points(85))
    services.set_special_deduction(
        actor=pay.fin1, person=o.a_cm1, month=FEB, kind="children", amount=D("2000")
    )
    with time_machine.travel(dt.datetime(2026, 2, 6, 10, 0, tzinfo=dt.UTC)):
        save_roll(
            actor=o.a_tl,
            team=o.team_a,
            day=dt.date(2026, 2, 2),
            entries={o.a_cm1.pk: RollEntry(status="absent")},
        )
        for day in (dt.date(2026, 2, 3), dt.date(2026, 2, 4)):
            save_roll(
                actor=o.a_tl,
                team=o.team_a,
                day=day,
                entries={o.a_cm1.pk: RollEntry(arrived_at=dt.time(9, 20))},
            )
    assert AttendanceRecord.objects.filter(person=o.a_cm1, late_minutes__gt=0).count() == 2
    run = services.compute_payroll(actor=pay.fin1, branch=o.b1, month=FEB)
    slip = slip_of(run, o.a_cm1)
    assert lines(slip) == {
        "base": D("3000.00"),
        "commission": D("7650.00"),  # 2,500 + 4,000 + 20,000 × 10 % = 8,500; score 85 → × 0.9
        "assets": D("200.00"),
        "late": D("100.00"),  # 2 × 50
        "absence": D("137.93"),  # 3,000 ÷ 21.75 × 1 = 137.931…
        "pension": D("848.97"),  # wage 10,850 − 237.93 = 10,612.07 × 8 % = 848.9656
        "medical": D("212.24"),  # × 2 % = 212.2414
        "unemployment": D("53.06"),  # × 0.5 % = 53.06035
        "housing": D("742.84"),  # × 7 % = 742.8449
        # cumulative: income 6,700 + 10,612.07 = 17,312.07; − 10,000 (2 months) − special
        # 1,172.50 + 1,857.11 = 3,029.61 − additional 2,000 = 2,282.46 × 3 % = 68.4738 → 68.47;
        # already withheld 15.83 → 52.64
        "iit": D("52.64"),
    }
    assert slip.net == D("8702.32")  # 10,850 − 237.93 − 1,857.11 − 52.64


def test_a_mid_year_joiner_and_a_december_that_changes_bracket(pay):
    """b_cm1 joins on Monday 16 November 2026 (11 of November's 21 working days)."""
    o = pay.org
    type(o.b_cm1).objects.filter(pk=o.b_cm1.pk).update(hired_on=dt.date(2026, 11, 16))
    import_month(
        pay, NOV, [(pay.client_c, "乙经理一的客户", "b_cm1", "2026-11-20", "20000.00", "500000.00")]
    )
    run = services.compute_payroll(actor=pay.fin1, branch=o.b1, month=NOV)
    nov = lines(slip_of(run, o.b_cm1))
    assert nov["base"] == D("1571.43")  # 3,000 × 11 ÷ 21 = 1,571.428…
    assert nov["commission"] == D("1000.00")  # 20,000 × 5 %; not assessed → × 1.0
    assert nov["accounts"] == D("200.00")  # his client opened on 20 November with 500,000
    assert nov["assets"] == D("50.00")
    # wage 2,821.43 is below the base floor: contributions on 4,492
    assert (nov["pension"], nov["medical"], nov["unemployment"], nov["housing"]) == (
        D("359.36"),
        D("89.84"),
        D("22.46"),
        D("314.44"),
    )
    assert nov["iit"] == D("0.00")  # 2,821.43 − 5,000 (one month) − 786.10 < 0
    import_month(
        pay,
        DEC,
        [(pay.client_c, "乙经理一的客户", "b_cm1", "2026-11-20", "500000.00", "3000000.00")],
    )
    services.assess_duty(actor=o.b_tl, person=o.b_cm1, month=DEC, points=_points(95))
    run = services.compute_payroll(actor=pay.fin1, branch=o.b1, month=DEC)
    dec = lines(slip_of(run, o.b_cm1))
    assert dec["commission"] == D("46500.00")  # 2,500 + 4,000 + 400,000 × 10 %
    assert dec["assets"] == D("300.00")
    # wage 49,800 above the ceiling: contributions on 26,421
    assert (dec["pension"], dec["medical"], dec["unemployment"], dec["housing"]) == (
        D("2113.68"),
        D("528.42"),
        D("132.11"),
        D("1849.47"),
    )  # 132.105 → 132.11
    # cumulative: 2,821.43 + 49,800 = 52,621.43 − 10,000 (two months employed) − (786.10 + 4,623.68)
    # = 37,211.65 > 36,000 → 10 % − 2,520 = 1,201.165 → 1,201.17; withheld before 0
    assert dec["iit"] == D("1201.17")
    assert slip_of(run, o.b_cm1).net == D("43975.15")  # 49,800 − 4,623.68 − 1,201.17


def test_a_part_time_securities_broker(pay):
    """a_cm2 is a 证券经纪人: no base pay, no contributions; income amount =
    commission × 80 %, less 25 % 展业成本, by the cumulative method."""
    o = pay.org
    import_month(
        pay,
        MAR,
        [
            (pay.client_b, "甲经理二的客户", "a_cm2", "2024-02-01", "300000.00", "1000000.00"),
            (
                "00900002",
                "新客户乙",
                "a_cm2",
                "2026-03-03",
                "0.00",
                "8000.00",
            ),  # below 10,000: not valid
        ],
    )
    run = services.compute_payroll(actor=pay.fin1, branch=o.b1, month=MAR)
    slip = slip_of(run, o.a_cm2)
    assert lines(slip) == {
        "accounts": D("0.00"),  # 1 new account, not valid
        "commission": D("26500.00"),  # 2,500 + 4,000 + 200,000 × 10 %
        "assets": D("100.80"),  # (1,000,000 + 8,000) × 0.1 ‰
        # 26,600.80 × 80 % = 21,280.64; less 25 % = 5,320.16 → 15,960.48;
        # − 15,000 (Jan–Mar employed) = 960.48 × 3 % = 28.8144 → 28.81
        "iit": D("28.81"),
    }
    assert slip.contributions == D("0")
    assert slip.net == D("26571.99")  # 26,600.80 − 28.81


def test_labour_payment_and_separately_taxed_annual_bonus(pay):
    o = pay.org
    import_month(
        pay,
        MAR,
        [(pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", "30000.00", "1000000.00")],
    )
    services.add_other_payment(
        actor=pay.fin1,
        person=o.a_cm1,
        month=MAR,
        kind="labour",
        amount=D("5000"),
        description="为新员工授课",
    )
    services.add_other_payment(
        actor=pay.fin1,
        person=o.a_cm1,
        month=MAR,
        kind="annual_bonus",
        amount=D("24000"),
        description="2025 年度奖金",
        separate_tax=True,
    )
    run = services.compute_payroll(actor=pay.fin1, branch=o.b1, month=MAR)
    slip = slip_of(run, o.a_cm1)
    by_label = {line.label: line.amount for line in slip.lines.all()}
    assert by_label["劳务报酬个税"] == D("800.00")  # (5,000 × 80 %) × 20 %
    assert by_label["全年一次性奖金个税"] == D("720.00")  # 24,000 ÷ 12 = 2,000 → 3 %
    # wage 3,000 + 1,500 + 100 = 4,600: contributions on 4,600 = 368 + 92 + 23 + 322
    assert slip.contributions == D("805.00")
    # cumulative 4,600 − 15,000 (Jan–Mar) − 805 < 0: no tax on wages
    assert lines(slip)["iit"] == D("0.00")
    assert slip.gross == D("33600.00")  # 4,600 + 5,000 + 24,000
    assert slip.net == D("31275.00")  # 33,600 − 805 − 1,520


def test_every_line_explains_itself(pay):
    slip = slip_of(_january(pay), pay.org.a_cm1)
    commission = slip.lines.get(code="commission")
    assert "超额累进" in commission.formula
    assert "50,000.00 × 5.00% = 2,500.00" in commission.formula
    assert "岗位职责考核 92" in commission.formula
    iit = slip.lines.get(code="iit")
    assert "累计减除费用 5,000.00（5,000 × 1 个月）" in iit.formula
    assert iit.inputs["taxable"] == "527.50"


def test_absences_and_an_asset_charge_hitting_the_20_percent_cap_then_carried_over(pay):
    """a_cm1 lost a laptop: 3,000 charged (approved by the team leader in
    November 2026). Absent two days in November."""
    from approvals import services as approvals
    from assets import services as asset_services
    from tests.assets.conftest import with_keeper
    from tests.assets.test_incidents import _decide, _lost_laptop, _open_task

    o = with_keeper(pay.org)
    incident = _decide(o, _lost_laptop(o))
    request = asset_services.submit_incident(actor=o.keeper, incident=incident)
    approvals.approve_task(actor=o.a_tl, task=_open_task(request))
    save_roll(
        actor=o.a_tl,
        team=o.team_a,
        day=dt.date(2026, 11, 2),
        entries={o.a_cm1.pk: RollEntry(status="absent")},
    )
    save_roll(
        actor=o.a_tl,
        team=o.team_a,
        day=dt.date(2026, 11, 3),
        entries={o.a_cm1.pk: RollEntry(status="absent")},
    )
    import_month(
        pay,
        NOV,
        [(pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", "30000.00", "1000000.00")],
    )
    nov = slip_of(services.compute_payroll(actor=pay.fin1, branch=o.b1, month=NOV), o.a_cm1)
    got = lines(nov)
    assert got["absence"] == D("275.86")  # 3,000 ÷ 21.75 × 2 = 275.862…
    # wage 4,600 − 275.86 = 4,324.14; contributions on the floor 4,492 = 786.10; no tax
    assert nov.contributions == D("786.10")
    assert got["iit"] == D("0.00")
    # owed 3,000; 20 % of 4,324.14 = 864.83; take-home 3,538.04 − minimum wage 2,360 = 1,178.04 → 864.83
    assert got["asset_charge"] == D("864.83")
    assert nov.net == D("2673.21")  # 4,600 − 275.86 − 864.83 − 786.10
    assert list(nov.charges.values_list("deducted", flat=True)) == [D("864.83")]
    import_month(
        pay,
        DEC,
        [(pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", "30000.00", "1000000.00")],
    )
    dec = slip_of(services.compute_payroll(actor=pay.fin1, branch=o.b1, month=DEC), o.a_cm1)
    # still owed 2,135.17; cap 20 % of 4,600 = 920.00 (take-home room 4,600 − 805 − 2,360 = 1,435)
    assert lines(dec)["asset_charge"] == D("920.00")
    assert dec.net == D("2875.00")  # 4,600 − 805 − 920
