"""Archives fixtures: the explicit org of tests/conftest.py with an archive
clerk per branch and a new hire still onboarding, and helpers that build
files, contracts and slips through the real services."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from archives import services
from archives.models import CERTIFICATES, REQUIRED_DOCUMENTS
from staff.models import Role, User
from tests.staff.factories import person, role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "扫描件.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    """Archives tests run on 15 June 2026 (contracts, expiry and months depend on it)."""
    moment = dt.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=True):
        yield


def with_clerks(org):
    org.arch1 = person(name="一部档案员", branch=org.b1, employee_no="arch1")
    role(org.arch1, Role.ARCHIVE_CLERK, branch=org.b1)
    org.arch2 = person(name="二部档案员", branch=org.b2, employee_no="arch2")
    role(org.arch2, Role.ARCHIVE_CLERK, branch=org.b2)
    org.dep1 = person(name="一部副经理", branch=org.b1, employee_no="a_dep")
    role(org.dep1, Role.DEPUTY_MANAGER, branch=org.b1)
    org.newbie = person(
        name="新人甲",
        group=org.a2,
        outlet=org.o1,
        employee_no="newbie",
        status=User.Status.ONBOARDING,
        hired_on=dt.date(2026, 3, 2),
    )
    return org


@pytest.fixture
def ar(org):
    return with_clerks(org)


def upload_all(ar, who, *, kinds=REQUIRED_DOCUMENTS, actor=None):
    return {
        kind: services.upload_document(
            actor=actor or ar.arch1,
            person=who,
            kind=kind,
            upload=png() if kind == "photo" else pdf(f"{kind}.pdf"),
        )
        for kind in kinds
    }


def verify_all(ar, documents, *, on=dt.date(2026, 3, 1), actor=None):
    for kind, document in documents.items():
        if kind in CERTIFICATES:
            services.verify_document(
                actor=actor or ar.arch1,
                document=document,
                method="original",
                result="genuine",
                on=on,
            )


def sign_contract(ar, who, *, starts_on=dt.date(2026, 3, 2), actor=None, **extra):
    return services.create_contract(
        actor=actor or ar.arch1,
        person=who,
        starts_on=starts_on,
        signed_on=extra.pop("signed_on", starts_on - dt.timedelta(days=1)),
        original_location="一号营业部档案室 1 号柜",
        upload=pdf("合同.pdf"),
        **extra,
    )


def complete_file(ar, who, *, on=dt.date(2026, 3, 1)):
    documents = upload_all(ar, who)
    verify_all(ar, documents, on=on)
    return documents, sign_contract(ar, who)


def own_queries(client, url, params=None):
    """A page's own queries: its total less those of a bare page of the
    shell (session, scope, every app's navigation counters)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)
    with CaptureQueriesContext(connection) as shell:
        client.get("/accounts/password/")
    with CaptureQueriesContext(connection) as page:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(page) - len(shell), response
