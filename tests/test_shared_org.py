"""The ``org`` fixture is built once per module (tests/conftest.py); every
test must still start from the same untouched organisation, whatever the test
before it changed in memory or in the database."""

import datetime as dt

import pytest

from staff.models import Role, User
from staff.services import assign_role


@pytest.mark.parametrize("run", [1, 2, 3])
def test_each_test_starts_from_the_untouched_organisation(org, run):
    # Whichever of these runs second would see the first one's changes.
    assert org.a_cm1.name == "甲经理一"
    assert User.objects.get(pk=org.a_cm1.pk).name == "甲经理一"
    assert not org.a_cm1.role_assignments.filter(role=Role.TEAM_LEADER).exists()

    org.a_cm1.name = f"改名{run}"
    org.a_cm1.save(update_fields=["name"])
    assign_role(
        actor=org.bm1,
        user=org.a_cm1,
        role=Role.TEAM_LEADER,
        team=org.team_b,
        valid_from=dt.date(2025, 1, 1),
    )
    assert User.objects.get(pk=org.a_cm1.pk).name == f"改名{run}"
