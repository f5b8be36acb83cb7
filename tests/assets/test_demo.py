"""The demo data: a few hundred items whose holdings agree with their
ledger, and team A's documents made through the services."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from assets import selectors
from assets.models import Handover, Incident, Item, Movement, StockTake
from staff.models import User

pytestmark = pytest.mark.django_db


def test_demo_assets_have_consistent_history():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    assert Item.objects.count() >= 250
    assert Movement.objects.count() > 3 * Item.objects.count()
    assert selectors.ledger_discrepancies() == []
    statuses = set(Item.objects.values_list("status", flat=True))
    assert {"in_use", "in_store", "scrapped", "lost"} <= statuses
    today = timezone.localdate()
    demo_cm = User.objects.get(employee_no="demo_cm")
    (charge,) = selectors.charges_for(demo_cm, today.year, today.month)
    assert charge.amount > 0
    assert Incident.objects.filter(status="draft").exists()
    assert StockTake.objects.filter(status="closed").exists()
    handover = Handover.objects.get(status="open")
    assert handover.lines.count() > 0
    assert handover.person.status == "leaving"
