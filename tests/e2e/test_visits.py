"""Client visits in real browsers: a client manager files a visit log with a
follow-up on a 375 px phone, carries the follow-up through to closing (the
client told), submits last month's logs, and his team leader verifies them,
after which they are read-only (R-7.1, R-7.3, R-8.5)."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from visits.models import FollowUp, MonthlySubmission, Visit


def _move(phone, status: str, fill=None) -> None:
    form = phone.page.locator(f"[data-testid=move-{status}]")
    if not form.is_visible():
        form.locator("xpath=..").locator("summary").click()
    if fill:
        fill(form)
    form.get_by_role("button").click()
    expect(phone.page.locator(".alert-success")).to_be_visible()


def test_a_visit_with_a_follow_up_on_a_phone_then_the_month_is_verified(phone, desktop):
    page = phone.page
    page.on("dialog", lambda dialog: dialog.accept())
    phone.login("demo_cm")
    phone.go("/visits/new/")
    form = page.locator("[data-testid=visit-form]")
    expect(form).to_be_visible()
    form.locator("select[name=client]").select_option(index=1)
    form.get_by_label("上门").check()
    form.get_by_label("接待人").fill("财务部李总")
    form.get_by_label("走访内容").fill("上门介绍现金管理产品，了解客户年末资金安排。")
    form.get_by_label("客户意见和建议").fill("希望佣金再优惠一些。")
    form.get_by_label("有当场未能解决的问题，转为督办事项").check()
    form.locator("select[name=fu_category]").select_option("fees")
    form.locator("[name=fu_description]").fill("客户申请佣金优惠，需营业部审批。")
    form.locator("select[name=fu_department]").select_option("operations")
    assert phone.no_sideways_scroll()
    phone.shot("visits-form-phone")
    page.locator("[data-testid=save-visit]").click()
    confirm = page.locator("[data-testid=confirm-visit]")
    page.wait_for_load_state()
    if confirm.count():  # someone else visited this client lately: confirm
        phone.shot("visits-overlap-phone")
        confirm.click()
    expect(page.locator(".alert-success")).to_be_visible()
    visit = Visit.objects.filter(visitor__employee_no="demo_cm").latest("created_at")
    assert visit.visited_on == timezone.localdate()
    assert page.url.endswith(f"/visits/{visit.pk}/")
    assert phone.no_sideways_scroll()
    phone.shot("visits-detail-phone")

    # The follow-up, forwarded to the counter, through to closing.
    followup = FollowUp.objects.get(visit=visit)
    assert followup.status == "forwarded"
    phone.go(f"/visits/followups/{followup.pk}/")
    assert phone.no_sideways_scroll()
    phone.shot("visits-followup-phone")
    _move(phone, "handling")
    _move(
        phone,
        "resolved",
        lambda f: f.locator("[name=resolved-resolution]").fill("营业部同意万分之二的佣金优惠。"),
    )
    page.locator("[data-testid=move-closed]").wait_for(state="detached")
    _move(
        phone,
        "informed",
        lambda f: f.locator("select[name=informed-informed_how]").select_option("phone"),
    )
    _move(phone, "closed")
    expect(page.locator("[data-testid=followup-status]")).to_contain_text("已办结")
    expect(page.locator("[data-testid=followup-informed]")).to_contain_text("电话")
    phone.shot("visits-followup-closed-phone")
    followup.refresh_from_db()
    assert followup.status == "closed"
    assert followup.informed_how == "phone"
    assert list(followup.steps.values_list("to_status", flat=True)) == [
        "open",
        "forwarded",
        "handling",
        "resolved",
        "informed",
        "closed",
    ]

    # Last month's logs go to the team leader.
    last = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    phone.go("/visits/months/")
    page.locator(f"[data-testid=submit-month-{last:%Y-%m}]").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交核验")
    assert phone.no_sideways_scroll()
    phone.shot("visits-month-submitted-phone")
    submission = MonthlySubmission.objects.get(visitor__employee_no="demo_cm", month=last)
    assert submission.status == "pending"
    assert phone.csp_errors == []

    desktop.login("demo_tl")
    desktop.go(f"/visits/months/{submission.pk}/")
    desktop.shot("visits-month-leader")
    desktop.page.locator("[data-testid=month-request]").click()
    panel = desktop.page.locator("[data-testid=action-panel]").first
    panel.locator("textarea").first.fill("走访记录完整，督办及时。")
    panel.locator("[data-testid=approve]").click()
    expect(desktop.page.locator(".alert-success")).to_be_visible()
    desktop.shot("visits-month-verified")
    submission.refresh_from_db()
    assert submission.status == "verified"
    assert submission.opinion == "走访记录完整，督办及时。"
    assert desktop.csp_errors == []

    # Verified logs are read-only for the visitor.
    month_visit = Visit.objects.filter(submission=submission).first()
    phone.go(f"/visits/{month_visit.pk}/")
    expect(page.locator("[data-testid=visit-readonly]")).to_contain_text("已核验")
    response = page.goto(f"{phone.base_url}/visits/{month_visit.pk}/edit/")
    assert response.status == 403
    phone.go("/")
    expect(page.locator("[data-testid=home-block-visits_mine]")).to_be_visible()
    phone.shot("visits-home-phone")
    assert phone.csp_errors == []
