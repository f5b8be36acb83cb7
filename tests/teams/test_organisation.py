"""R-1.6: each member's duty in the team, and developers paired with servicers."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from teams import selectors, services
from teams.models import Duty, MemberDuty

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def test_a_duty_is_shown_on_the_team_page_and_a_new_one_ends_the_last(client, org):
    first = services.set_duty(
        actor=org.a_tl, team=org.team_a, person=org.a_cm1, duty=Duty.DEVELOP, valid_from=DAY
    )
    services.set_duty(
        actor=org.a_tl,
        team=org.team_a,
        person=org.a_cm1,
        duty=Duty.OUTLET,
        valid_from=DAY + dt.timedelta(days=7),
        note="驻网点一",
    )
    first.refresh_from_db()
    assert first.valid_to == DAY + dt.timedelta(days=7)
    assert [d.duty for d in selectors.duties(org.team_a, DAY + dt.timedelta(days=8))] == [
        Duty.OUTLET
    ]
    assert MemberDuty.objects.get(valid_to__isnull=True).created_by == org.a_tl
    client.force_login(org.a_cm2)
    html = client.get(f"/teams/{org.team_a.pk}/").content.decode()
    assert "网点驻点" in html
    assert "驻网点一" in html


def test_only_the_leader_sets_duties_and_only_for_members(org):
    with pytest.raises(ValidationError, match="只有团队负责人可以安排分工"):
        services.set_duty(
            actor=org.a_gl, team=org.team_a, person=org.a_cm1, duty=Duty.SERVE, valid_from=DAY
        )
    with pytest.raises(ValidationError, match="不是本团队成员"):
        services.set_duty(
            actor=org.a_tl, team=org.team_a, person=org.b_cm1, duty=Duty.SERVE, valid_from=DAY
        )


def _pair(org, developer, servicer, actor=None, note=""):
    return services.pair_members(
        actor=actor or org.a_tl,
        team=org.team_a,
        developer=developer,
        servicer=servicer,
        valid_from=DAY,
        note=note,
    )


def test_a_pairing_is_shown_on_the_team_page_and_refuses_doubles(client, org):
    _pair(org, org.a_cm1, org.a_cm2, note="网点一客户")
    with pytest.raises(ValidationError, match="这两人已经结对"):
        _pair(org, org.a_cm1, org.a_cm2)
    with pytest.raises(ValidationError) as exc:
        _pair(org, org.a_cm1, org.a_cm1)
    assert exc.value.message_dict["servicer"] == ["开发人员和服务人员不能是同一人。"]
    with pytest.raises(ValidationError, match="只有团队负责人可以安排结对"):
        _pair(org, org.a_cm1, org.a_cm2, actor=org.b_tl)
    client.force_login(org.a_cm1)
    html = client.get(f"/teams/{org.team_a.pk}/").content.decode()
    assert f"{org.a_cm1.name}（开发） ↔ {org.a_cm2.name}（服务）" in html


@time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))
def test_ending_a_pairing_records_who_ended_it_and_when(client, org):
    pairing = _pair(org, org.a_cm1, org.a_cm2)
    with pytest.raises(ValidationError, match="只有团队负责人可以解除结对"):
        services.end_pairing(actor=org.bm1, pairing=pairing, on=dt.date(2026, 3, 20))
    client.force_login(org.a_tl)
    response = client.post(f"/teams/pairings/{pairing.pk}/end/")
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.valid_to == dt.date(2026, 3, 20)
    assert pairing.ended_by == org.a_tl
    assert pairing.ended_at.date() == dt.date(2026, 3, 20)
    assert list(selectors.pairings(org.team_a, dt.date(2026, 3, 20))) == []
    with pytest.raises(ValidationError, match="该结对已解除"):
        services.end_pairing(actor=org.a_tl, pairing=pairing, on=dt.date(2026, 3, 21))
    html = client.get(f"/teams/{org.team_a.pk}/").content.decode()
    assert "（开发） ↔" not in html
