"""Patrols (R-2.7), team training and marketing events with who came
(R-2.5), and the training history on a person's page (R-7.7)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from attendance import selectors
from attendance.models import EventAttendance, PatrolEntry, TeamEvent
from attendance.services import events as services
from tests.attendance.helpers import at

pytestmark = pytest.mark.django_db

D = dt.date


def training(att, day=None, roster=None, title="两融业务培训", topic="business"):
    day = day or D(2026, 11, 5)
    with at(2026, 11, 1):
        return services.create_event(
            actor=att.a_tl,
            team=att.team_a,
            kind=TeamEvent.Kind.TRAINING,
            topic=topic,
            title=title,
            date=day,
            start_time=dt.time(16, 0),
            end_time=dt.time(17, 30),
            place="营业部会议室",
            trainer="总部培训讲师 周老师",
            roster=roster or [att.a_cm1, att.a_cm2, att.a_gl],
        )


def test_a_leader_and_a_regional_manager_record_patrols_of_their_team(att):
    with at(2026, 11, 5, 15):
        patrol = services.record_patrol(
            actor=att.a_tl,
            team=att.team_a,
            date=D(2026, 11, 5),
            time=dt.time(14, 30),
            outlet=att.o1,
            notes="向网点主任了解近期人员到岗情况",
            entries={
                att.a_cm1.pk: (PatrolEntry.Found.IN_POST, ""),
                att.a_gl.pk: (PatrolEntry.Found.AWAY, "网点称其 14 点后离开，无出访单"),
            },
        )
        services.record_patrol(
            actor=att.a_rm,
            team=att.team_a,
            date=D(2026, 11, 5),
            outlet=att.o2,
            entries={att.a_cm2.pk: (PatrolEntry.Found.OUTING, "")},
        )
        with pytest.raises(ValidationError, match="负责人或区域经理"):
            services.record_patrol(
                actor=att.a_cm1, team=att.team_a, date=D(2026, 11, 5), entries={}, notes="x"
            )
        with pytest.raises(ValidationError, match="不属于该团队"):
            services.record_patrol(
                actor=att.a_tl,
                team=att.team_a,
                date=D(2026, 11, 5),
                entries={att.b_cm1.pk: (PatrolEntry.Found.IN_POST, "")},
            )
        with pytest.raises(ValidationError, match="晚于今天"):
            services.record_patrol(
                actor=att.a_tl, team=att.team_a, date=D(2026, 11, 6), entries={}, notes="x"
            )
    assert dict(patrol.entries.values_list("person", "found")) == {
        att.a_cm1.pk: "in_post",
        att.a_gl.pk: "away",
    }


def test_events_list_their_roster_and_record_who_came(att):
    event = training(att)
    assert list(event.roster.values_list("status", flat=True)) == ["expected"] * 3
    with at(2026, 11, 4), pytest.raises(ValidationError, match="尚未举行"):
        services.record_event_attendance(
            actor=att.a_tl, event=event, statuses={att.a_cm1.pk: "present"}
        )
    with at(2026, 11, 5, 18):
        services.record_event_attendance(
            actor=att.a_rec,
            event=event,
            statuses={att.a_cm1.pk: "present", att.a_cm2.pk: "absent", att.a_gl.pk: "excused"},
            notes={att.a_gl.pk: "病假"},
        )
        with pytest.raises(ValidationError):
            services.record_event_attendance(
                actor=att.a_cm1, event=event, statuses={att.a_cm1.pk: "present"}
            )
    rows = dict(event.roster.values_list("person", "status"))
    assert rows == {att.a_cm1.pk: "present", att.a_cm2.pk: "absent", att.a_gl.pk: "excused"}
    event.refresh_from_db()
    assert event.attendance_recorded
    assert EventAttendance.history.filter(history_change_reason="登记到场").count() == 3


def test_an_events_roster_is_the_teams_members(att):
    with at(2026, 11, 1), pytest.raises(ValidationError, match="本团队成员"):
        services.create_event(
            actor=att.a_tl,
            team=att.team_a,
            kind=TeamEvent.Kind.MARKETING,
            topic="other",
            title="社区理财讲座",
            date=D(2026, 11, 8),
            roster=[att.a_cm1, att.b_cm1],
        )
    with at(2026, 11, 1), pytest.raises(ValidationError, match="负责人或考勤员"):
        services.create_event(
            actor=att.b_tl,
            team=att.team_a,
            kind=TeamEvent.Kind.MARKETING,
            topic="other",
            title="社区理财讲座",
            date=D(2026, 11, 8),
            roster=[att.a_cm1],
        )


def test_a_persons_training_history_is_on_his_page(client, att):
    first = training(att, D(2026, 11, 5), title="两融业务培训")
    second = training(att, D(2026, 11, 12), title="商务礼仪", topic="etiquette")
    with at(2026, 11, 13):
        services.record_event_attendance(
            actor=att.a_tl, event=first, statuses={att.a_cm1.pk: "present"}
        )
        services.record_event_attendance(
            actor=att.a_tl, event=second, statuses={att.a_cm1.pk: "absent"}
        )
    history = list(selectors.training_history(att.a_cm1))
    assert [h.event.title for h in history] == ["商务礼仪", "两融业务培训"]
    client.force_login(att.a_tl)
    page = client.get(f"/staff/{att.a_cm1.pk}/").content.decode()
    assert 'data-testid="person-panel-training"' in page
    assert "培训记录" in page
    assert "两融业务培训" in page
    assert "商务礼仪" in page
    assert "共 2 次培训，到场 1 次" in page
