"""Who sees which meetings and what each role may do (R-8.1): a matrix of
roles × actions; out of scope is a 404."""

import datetime as dt

import pytest

from meetings import permissions
from meetings.models import ActionItem, CompetitorNote, Meeting
from staff import services as staff_services
from tests.meetings.helpers import ActionEntry, CompetitorEntry, at, weekly

pytestmark = pytest.mark.django_db

WED = dt.date(2026, 11, 25)
SEES = ["a_tl", "a_gl", "a_cm1", "a_cm2", "a_rm", "a_rec", "bm1", "office", "chan", "vp"]
DOES_NOT_SEE = ["b_tl", "b_cm1", "c_tl", "c_cm", "fin1", "comp1", "hr1"]


@pytest.fixture
def meeting(mt):
    return weekly(
        mt,
        WED,
        actions=[ActionEntry("回访客户", mt.a_cm1, dt.date(2026, 12, 2))],
        competitors=[CompetitorEntry("某某证券", "低佣开户", "客户")],
    )


@pytest.mark.parametrize("who", SEES)
def test_the_team_its_posts_the_branch_management_and_hq_oversight_see_a_meeting(
    mt, meeting, who, client
):
    user = getattr(mt, who)
    assert Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    assert CompetitorNote.objects.visible_to(user).count() == 1
    client.force_login(user)
    with at(2026, 11, 26):
        assert client.get(meeting.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", DOES_NOT_SEE)
def test_other_teams_finance_and_countersigning_departments_do_not(mt, meeting, who, client):
    user = getattr(mt, who)
    assert not Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    assert not CompetitorNote.objects.visible_to(user).exists()
    assert not ActionItem.objects.visible_to(user).exists()
    client.force_login(user)
    with at(2026, 11, 26):
        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert client.get(f"/meetings/{meeting.pk}/pdf/").status_code == 404
        item = meeting.action_items.get()
        assert client.get(f"/meetings/actions/{item.pk}/").status_code == 404
        assert (
            client.post(f"/meetings/actions/{item.pk}/status/", {"status": "done"}).status_code
            == 404
        )


def test_after_a_transfer_one_still_sees_the_meetings_one_attended_and_ones_own_items(mt, meeting):
    with at(2026, 11, 27):
        staff_services.change_posting(
            actor=None,
            user=mt.a_cm1,
            effective_on=dt.date(2026, 11, 27),
            reason="调往乙团队",
            team=mt.team_b,
            group=mt.g_b1,
        )
    later = weekly(mt, dt.date(2026, 11, 30))
    mt.a_cm1.refresh_from_db()
    visible = set(Meeting.objects.visible_to(mt.a_cm1).values_list("pk", flat=True))
    assert meeting.pk in visible
    assert later.pk not in visible
    assert ActionItem.objects.visible_to(mt.a_cm1).count() == 1
    assert not later.attendees.filter(person=mt.a_cm1).exists()


@pytest.mark.parametrize(
    ("who", "edit", "update_item", "cancel_item", "file"),
    [
        ("a_tl", True, True, True, True),
        ("a_gl", True, False, False, True),  # the host
        ("a_rec", True, False, False, True),  # the recorder
        ("a_cm1", False, True, False, True),  # the item's owner
        ("a_cm2", False, False, False, True),
        ("a_rm", False, False, False, True),
        ("bm1", False, True, True, False),
        ("b_tl", False, False, False, False),
        ("office", False, False, False, False),
    ],
)
def test_permission_matrix(mt, who, edit, update_item, cancel_item, file):
    meeting = weekly(
        mt,
        WED,
        actor=mt.a_rec,
        host=mt.a_gl,
        actions=[ActionEntry("回访客户", mt.a_cm1, dt.date(2026, 12, 2))],
    )
    item = meeting.action_items.get()
    user = getattr(mt, who)
    assert permissions.can_edit_meeting(user, meeting, today=WED) is edit
    assert permissions.can_update_action(user, item) is update_item
    assert permissions.can_cancel_action(user, item) is cancel_item
    assert permissions.can_file_meeting(user, mt.team_a) is file
    # Nobody edits once the seven days are over.
    assert permissions.can_edit_meeting(user, meeting, today=dt.date(2026, 12, 3)) is False
