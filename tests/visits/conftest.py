"""Fixtures for the visits chapter: the shared ``org`` with tiered clients."""

import datetime as dt

import pytest

from clients import services as client_services
from clients.models import ClientTier


@pytest.fixture
def vo(org):
    """Adds tiered clients: a_cm1 owns a core, an important and a general
    client; a_cm2 and b_cm1 one core client each; c_cm (branch 2) one."""
    o = org
    o.tiers = {t.code: t for t in ClientTier.objects.all()}
    since = dt.date(2025, 1, 1)
    n = {"i": 0}

    def client(manager, tier, name):
        n["i"] += 1
        return client_services.create_client(
            actor=None,
            crm_code=f"9{n['i']:07d}",
            name=name,
            manager=manager,
            since=since,
            tier=o.tiers[tier],
        )

    o.core1 = client(o.a_cm1, "core", "华信科技有限公司")
    o.imp1 = client(o.a_cm1, "important", "王建国")
    o.gen1 = client(o.a_cm1, "general", "李秀英")
    o.core2 = client(o.a_cm2, "core", "恒通贸易有限公司")
    o.core_b = client(o.b_cm1, "core", "德昌实业有限公司")
    o.core_c = client(o.c_cm, "core", "金桥投资管理有限公司")
    return o
