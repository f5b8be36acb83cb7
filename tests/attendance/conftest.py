"""Fixtures for the attendance chapter: the shared ``org`` with a 考勤员 in
team A and outlet O2 keeping earlier hours (8:30–17:00) than O1 (9:00–17:30)."""

import datetime as dt

import pytest

from staff.models import Role
from tests.staff.factories import person, role


@pytest.fixture
def att(org):
    org.o2.work_start = dt.time(8, 30)
    org.o2.work_end = dt.time(17, 0)
    org.o2.save()
    org.a_rec = person(name="甲考勤员", group=org.a2, outlet=org.o1, employee_no="a_rec")
    role(org.a_rec, Role.ATTENDANCE_RECORDER, team=org.team_a)
    org.b_rec = person(name="乙考勤员", group=org.g_b1, outlet=org.o3, employee_no="b_rec")
    role(org.b_rec, Role.ATTENDANCE_RECORDER, team=org.team_b)
    return org
