"""portal.demo.insert_rows: plain rows read back by the ORM exactly as written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from clients.models import Client, ClientTier, CrmFigure, CrmImport
from portal.demo import db_datetime, insert_rows, next_pk

pytestmark = pytest.mark.django_db


def test_clients_with_their_created_history_rows(org):
    tier = ClientTier.objects.get(code="general")
    now = timezone.now().replace(microsecond=0)
    first = next_pk(Client)
    rows = [
        (
            first + i,
            f"0999{i:08d}",
            f"客户{i}",
            Client.Kind.PERSON.value,
            tier.pk,
            Client.Status.ACTIVE.value,
            dt.date(2024, 3, 1 + i).isoformat(),
            "13800000000",
            "",
            "",
            org.a_cm1.pk,
            org.a_cm1.branch_id,
            org.a_cm1.team_id,
            org.a_cm1.group_id,
            None,
            db_datetime(now),
        )
        for i in range(25)
    ]
    fields = (
        "id",
        "crm_code",
        "name",
        "kind",
        "tier",
        "status",
        "opened_on",
        "phone",
        "address",
        "profile",
        "manager",
        "branch",
        "team",
        "group",
        "outlet",
        "created_at",
    )
    assert insert_rows(Client, fields, rows, history=(now, None, None), chunk=10) == 25

    client = Client.objects.get(crm_code="099900000003")
    assert client.pk == first + 3
    assert client.opened_on == dt.date(2024, 3, 4)
    assert client.manager == org.a_cm1
    assert client.team == org.a_cm1.team
    assert client.created_at == now
    assert client.tier == tier
    assert list(Client.objects.visible_to(org.a_cm1).filter(crm_code__startswith="0999")) != []
    history = client.history.get()
    assert history.history_type == "+"
    assert history.history_date == now
    assert history.name == "客户3"
    # The next ORM insert takes the following id.
    assert next_pk(Client) == first + 25


def test_decimals_and_dates_of_crm_figures(org):
    from clients import services

    client = services.create_client(
        actor=org.a_tl,
        crm_code="0100000001",
        name="测试客户",
        manager=org.a_cm1,
        since=dt.date(2025, 1, 6),
        opened_on=dt.date(2025, 1, 6),
    )
    month = dt.date(2026, 10, 1)
    crm_import = CrmImport.objects.create(
        branch=org.a_cm1.branch, month=month, version=1, imported_by=org.fin1
    )
    row = (
        crm_import.pk,
        month.isoformat(),
        client.pk,
        org.a_cm1.pk,
        org.a_cm1.branch_id,
        org.a_cm1.team_id,
        "1234.56",
        "987654.32",
        False,
        client.opened_on.isoformat(),
        0,
        False,
        None,
    )
    fields = (
        "crm_import",
        "month",
        "client",
        "manager",
        "branch",
        "team",
        "net_revenue",
        "month_end_assets",
        "new_account",
        "opened_on",
        "source_row",
        "flagged",
        "registry_owner",
    )
    insert_rows(CrmFigure, fields, [row])
    figure = CrmFigure.objects.get(client=client)
    assert figure.net_revenue == Decimal("1234.56")
    assert figure.month_end_assets == Decimal("987654.32")
    assert figure.month == month
    assert figure.new_account is False
