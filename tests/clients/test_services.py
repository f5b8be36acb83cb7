"""Client ownership over time (R-7.5, R-7.6, DESIGN: ClientAssignment)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from clients import selectors, services
from clients.models import Client, ClientAssignment

pytestmark = pytest.mark.django_db


def test_a_new_client_is_stamped_with_its_owners_unit(org):
    client = org.clients["a_cm1"]
    assert (client.manager, client.branch, client.team, client.group, client.outlet) == (
        org.a_cm1,
        org.b1,
        org.team_a,
        org.a1,
        org.o1,
    )
    assert ClientAssignment.objects.get(client=client).valid_to is None


def test_reassigning_keeps_the_history_and_answers_who_owned_it_when(org):
    client = org.clients["a_cm1"]
    services.assign_client(
        actor=org.a_tl,
        client=client,
        manager=org.a_cm2,
        effective_on=dt.date(2025, 4, 1),
        reason="甲经理一调岗",
    )
    client.refresh_from_db()
    assert client.manager == org.a_cm2
    assert client.outlet == org.o2
    rows = list(ClientAssignment.objects.filter(client=client).order_by("valid_from"))
    assert [(r.manager, r.valid_from, r.valid_to) for r in rows] == [
        (org.a_cm1, dt.date(2024, 2, 1), dt.date(2025, 4, 1)),
        (org.a_cm2, dt.date(2025, 4, 1), None),
    ]
    assert selectors.owner_on(client, dt.date(2025, 3, 31)) == org.a_cm1
    assert selectors.owner_on(client, dt.date(2025, 4, 1)) == org.a_cm2
    assert selectors.owner_on(client, dt.date(2024, 1, 1)) is None
    assert rows[1].created_by == org.a_tl
    assert client.history.first().history_user == org.a_tl


def test_reassigning_to_the_same_owner_or_backwards_is_refused(org):
    client = org.clients["a_cm1"]
    with pytest.raises(ValidationError) as exc:
        services.assign_client(
            actor=org.a_tl, client=client, manager=org.a_cm1, effective_on=dt.date(2025, 1, 1)
        )
    assert "客户已归属" in exc.value.message_dict["manager"][0]
    with pytest.raises(ValidationError) as exc:
        services.assign_client(
            actor=org.a_tl, client=client, manager=org.a_cm2, effective_on=dt.date(2023, 1, 1)
        )
    assert "生效日期不能早于" in exc.value.message_dict["effective_on"][0]
    assert ClientAssignment.objects.filter(client=client).count() == 1


def test_the_database_allows_one_open_assignment_per_client(org):
    client = org.clients["a_cm1"]
    with pytest.raises(IntegrityError):
        ClientAssignment.objects.create(
            client=client,
            manager=org.a_cm2,
            branch=org.b1,
            valid_from=dt.date(2025, 1, 1),
            source="import",
        )


def test_duplicate_client_codes_are_refused_in_chinese(org):
    with pytest.raises(ValidationError) as exc:
        services.create_client(
            actor=None,
            crm_code=org.clients["a_cm1"].crm_code,
            name="重复",
            manager=org.a_cm1,
            since=dt.date(2025, 1, 1),
        )
    assert exc.value.message_dict["crm_code"] == ["该客户号已存在。"]
    assert Client.objects.count() == 6
