"""Factories for the organisation. People, roles and clients are created
through the real services; org units are configuration and are plain rows."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from staff import services
from staff.models import Branch, Group, Outlet, PartnerBank, Team, User


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}营业部")


class PartnerBankFactory(DjangoModelFactory):
    class Meta:
        model = PartnerBank
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"BK{n:03d}")
    name = factory.Sequence(lambda n: f"测试银行{n}")


class OutletFactory(DjangoModelFactory):
    class Meta:
        model = Outlet

    code = factory.Sequence(lambda n: f"O{n:04d}")
    name = factory.Sequence(lambda n: f"测试网点{n}")
    branch = factory.SubFactory(BranchFactory)
    work_start = dt.time(9, 0)
    work_end = dt.time(17, 30)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试团队{n}")
    branch = factory.SubFactory(BranchFactory)
    kind = Team.Kind.BRANCH
    status = Team.Status.ACTIVE
    founded_on = dt.date(2024, 1, 1)


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"第{n}小组")


_seq = {"n": 0}


def person(
    *,
    name: str | None = None,
    team: Team | None = None,
    group: Group | None = None,
    outlet: Outlet | None = None,
    branch: Branch | None = None,
    actor: User | None = None,
    hired_on: dt.date = dt.date(2024, 1, 2),
    status: str = User.Status.ACTIVE,
    **extra,
) -> User:
    """A person created by ``staff.services.create_person``."""
    _seq["n"] += 1
    if group is not None and team is None:
        team = group.team
    return services.create_person(
        actor=actor,
        employee_no=extra.pop("employee_no", f"E{_seq['n']:05d}"),
        name=name or f"测试{_seq['n']}",
        branch=branch or (team.branch if team else outlet.branch if outlet else None),
        team=team,
        group=group,
        outlet=outlet,
        hired_on=hired_on,
        status=status,
        **extra,
    )


def role(user: User, role_code: str, *, since: dt.date = dt.date(2024, 1, 2), **unit):
    return services.assign_role(actor=None, user=user, role=role_code, valid_from=since, **unit)
