"""R-1.5: one work log per person per day, editable that day only; missing
logs by the official calendar; reproducible random spot-checks."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from teams import selectors, services
from teams.models import SpotCheckItem, Verdict, WorkLog

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai


def _file(person, day: dt.date, text="拜访客户两户"):
    with time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)):
        return services.file_work_log(actor=person, done=text, plan_tomorrow="继续跟进")


def test_one_log_a_day_amended_in_place_that_day_only(org):
    with time_machine.travel(MONDAY):
        first = services.file_work_log(
            actor=org.a_cm1, done="上午驻点", clients=[org.clients["a_cm1"]]
        )
        second = services.file_work_log(actor=org.a_cm1, done="上午驻点，下午拜访客户")
        assert first.pk == second.pk
        assert WorkLog.objects.filter(person=org.a_cm1).count() == 1
        assert second.history.first().done == "上午驻点，下午拜访客户"
        assert second.history.filter(history_type="+").count() == 1
    with time_machine.travel(MONDAY + dt.timedelta(days=1)), pytest.raises(ValidationError) as exc:
        services.file_work_log(actor=org.a_cm1, done="补昨天的", on=dt.date(2026, 3, 2))
    assert exc.value.message_dict["date"] == ["只能填写或修改当天的工作日志。"]


def test_a_log_mentions_only_the_persons_own_clients(org):
    with time_machine.travel(MONDAY), pytest.raises(ValidationError) as exc:
        services.file_work_log(actor=org.a_cm1, done="拜访", clients=[org.clients["a_cm2"]])
    assert exc.value.message_dict["clients"] == ["只能选择由您负责的客户。"]


def test_missing_logs_follow_the_official_calendar_and_the_hire_date(org):
    """Labour Day 2026: 5月1–5日 off; Saturday 9 May is a swapped working day."""
    for day in (
        dt.date(2026, 4, 29),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 6),
        dt.date(2026, 5, 8),
    ):
        _file(org.a_cm1, day)
    with time_machine.travel(dt.datetime(2026, 5, 11, 2, 0, tzinfo=dt.UTC)):
        rows = selectors.missing_logs([org.a_cm1], dt.date(2026, 4, 29), dt.date(2026, 5, 11))
    assert rows[0]["days"] == [
        dt.date(2026, 5, 7),
        dt.date(2026, 5, 9),
    ]  # not today (11th), not the holiday
    org.a_cm2.hired_on = dt.date(2026, 5, 8)
    with time_machine.travel(dt.datetime(2026, 5, 11, 2, 0, tzinfo=dt.UTC)):
        rows = selectors.missing_logs([org.a_cm2], dt.date(2026, 4, 29), dt.date(2026, 5, 11))
    assert rows[0]["days"] == [dt.date(2026, 5, 8), dt.date(2026, 5, 9)]


def _month_of_logs(org):
    for day in [dt.date(2026, 3, d) for d in range(2, 28) if dt.date(2026, 3, d).weekday() < 5]:
        for person in (org.a_gl, org.a_cm1, org.a_cm2):
            _file(person, day)


def test_the_same_seed_and_period_give_the_same_sample(org):
    _month_of_logs(org)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    one = selectors.sample_logs(org.team_a, start, end, 6, seed=4242)
    again = selectors.sample_logs(org.team_a, start, end, 6, seed=4242)
    other = selectors.sample_logs(org.team_a, start, end, 6, seed=4243)
    assert one == again
    assert one != other
    check = services.draw_spot_check(
        actor=org.a_tl,
        team=org.team_a,
        period_start=start,
        period_end=end,
        sample_size=6,
        seed=4242,
    )
    assert sorted(check.items.values_list("work_log_id", flat=True)) == one
    # A log filed later in another period does not change this period's sample.
    _file(org.a_cm1, dt.date(2026, 4, 1))
    assert selectors.sample_logs(org.team_a, start, end, 6, seed=4242) == one


def test_a_percentage_sample_rounds_up_and_records_the_population(org):
    _month_of_logs(org)
    check = services.draw_spot_check(
        actor=org.a_tl,
        team=org.team_a,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31),
        sample_percent=10,
    )
    assert check.population == 60
    assert check.items.count() == 6
    with pytest.raises(ValidationError, match="请在“抽查份数”和“抽查比例”中填写其一"):
        services.draw_spot_check(
            actor=org.a_tl,
            team=org.team_a,
            period_start=dt.date(2026, 3, 1),
            period_end=dt.date(2026, 3, 31),
        )
    with pytest.raises(ValidationError, match="只有团队负责人可以抽查"):
        services.draw_spot_check(
            actor=org.b_tl,
            team=org.team_a,
            period_start=dt.date(2026, 3, 1),
            period_end=dt.date(2026, 3, 31),
            sample_size=1,
        )


def test_verdicts_and_coverage(org):
    _month_of_logs(org)
    check = services.draw_spot_check(
        actor=org.a_tl,
        team=org.team_a,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31),
        sample_size=3,
        seed=7,
    )
    items = list(check.items.select_related("work_log"))
    with pytest.raises(ValidationError) as exc:
        services.record_verdict(actor=org.a_tl, item=items[0], verdict=Verdict.POOR)
    assert "请写明点评" in exc.value.message_dict["comment"][0]
    services.record_verdict(
        actor=org.a_tl, item=items[0], verdict=Verdict.IMPROVE, comment="客户沟通要点过简"
    )
    services.record_verdict(actor=org.a_tl, item=items[1], verdict=Verdict.GOOD)
    rows = {
        r["person"].employee_no: r
        for r in selectors.coverage(org.team_a, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    }
    checked = {i.work_log.person.employee_no for i in items[:2]}
    assert sum(r["checked"] for r in rows.values()) == 2
    assert all(rows[n]["checked"] >= 1 for n in checked)
    assert rows["a_cm1"]["filed"] == 20
    assert SpotCheckItem.objects.filter(verdict="").count() == 1


def test_pages_file_a_log_list_missing_and_record_a_verdict(client, org):
    with time_machine.travel(MONDAY):
        client.force_login(org.a_cm1)
        response = client.post(
            "/teams/worklogs/today/", {"done": "网点驻点，接待客户 3 位", "plan_tomorrow": "回访"}
        )
        assert response.status_code == 302
        assert WorkLog.objects.get(person=org.a_cm1).done == "网点驻点，接待客户 3 位"
        empty = client.post("/teams/worklogs/today/", {"done": ""})
        assert "这个字段是必填项" in empty.content.decode()
        client.force_login(org.a_tl)
        response = client.post(
            f"/teams/{org.team_a.pk}/spotchecks/new/",
            {"period_start": "2026-03-01", "period_end": "2026-03-02", "sample_size": 1},
        )
        check_url = response.url
        item = SpotCheckItem.objects.get()
        client.post(
            f"{check_url}items/{item.pk}/",
            {f"v{item.pk}-verdict": "good", f"v{item.pk}-comment": ""},
        )
        item.refresh_from_db()
        assert item.verdict == "good"
        missing = client.get(
            f"/teams/{org.team_a.pk}/worklogs/missing/",
            {"start": "2026-02-23", "end": "2026-03-02"},
        )
        names = {r["person"].employee_no for r in missing.context["page_obj"]}
        assert "a_cm1" in names  # missed last week
        client.force_login(org.a_cm1)
        detail = client.get(f"/teams/worklogs/{item.work_log_id}/").content.decode()
        assert "合格" in detail
