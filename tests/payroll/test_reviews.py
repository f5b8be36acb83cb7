"""R-5.4: quarterly level changes and the annual evaluation, proposed by
rule, confirmed or overridden by the branch manager, effective next period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payroll import selectors, services
from payroll.models import EvaluationBand, LevelRule, ReviewItem
from payroll.services.reviews import grade_for, propose_quarter
from staff.models import Level, Posting
from teams import services as team_services
from tests.payroll.conftest import import_month
from tests.teams.conftest import even_split, plan_for

pytestmark = pytest.mark.django_db

D = Decimal
UP, SAME, DOWN = ReviewItem.Proposal.UP, ReviewItem.Proposal.SAME, ReviewItem.Proposal.DOWN


@pytest.fixture
def l3_rule(db):
    return LevelRule.objects.get(
        level__code="L3"
    )  # up 120,000 / 12 accounts / 85; down 40,000 / 60


@pytest.mark.parametrize(
    ("revenue", "accounts", "duty", "expected"),
    [
        ("120000", 12, "85", UP),  # every up threshold met exactly
        ("119999.99", 12, "85", SAME),
        ("120000", 11, "85", SAME),
        ("120000", 12, "84.9", SAME),
        ("40000", 0, "60", SAME),  # at the down thresholds: not below
        ("39999.99", 20, "95", DOWN),
        ("80000", 3, "59.9", DOWN),
        ("80000", 3, None, SAME),  # not assessed: the duty threshold does not apply downwards
    ],
)
def test_quarterly_proposal_at_its_thresholds(l3_rule, revenue, accounts, duty, expected):
    assert propose_quarter(l3_rule, D(revenue), accounts, D(duty) if duty else None) == expected


@pytest.mark.parametrize(
    ("duty", "completion", "grade"),
    [
        ("90", "1.0", "excellent"),
        ("89.9", "1.5", "competent"),
        ("95", "0.99", "competent"),
        ("75", "0.8", "competent"),
        ("74.9", "0.8", "basic"),
        ("60", "0.6", "basic"),
        ("60", "0.59", "incompetent"),
        (None, None, "incompetent"),
    ],
)
def test_annual_grades_at_their_edges(db, duty, completion, grade):
    bands = list(EvaluationBand.objects.order_by("order"))
    band = grade_for(bands, D(duty) if duty else None, D(completion) if completion else None)
    assert band.grade == grade


def _quarter(pay, revenue_a: str, revenue_b: str):
    for month in (dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)):
        import_month(
            pay,
            month,
            [
                (pay.client_a, "甲", "a_cm1", "2024-02-01", revenue_a, "100000"),
                (pay.client_b, "乙", "a_cm2", "2024-02-01", revenue_b, "100000"),
                *[
                    (
                        f"66{month.month:02d}{i:04d}",
                        f"新{i}",
                        "a_cm1",
                        month.replace(day=2).isoformat(),
                        "0",
                        "20000",
                    )
                    for i in range(4)
                ],
            ],
        )
        for who in (pay.org.a_cm1, pay.org.a_cm2):
            services.assess_duty(actor=pay.org.a_tl, person=who, month=month, points=_full())


def _full():
    from payroll.models import DutyItem

    return {item.pk: item.max_points for item in DutyItem.objects.all()}


def test_a_quarter_proposed_confirmed_and_effective_next_quarter(pay):
    _quarter(
        pay, "45000.00", "10000.00"
    )  # a_cm1: 135,000 + 12 accounts + 100 → up; a_cm2: 30,000 → down
    review = services.open_review(actor=pay.fin1, branch=pay.org.b1, year=2026, quarter=2)
    items = {
        i.person.employee_no: i for i in review.items.select_related("person", "proposed_level")
    }
    assert (items["a_cm1"].proposal, items["a_cm1"].proposed_level.code) == (UP, "L4")
    assert items["a_cm1"].net_revenue == D("135000.00")
    assert items["a_cm1"].new_accounts == 12
    assert (items["a_cm2"].proposal, items["a_cm2"].proposed_level.code) == (DOWN, "L2")
    with pytest.raises(ValidationError, match="级别考核结果由营业部经理确认"):
        services.decide_item(
            actor=pay.fin1, item=items["a_cm2"], level=Level.objects.get(code="L3")
        )
    with pytest.raises(ValidationError) as exc:
        services.decide_item(
            actor=pay.org.bm1, item=items["a_cm2"], level=Level.objects.get(code="L3")
        )
    assert exc.value.message_dict["reason"] == ["与系统建议不同时须写明理由。"]
    services.decide_item(
        actor=pay.org.bm1,
        item=items["a_cm2"],
        level=Level.objects.get(code="L3"),
        reason="二季度长期病假，本季不降级",
    )
    changed = services.confirm_review(actor=pay.org.bm1, review=review)
    assert changed == 2  # a_cm1 up; b_cm1 (no business this quarter) down; a_cm2 kept
    posting = Posting.objects.get(user=pay.org.a_cm1, valid_to__isnull=True)
    assert (posting.level.code, posting.valid_from) == ("L4", dt.date(2026, 7, 1))
    assert "第 2 季度级别考核" in posting.reason
    assert Posting.objects.get(user=pay.org.a_cm2, valid_to__isnull=True).level.code == "L3"
    with pytest.raises(ValidationError, match="已确认生效"):
        services.confirm_review(actor=pay.org.bm1, review=review)


def test_the_annual_evaluation_grades_against_the_split_target(pay):
    plan = plan_for(pay.org)
    from teams import selectors as teams

    team_services.save_target_split(
        actor=pay.org.a_tl,
        plan=plan,
        cells=even_split(plan, list(teams.split_members(pay.org.team_a))),
    )
    # a_cm1's year target: 150,000 (600,000 over four members); he makes 160,000 with full scores
    import_month(
        pay, dt.date(2026, 3, 1), [(pay.client_a, "甲", "a_cm1", "2024-02-01", "160000.00", "100")]
    )
    services.assess_duty(
        actor=pay.org.a_tl, person=pay.org.a_cm1, month=dt.date(2026, 3, 1), points=_full()
    )
    review = services.open_review(actor=pay.org.bm1, branch=pay.org.b1, year=2026, quarter=0)
    item = review.items.get(person=pay.org.a_cm1)
    assert item.target == D("150000.00")
    assert (item.grade, item.proposal, item.proposed_level.code) == ("excellent", UP, "L4")
    assert review.effective_on == dt.date(2027, 1, 1)
    services.confirm_review(actor=pay.org.bm1, review=review)
    evaluations = selectors.evaluations_of(pay.org.a_cm1)
    assert [(e.year, e.get_grade_display()) for e in evaluations] == [(2026, "优秀")]


def test_reviews_are_opened_once_by_branch_finance_or_management(pay):
    services.open_review(actor=pay.fin1, branch=pay.org.b1, year=2026, quarter=1)
    with pytest.raises(ValidationError, match="已经发起"):
        services.open_review(actor=pay.org.bm1, branch=pay.org.b1, year=2026, quarter=1)
    with pytest.raises(ValidationError):
        services.open_review(actor=pay.org.a_tl, branch=pay.org.b1, year=2026, quarter=2)
