"""Fixtures for the meetings chapter: the shared ``org`` with a 考勤员 in
team A (for the roll call cross-check)."""

import pytest

from staff.models import Role
from tests.staff.factories import person, role


@pytest.fixture
def mt(org):
    org.a_rec = person(name="甲考勤员", group=org.a2, outlet=org.o1, employee_no="a_rec")
    role(org.a_rec, Role.ATTENDANCE_RECORDER, team=org.team_a)
    return org
