"""Assets fixtures: the explicit org of tests/conftest.py plus a keeper for
team A, and helpers that build state through the real services."""

from decimal import Decimal

import pytest

from assets import services
from assets.models import Category
from staff.models import Role
from tests.staff.factories import person, role


def with_keeper(org):
    """``org`` with team A's 实物管理员 (keeper) and the seeded categories."""
    org.keeper = person(name="甲实物管理员", team=org.team_a, outlet=org.o1, employee_no="a_keep")
    role(org.keeper, Role.ASSET_KEEPER, team=org.team_a)
    org.b_keeper = org.b_tl
    org.pc = Category.objects.get(code="PC")
    org.promo = Category.objects.get(code="PR")
    return org


@pytest.fixture
def ao(org):
    return with_keeper(org)


def laptops(org, n=1, *, team=None, outlet=None, actor=None, value="6000.00"):
    team = team or org.team_a
    return services.register_items(
        actor=actor or (org.keeper if team == org.team_a else org.b_tl),
        team=team,
        category=org.pc,
        name="笔记本电脑",
        specification="ThinkPad T14",
        value=Decimal(value),
        outlet=outlet or (org.o1 if team == org.team_a else org.o3),
        quantity=n,
    )


def brochures(org, quantity=100, *, outlet=None):
    return services.register_items(
        actor=org.keeper,
        team=org.team_a,
        category=org.promo,
        name="基金宣传折页",
        value=Decimal("2.50"),
        outlet=outlet or org.o1,
        quantity=quantity,
    )[0]


def issue(org, item, to, *, quantity=1, outlet=None, actor=None):
    holding = item.holdings.filter(holder__isnull=True).first()
    store = holding.outlet if holding else org.o1
    return services.record_movement(
        actor=actor or org.keeper,
        item=item,
        kind="issue",
        quantity=quantity,
        source=services.Place(store),
        target=services.Place(outlet or to.outlet or store, to),
    )
