"""Attendance in real browsers: the recorder keeps a day's roll; client
managers file an outing slip and ask leave from a 375 px phone; the leader
approves the leave from his inbox."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import AttendanceRecord, LeaveRequest, OutingSlip
from staff import calendar
from staff.models import User


def test_the_recorder_records_a_day_for_his_team(desktop, phone):
    cm = User.objects.get(employee_no="demo_cm")
    desktop.login("demo_rec")
    desktop.go("/attendance/roll/")
    rows = desktop.page.locator("[data-testid=roll-row]")
    expect(rows.first).to_be_visible()
    assert rows.count() == 11  # everyone posted to team A
    row = desktop.page.locator(f"[data-testid=roll-row][data-person='{cm.pk}']")
    if row.locator("select").count():
        row.locator(f"[name=a_{cm.pk}]").fill("09:20")  # his outlet starts at 8:30
        row.locator(f"[name=o_{cm.pk}]").fill("1.5")
        row.locator(f"[name=n_{cm.pk}]").fill("晚到，加班补回")
    gl = User.objects.get(employee_no="demo_gl")
    gl_row = desktop.page.locator(f"[data-testid=roll-row][data-person='{gl.pk}']")
    if gl_row.locator("select").count():
        gl_row.locator(f"[name=s_{gl.pk}]").select_option("absent")
    reason = desktop.page.locator("[data-testid=roll-reason]")
    if reason.count():  # a weekend: the last working day is already saved
        reason.fill("核对网点签到表后更正")
    desktop.shot("attendance-roll-filled")
    desktop.page.locator("[data-testid=save-roll]").click()
    expect(desktop.page.locator(".alert-success")).to_contain_text("的考勤已")
    expect(desktop.page.locator("[data-testid=roll-saved]")).to_be_visible()
    day = dt.date.fromisoformat(desktop.page.locator("#roll-date").input_value())
    record = AttendanceRecord.objects.get(person=cm, date=day)
    if record.status == "present" and record.leave_days == 0:
        assert record.late_minutes == 50
        assert str(record.overtime_hours) == "1.5"
    desktop.shot("attendance-roll-saved")
    assert desktop.no_sideways_scroll()
    assert desktop.csp_errors == []
    # The same page on the recorder's phone, without sideways scrolling.
    phone.login("demo_rec")
    phone.go("/attendance/roll/")
    expect(phone.page.locator("[data-testid=roll-row]").first).to_be_visible()
    assert phone.no_sideways_scroll()
    phone.shot("attendance-roll-phone")
    assert phone.csp_errors == []


def test_a_client_manager_files_an_outing_slip_on_his_phone(phone):
    context = phone.page.context
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 22.5431, "longitude": 114.0579, "accuracy": 25})
    phone.login("demo_cm")
    phone.go("/attendance/")
    expect(phone.page.locator("[data-testid=month-calendar]")).to_be_visible()
    assert phone.no_sideways_scroll()
    phone.shot("attendance-home-phone")
    phone.page.locator("[data-testid=new-slip]").first.click()
    page = phone.page
    page.get_by_label("目的地").fill("福田区深南大道某大厦 18 楼")
    page.get_by_label("被访人").fill("周总")
    page.get_by_label("联系方式").fill("13912340000")
    page.get_by_label("出访目的").fill("上门讲解融资融券业务")
    page.locator("[data-testid=locate]").click()
    expect(page.locator("#locate-status")).to_contain_text("已获取位置")
    assert phone.no_sideways_scroll()
    phone.shot("attendance-slip-form-phone")
    page.locator("[data-testid=submit-slip]").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交")
    number = page.locator("[data-testid=slip-number]").inner_text()
    slip = OutingSlip.objects.get(person__employee_no="demo_cm", destination__contains="深南大道")
    assert slip.number == number
    assert (float(slip.latitude), float(slip.longitude), slip.accuracy) == (22.5431, 114.0579, 25)
    assert slip.planned_out > timezone.now()
    assert phone.no_sideways_scroll()
    phone.shot("attendance-slip-filed-phone")
    assert phone.csp_errors == []


def test_leave_asked_on_a_phone_is_approved_by_the_team_leader(phone, desktop):
    today = timezone.localdate()
    start, end = calendar.working_days(
        today + dt.timedelta(days=14), today + dt.timedelta(days=30)
    )[:2]
    phone.login("demo_cm")
    phone.go("/attendance/leave/new/")
    page = phone.page
    expect(page.locator("[data-testid=balances]")).to_be_visible()
    page.get_by_label("假别").select_option("personal")
    page.get_by_label("开始日期").fill(start.isoformat())
    page.get_by_label("结束日期").fill(end.isoformat())
    page.locator("input[name=end_half][value=am]").check()
    page.get_by_label("请假事由").fill("家中老人住院陪护")
    assert phone.no_sideways_scroll()
    phone.shot("attendance-leave-form-phone")
    page.locator("[data-testid=submit-leave]").click()
    expect(page.locator("[data-testid=leave-status]")).to_have_text("审批中")
    expect(page.locator("[data-testid=leave-days]")).to_contain_text("1.5")
    leave = LeaveRequest.objects.get(person__employee_no="demo_cm", start_date=start)
    desktop.login("demo_tl")
    desktop.go("/approvals/")
    desktop.page.get_by_role("link", name=leave_title(leave)).click()
    desktop.page.locator("[data-testid=action-panel] [data-testid=approve]").first.click()
    expect(desktop.page.locator(".alert-success")).to_contain_text("已同意")
    assert desktop.csp_errors == []
    page.reload()
    expect(page.locator("[data-testid=leave-status]")).to_have_text("已批准")
    expect(page.locator("[data-testid=leave-deputy]")).to_contain_text("代理审批")
    phone.shot("attendance-leave-approved-phone")
    assert phone.no_sideways_scroll()
    assert phone.csp_errors == []


def leave_title(leave: LeaveRequest) -> str:
    from approvals.selectors import request_for

    return request_for(leave).title
