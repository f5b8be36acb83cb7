"""Month-end submission of the visit logs and their verification by the
responsible person through the approval engine; verified logs are
read-only (R-7.1)."""

import pytest
from django.core.exceptions import ValidationError

from approvals.selectors import request_for
from approvals.services import withdraw_request
from tests.visits.helpers import D, approve, at, open_task, reject, visit
from visits.models import MonthlySubmission
from visits.permissions import can_edit_visit
from visits.services import submissions as services
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db


def submit(person, month, when):
    with at(when.year, when.month, when.day, 17):
        return services.submit_month(actor=person, month=month)


def test_the_month_goes_to_the_team_leader_and_verified_logs_are_read_only(vo):
    first = visit(vo.a_cm1, vo.core1, D(2026, 11, 3))
    second = visit(vo.a_cm1, vo.imp1, D(2026, 11, 12), mode="phone")
    visit(vo.a_cm1, vo.gen1, D(2026, 10, 30))  # another month
    with pytest.raises(ValidationError, match="25 日起"):
        submit(vo.a_cm1, D(2026, 11, 1), D(2026, 11, 24))
    sub = submit(vo.a_cm1, D(2026, 11, 1), D(2026, 11, 25))
    assert (sub.status, sub.visit_count) == ("pending", 2)
    assert set(sub.visits.all()) == {first, second}
    req = request_for(sub)
    assert open_task(sub).user == vo.a_tl
    assert ["走访次数", "2 次（上门 1 次，电话 1 次，线上 0 次）"] in req.summary
    # Pending: read-only, and no new visit of that month.
    first.refresh_from_db()
    assert not can_edit_visit(vo.a_cm1, first)
    with at(2026, 11, 26), pytest.raises(ValidationError, match="不能修改"):
        visit_services.update_visit(actor=vo.a_cm1, visit=first, content="改")
    with pytest.raises(ValidationError, match="待核验"):
        visit(vo.a_cm1, vo.gen1, D(2026, 11, 20), when=D(2026, 11, 26))
    # The leader verifies it with an opinion.
    with at(2026, 11, 27):
        approve(sub, opinion="走访记录完整，核心客户需加大频次。")
    sub.refresh_from_db()
    assert (sub.status, sub.verified_by, sub.opinion) == (
        "verified",
        vo.a_tl,
        "走访记录完整，核心客户需加大频次。",
    )
    with at(2026, 12, 1):
        with pytest.raises(ValidationError):
            visit_services.update_visit(actor=vo.a_cm1, visit=first, content="改")
        with pytest.raises(ValidationError):
            visit_services.add_photos(actor=vo.a_cm1, visit=first, photos=[])
    with pytest.raises(ValidationError, match="已核验"):
        visit(vo.a_cm1, vo.gen1, D(2026, 11, 28), when=D(2026, 12, 1))
    with pytest.raises(ValidationError, match="已核验"):
        submit(vo.a_cm1, D(2026, 11, 1), D(2026, 12, 1))
    # Other months stay open.
    visit(vo.a_cm1, vo.gen1, D(2026, 12, 1))


def test_a_rejected_month_is_amended_and_resubmitted_with_what_was_added(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 10, 8))
    sub = submit(vo.a_cm1, D(2026, 10, 1), D(2026, 11, 2))
    with at(2026, 11, 3):
        reject(sub, opinion="请补充客户意见和下一步安排")
    sub.refresh_from_db()
    assert (sub.status, sub.opinion) == ("rejected", "请补充客户意见和下一步安排")
    v.refresh_from_db()
    assert can_edit_visit(vo.a_cm1, v)
    with at(2026, 11, 4):
        visit_services.update_visit(
            actor=vo.a_cm1, visit=v, opinions="希望增加研报推送", next_step="下月上门"
        )
    late = visit(vo.a_cm1, vo.imp1, D(2026, 10, 20), when=D(2026, 11, 4))
    sub = submit(vo.a_cm1, D(2026, 10, 1), D(2026, 11, 5))
    assert (sub.status, sub.visit_count) == ("pending", 2)
    assert late.pk in set(sub.visits.values_list("pk", flat=True))
    assert request_for(sub).round == 2
    with at(2026, 11, 6):
        approve(sub)
    sub.refresh_from_db()
    assert sub.status == "verified"


def test_a_withdrawn_month_opens_again(vo):
    visit(vo.a_cm1, vo.core1, D(2026, 10, 8))
    sub = submit(vo.a_cm1, D(2026, 10, 1), D(2026, 11, 2))
    with at(2026, 11, 2, 18):
        withdraw_request(actor=vo.a_cm1, request=request_for(sub))
    sub.refresh_from_db()
    assert sub.status == "withdrawn"
    visit(vo.a_cm1, vo.imp1, D(2026, 10, 9), when=D(2026, 11, 3))


def test_a_month_without_logs_is_not_submitted_and_nobody_submits_for_another(vo):
    with pytest.raises(ValidationError, match="没有走访日志"):
        submit(vo.a_cm1, D(2026, 10, 1), D(2026, 11, 2))
    visit(vo.a_cm2, vo.core2, D(2026, 10, 8))
    with pytest.raises(ValidationError, match="没有走访日志"):
        submit(vo.a_cm1, D(2026, 10, 1), D(2026, 11, 2))
    assert not MonthlySubmission.objects.exists()


def test_the_team_leaders_own_month_goes_one_level_up(vo):
    visit(vo.a_tl, vo.core1, D(2026, 10, 8))
    sub = submit(vo.a_tl, D(2026, 10, 1), D(2026, 11, 2))
    assert open_task(sub).user == vo.bm1
