"""The working calendar (R-2.9): official holidays and swapped working days,
seeded from chinese-calendar; later years entered by an administrator."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from staff import calendar, services
from staff.forms import CalendarYearForm, parse_calendar_lines

pytestmark = pytest.mark.django_db


def test_national_day_is_a_holiday_and_the_swapped_saturday_a_working_day():
    assert not calendar.is_working_day(dt.date(2024, 10, 1))
    assert calendar.is_working_day(dt.date(2024, 10, 12))  # Saturday, 调休上班
    assert not calendar.is_working_day(dt.date(2024, 10, 13))  # plain Sunday
    assert calendar.is_working_day(dt.date(2024, 10, 8))


def test_working_days_of_a_month_follow_the_official_schedule():
    days = calendar.working_days(dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert len(days) == 19
    assert dt.date(2024, 10, 12) in days
    year_2026 = calendar.working_days(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert len(year_2026) == 248


def test_a_year_without_a_schedule_counts_plain_weekdays_and_is_provisional():
    new_year = dt.date(2027, 1, 1)  # a Friday
    assert calendar.is_provisional(new_year)
    assert calendar.is_working_day(new_year)
    assert not calendar.is_provisional(dt.date(2026, 5, 1))


def test_entering_a_year_makes_its_days_official():
    services.set_calendar_year(
        actor=None,
        year=2027,
        holidays=[(dt.date(2027, 1, 1), "元旦"), (dt.date(2027, 1, 2), "元旦")],
        workdays=[(dt.date(2027, 1, 9), "元旦调休")],
    )
    assert not calendar.is_provisional(dt.date(2027, 6, 1))
    assert not calendar.is_working_day(dt.date(2027, 1, 1))
    assert calendar.is_working_day(dt.date(2027, 1, 9))  # Saturday made a working day
    month = calendar.month_calendar(2027, 1)
    assert month[0]["name"] == "元旦"
    assert not month[0]["working"]
    assert not month[0]["provisional"]


def test_re_entering_a_year_replaces_its_schedule():
    services.set_calendar_year(
        actor=None, year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")], workdays=[]
    )
    services.set_calendar_year(
        actor=None, year=2027, holidays=[(dt.date(2027, 1, 4), "更正")], workdays=[]
    )
    assert calendar.is_working_day(dt.date(2027, 1, 1))
    assert not calendar.is_working_day(dt.date(2027, 1, 4))


def test_a_swapped_working_day_must_be_a_weekend_day_and_in_the_year():
    with pytest.raises(ValidationError) as exc:
        services.set_calendar_year(
            actor=None,
            year=2027,
            holidays=[(dt.date(2028, 1, 1), "元旦")],
            workdays=[(dt.date(2027, 1, 6), "周三")],
        )
    text = " ".join(exc.value.messages)
    assert "不属于 2027 年" in text
    assert "无需登记为调休上班日" in text


def test_calendar_lines_accept_ranges_and_name_the_bad_line():
    days = parse_calendar_lines("2027-02-06 至 2027-02-08 春节\n\n2027-1-1 元旦", label="放假日期")
    assert days == [
        (dt.date(2027, 2, 6), "春节"),
        (dt.date(2027, 2, 7), "春节"),
        (dt.date(2027, 2, 8), "春节"),
        (dt.date(2027, 1, 1), "元旦"),
    ]
    form = CalendarYearForm(
        data={"year": 2027, "holidays": "2027-01-01 元旦\n明年春节", "workdays": "2027-02-30 调休"}
    )
    assert not form.is_valid()
    assert "第 2 行无法识别" in form.errors["holidays"][0]
    assert "第 1 行的日期不存在" in form.errors["workdays"][0]


def test_the_admin_enters_next_years_calendar(admin_client):
    response = admin_client.post(
        "/admin/staff/calendaryear/add/",
        {
            "year": 2027,
            "holidays": "2027-01-01 元旦\n2027-02-06 至 2027-02-12 春节",
            "workdays": "2027-02-14 春节调休",
            "note": "国办发明电〔2026〕X号",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not calendar.is_working_day(dt.date(2027, 2, 8))
    assert calendar.is_working_day(dt.date(2027, 2, 14))
    assert not calendar.is_provisional(dt.date(2027, 3, 1))
