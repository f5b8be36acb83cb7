"""Pay standards approved before they apply (R-1.1); duty assessment by
the team leader sets the commission coefficient (R-5.3)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from approvals import services as approvals
from approvals.walk import approve_all
from payroll import compute, services
from payroll.models import DutyItem, PayStandard, ScoreBand

pytestmark = pytest.mark.django_db


def test_a_new_standard_applies_from_its_month_only_once_approved(pay):
    later = services.create_standard(
        actor=pay.fin1, branch=pay.org.b1, effective_month=dt.date(2026, 7, 1), title="下半年标准"
    )
    assert later.lines.count() == 2  # copied from the one in force
    services.set_standard_line(
        actor=pay.fin1,
        standard=later,
        level=pay.l3,
        employment_type="full_time",
        base_pay=Decimal("3500"),
    )
    assert compute.applicable_standard(pay.org.b1.pk, dt.date(2026, 8, 1)) == pay.standard
    request = services.submit_standard(actor=pay.fin1, standard=later)
    assert request.tasks.get().user == pay.org.bm1  # 营业部经理 first
    approve_all(request)
    later.refresh_from_db()
    assert later.status == PayStandard.Status.APPROVED
    assert request.actions.filter(
        kind="approve", department__code="channel"
    ).exists()  # 渠道管理部 files it
    assert compute.applicable_standard(pay.org.b1.pk, dt.date(2026, 6, 1)) == pay.standard
    assert compute.applicable_standard(pay.org.b1.pk, dt.date(2026, 8, 1)) == later
    with pytest.raises(ValidationError, match="已批准，不能修改"):
        services.set_standard_line(
            actor=pay.fin1,
            standard=later,
            level=pay.l3,
            employment_type="full_time",
            base_pay=Decimal("1"),
        )


def test_standard_validation(pay):
    draft = services.create_standard(
        actor=pay.fin1, branch=pay.org.b1, effective_month=dt.date(2026, 7, 1), title="草稿"
    )
    with pytest.raises(ValidationError, match="证券经纪人"):
        services.set_standard_line(
            actor=pay.fin1,
            standard=draft,
            level=pay.l3,
            employment_type="part_time",
            base_pay=Decimal("100"),
        )
    with pytest.raises(ValidationError, match="逐档递增"):
        services.set_standard_line(
            actor=pay.fin1,
            standard=draft,
            level=pay.l3,
            employment_type="full_time",
            commission_brackets=[["5000", "0.05"], ["1000", "0.08"], [None, "0.1"]],
        )
    with pytest.raises(ValidationError, match="最后一档须不设上限"):
        services.set_standard_line(
            actor=pay.fin1,
            standard=draft,
            level=pay.l3,
            employment_type="full_time",
            commission_brackets=[["5000", "0.05"]],
        )
    with pytest.raises(ValidationError, match="只有本营业部的财务人员"):
        services.create_standard(
            actor=pay.org.a_tl, branch=pay.org.b1, effective_month=dt.date(2026, 7, 1), title="x"
        )
    req = services.submit_standard(actor=pay.fin1, standard=draft)
    approvals.reject_task(actor=pay.org.bm1, task=req.tasks.get(), opinion="提成比例偏高")
    draft.refresh_from_db()
    assert draft.status == PayStandard.Status.REJECTED


def _points(**overrides):
    items = {i.code: i for i in DutyItem.objects.all()}
    values = {code: item.max_points for code, item in items.items()}
    values.update(overrides)
    return {items[code].pk: Decimal(v) for code, v in values.items()}


def test_the_team_leader_scores_and_the_score_sets_the_coefficient(pay):
    month = dt.date(2026, 3, 1)
    a = services.assess_duty(
        actor=pay.org.a_tl, person=pay.org.a_cm1, month=month, points=_points(service="10")
    )
    assert a.total == Decimal("85.0")
    bands = list(ScoreBand.objects.order_by("-min_score"))
    assert compute.coefficient_for(Decimal("90"), bands, Decimal("1")) == Decimal("1.0000")
    assert compute.coefficient_for(Decimal("89.5"), bands, Decimal("1")) == Decimal("0.9000")
    assert compute.coefficient_for(Decimal("59"), bands, Decimal("1")) == Decimal("0.0000")
    assert compute.coefficient_for(None, bands, Decimal("1")) == Decimal("1")
    again = services.assess_duty(
        actor=pay.org.a_tl, person=pay.org.a_cm1, month=month, points=_points()
    )
    assert again.pk == a.pk
    assert again.total == Decimal("100.0")
    assert again.history.count() == 2
    with pytest.raises(ValidationError, match="只有该成员所在团队的负责人可以考核"):
        services.assess_duty(
            actor=pay.org.b_tl, person=pay.org.a_cm1, month=month, points=_points()
        )
    with pytest.raises(ValidationError, match="得分应在 0 到 20"):
        services.assess_duty(
            actor=pay.org.a_tl, person=pay.org.a_cm1, month=month, points=_points(worklog="25")
        )


def test_the_duty_page(client, pay):
    client.force_login(pay.org.a_tl)
    page = client.get("/payroll/duty/?month=2026-03")
    assert page.status_code == 200
    items = list(DutyItem.objects.order_by("order"))
    data = {"team": pay.org.team_a.pk, "month": "2026-03"}
    for item in items:
        data[f"s-{pay.org.a_cm1.pk}-{item.pk}"] = str(item.max_points)
    response = client.post("/payroll/duty/", data)
    assert "已保存 1 人的考核" in response.content.decode()
    client.force_login(pay.org.a_cm1)
    assert client.get("/payroll/duty/").status_code == 403
