"""`seed_demo --scale small`: the documented logins with their roles."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from clients.models import Client
from staff.access import scope_for
from staff.models import Role, Team, User

LOGINS = {
    "demo_cm": (),
    "demo_cm2": (),
    "demo_gl": (Role.GROUP_LEADER,),
    "demo_rm": (Role.REGIONAL_MANAGER,),
    "demo_tl": (Role.TEAM_LEADER, Role.ASSET_KEEPER),
    "demo_rec": (Role.ATTENDANCE_RECORDER,),
    "demo_bm": (Role.BRANCH_MANAGER,),
    "demo_dep": (Role.DEPUTY_MANAGER,),
    "demo_acct": (Role.CHIEF_ACCOUNTANT,),
    "demo_fin": (Role.FINANCE,),
    "demo_fin2": (Role.FINANCE,),
    "demo_arch": (Role.ARCHIVE_CLERK,),
    "demo_office": (Role.HQ_MEMBER,),
    "demo_channel": (Role.HQ_MEMBER,),
    "demo_compliance": (Role.HQ_MEMBER,),
    "demo_hr": (Role.HQ_MEMBER,),
    "demo_vp": (Role.VP,),
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())


def _login(login: str):
    # django-axes checks every authentication against the request's address.
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=login, password="demo12345")


def test_every_demo_login_works_and_holds_its_roles(demo):
    for login, roles in LOGINS.items():
        user = _login(login)
        assert user is not None, login
        assert set(roles) <= set(scope_for(user).roles), login
    assert _login("admin").is_superuser


def test_the_demo_organisation_is_realistic(demo):
    cm, cm2, tl = (User.objects.get(employee_no=n) for n in ("demo_cm", "demo_cm2", "demo_tl"))
    assert cm.team == tl.team
    assert cm.group is not None
    assert cm.team.kind == Team.Kind.BRANCH
    assert cm2.branch != cm.branch
    assert Team.objects.filter(kind=Team.Kind.BANK).exists()
    assert all(t.groups.count() == 3 for t in Team.objects.all())
    assert User.objects.filter(level__isnull=False).values("level").distinct().count() >= 3
    assert Client.objects.filter(manager=cm).count() > 5
    assert Client.objects.exclude(tier=None).values("tier").distinct().count() == 3
    assert cm.postings.count() == 2  # he moved outlet once
    assert len(cm.name) in (2, 3, 4)
    # The regional manager covers team A's outlets.
    rm = User.objects.get(employee_no="demo_rm")
    assert cm.outlet.regional_manager == rm


def test_seeding_twice_refuses_and_if_empty_skips(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
