"""Filing visit logs and plans (R-7.1) with the overlap warning before
saving (R-7.2)."""

import pytest
from django.core.exceptions import ValidationError

from tests.visits.helpers import D, at, visit
from visits.models import OverlapWarning, Visit, VisitPlan
from visits.selectors import overlap_warnings
from visits.services import visits as services
from visits.services.settings import save_settings

pytestmark = pytest.mark.django_db


def test_a_visit_is_stamped_with_where_the_visitor_sits_and_its_month(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 12), companions=[vo.a_cm2], met_with="张总")
    assert (v.branch, v.team, v.group, v.outlet) == (vo.b1, vo.team_a, vo.a1, vo.o1)
    assert v.month == D(2026, 11, 1)
    assert list(v.companions.all()) == [vo.a_cm2]
    assert v.overlap_note == ""
    assert v.history.count() == 1


def test_a_visit_cannot_be_in_the_future_nor_to_another_branchs_client(vo):
    with at(2026, 11, 12), pytest.raises(ValidationError, match="不能晚于今天"):
        services.file_visit(
            actor=vo.a_cm1, client=vo.core1, visited_on=D(2026, 11, 13), mode="onsite", content="x"
        )
    with at(2026, 11, 12), pytest.raises(ValidationError, match="本营业部"):
        services.file_visit(
            actor=vo.a_cm1, client=vo.core_c, visited_on=D(2026, 11, 12), mode="onsite", content="x"
        )


#
def test_visiting_someone_elses_client_warns_before_saving_and_saves_once_confirmed(vo):
    with pytest.raises(services.OverlapNeedsConfirmation) as caught:
        visit(vo.a_cm1, vo.core2, D(2026, 11, 12), confirm=False)
    assert [w.kind for w in caught.value.warnings] == ["owned"]
    assert "甲经理二" in caught.value.warnings[0].message
    assert not Visit.objects.exists()  # nothing saved before the confirmation
    v = visit(vo.a_cm1, vo.core2, D(2026, 11, 12), confirm=True)
    assert "甲经理二" in v.overlap_note
    warning = OverlapWarning.objects.get()
    assert (warning.kind, warning.person, warning.other_person, warning.visit) == (
        "owned",
        vo.a_cm1,
        vo.a_cm2,
        v,
    )
    assert warning.team == vo.team_a
    assert warning.other_team == vo.team_a


#
def test_a_visit_by_another_manager_within_the_window_warns(vo):
    visit(vo.a_cm2, vo.core1, D(2026, 10, 20))  # not his client: confirmed
    # 23 days later: inside the default 30-day window.
    warnings = overlap_warnings(client=vo.core1, person=vo.a_cm1, on=D(2026, 11, 12))
    assert [w.kind for w in warnings] == ["visited"]
    assert "2026-10-20" in warnings[0].message
    # The owner's own earlier visits never warn him.
    visit(vo.a_cm1, vo.core1, D(2026, 11, 1))
    assert [
        w.kind for w in overlap_warnings(client=vo.core1, person=vo.a_cm1, on=D(2026, 11, 12))
    ] == ["visited"]
    # A branch with a 14-day window no longer warns.
    with at(2026, 11, 12):
        save_settings(actor=vo.bm1, branch=vo.b1, overlap_days=14, followup_days=7)
    assert overlap_warnings(client=vo.core1, person=vo.a_cm1, on=D(2026, 11, 12)) == []


#
def test_planning_a_visit_another_manager_already_planned_warns(vo):
    with at(2026, 11, 12):
        services.plan_visit(
            actor=vo.a_cm1, client=vo.core1, planned_on=D(2026, 11, 20), purpose="季度回访"
        )
        with pytest.raises(services.OverlapNeedsConfirmation) as caught:
            services.plan_visit(
                actor=vo.a_cm2, client=vo.core1, planned_on=D(2026, 11, 18), purpose="产品推介"
            )
    assert sorted(w.kind for w in caught.value.warnings) == ["owned", "planned"]
    assert VisitPlan.objects.count() == 1
    with at(2026, 11, 12):
        plan = services.plan_visit(
            actor=vo.a_cm2,
            client=vo.core1,
            planned_on=D(2026, 11, 18),
            purpose="产品推介",
            confirm_overlap=True,
        )
    assert OverlapWarning.objects.filter(plan=plan).count() == 2


def test_logging_a_visit_from_a_plan_marks_the_plan_done(vo):
    with at(2026, 11, 10):
        plan = services.plan_visit(
            actor=vo.a_cm1, client=vo.core1, planned_on=D(2026, 11, 12), purpose="季度回访"
        )
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 12), plan=plan, confirm=False)
    plan.refresh_from_db()
    assert (plan.status, plan.visit) == ("done", v)
    with at(2026, 11, 12), pytest.raises(ValidationError):
        services.cancel_plan(actor=vo.a_cm1, plan=plan, reason="不去了")


def test_a_plan_is_cancelled_with_a_reason(vo):
    with at(2026, 11, 10):
        plan = services.plan_visit(
            actor=vo.a_cm1, client=vo.imp1, planned_on=D(2026, 11, 12), purpose="回访"
        )
        with pytest.raises(ValidationError):
            services.cancel_plan(actor=vo.a_cm1, plan=plan, reason=" ")
        with pytest.raises(ValidationError):
            services.cancel_plan(actor=vo.a_cm2, plan=plan, reason="客户出差")
        services.cancel_plan(actor=vo.a_cm1, plan=plan, reason="客户出差")
    plan.refresh_from_db()
    assert (plan.status, plan.cancel_reason) == ("cancelled", "客户出差")


def test_the_visitor_amends_his_log_and_a_new_date_is_checked_for_overlap(vo):
    visit(vo.a_cm2, vo.core1, D(2026, 9, 1))
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 12))
    with at(2026, 11, 13):
        with pytest.raises(ValidationError):
            services.update_visit(actor=vo.a_cm2, visit=v, content="别人改")
        services.update_visit(actor=vo.a_cm1, visit=v, content="补充：客户有意开通两融。")
        with pytest.raises(services.OverlapNeedsConfirmation):
            services.update_visit(actor=vo.a_cm1, visit=v, visited_on=D(2026, 9, 10))
        v = services.update_visit(
            actor=vo.a_cm1, visit=v, visited_on=D(2026, 9, 10), confirm_overlap=True
        )
    assert v.month == D(2026, 9, 1)
    assert v.history.count() == 3


def test_photos_are_checked_by_content(vo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.uploads import attachments_of

    png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
    fake = SimpleUploadedFile("假图.jpg", b"MZ not an image", "image/jpeg")
    with pytest.raises(ValidationError, match="不是允许的类型"):
        visit(vo.a_cm1, vo.core1, D(2026, 11, 12), photos=[fake])
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 12), photos=[png])
    assert [a.kind for a in attachments_of(v, "photo")] == ["png"]


def test_companions_must_be_of_the_branch(vo):
    with pytest.raises(ValidationError, match="不是本营业部"):
        visit(vo.a_cm1, vo.core1, D(2026, 11, 12), companions=[vo.c_cm])
