"""A branch ready for pay: settings, an approved standard, levels, CRM
months imported through the real import and reviewed by a second finance
person."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.walk import approve_all
from clients import services as client_services
from payroll import services
from payroll.models import PayrollSettings
from staff import services as staff_services
from staff.models import Level, Role, User
from tests.staff.factories import person, role

BRACKETS = [["50000", "0.05"], ["100000", "0.08"], [None, "0.10"]]
HEADERS = ["客户号", "客户名称", "客户经理工号", "开户日期", "当月净收入", "月末资产"]


class Pay:
    pass


def crm_file(rows, *, encoding="utf-8-sig", name="crm.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


def import_month(p, month: dt.date, rows, *, review=True):
    batch = client_services.upload_crm(
        actor=p.fin1, branch=p.org.b1, month=month, upload=crm_file(rows)
    )
    assert batch.problems == [], batch.problems
    crm = client_services.commit_crm(actor=p.fin1, batch=batch)
    if review:
        client_services.review_crm_import(actor=p.fin2, crm_import=crm)
    return crm


@pytest.fixture
def pay(org):
    p = Pay()
    p.org = org
    p.fin1 = org.fin1
    p.fin2 = person(name="一部财务二", branch=org.b1, employee_no="fin2")
    role(p.fin2, Role.FINANCE, branch=org.b1)
    p.acct = person(name="一部主办会计", branch=org.b1, employee_no="acct1")
    role(p.acct, Role.CHIEF_ACCOUNTANT, branch=org.b1)
    p.dep = person(name="一部副经理", branch=org.b1, employee_no="dep1")
    role(p.dep, Role.DEPUTY_MANAGER, branch=org.b1)
    p.l3 = Level.objects.get(code="L3")
    PayrollSettings.objects.create(
        branch=org.b1,
        effective_month=dt.date(2026, 1, 1),
        paid_days=Decimal("21.75"),
        minimum_wage=Decimal("2360.00"),
        pension_rate=Decimal("0.08"),
        medical_rate=Decimal("0.02"),
        unemployment_rate=Decimal("0.005"),
        housing_rate=Decimal("0.07"),
        contribution_floor=Decimal("4492.00"),
        contribution_ceiling=Decimal("26421.00"),
    )
    for who in (org.a_cm1, org.a_cm2, org.b_cm1):
        staff_services.change_posting(
            actor=org.bm1, user=who, effective_on=dt.date(2024, 6, 1), reason="定级", level=p.l3
        )
        who.refresh_from_db()
    User.objects.filter(pk=org.a_cm2.pk).update(employment_type=User.EmploymentType.PART_TIME)
    org.a_cm2.refresh_from_db()
    standard = services.create_standard(
        actor=p.fin1, branch=org.b1, effective_month=dt.date(2026, 1, 1), title="2026 年薪酬标准"
    )
    common = {
        "account_bonus": Decimal("200"),
        "valid_account_min_assets": Decimal("10000"),
        "commission_brackets": BRACKETS,
        "assets_permille": Decimal("0.1"),
    }
    services.set_standard_line(
        actor=p.fin1,
        standard=standard,
        level=p.l3,
        employment_type="full_time",
        base_pay=Decimal("3000"),
        late_deduction=Decimal("50"),
        **common,
    )
    services.set_standard_line(
        actor=p.fin1,
        standard=standard,
        level=p.l3,
        employment_type="part_time",
        base_pay=Decimal("0"),
        late_deduction=Decimal("0"),
        **common,
    )
    approve_all(services.submit_standard(actor=p.fin1, standard=standard))
    standard.refresh_from_db()
    p.standard = standard
    p.client_a = org.clients["a_cm1"].crm_code
    p.client_b = org.clients["a_cm2"].crm_code
    p.client_c = org.clients["b_cm1"].crm_code
    return p
