"""Issue 13: a large CRM import commits in the background, all or nothing."""

import pytest

from clients.models import Client, CrmFigure, CrmImport
from portal.models import BackgroundJob
from tests.payroll.conftest import crm_file

pytestmark = pytest.mark.django_db


def test_a_large_crm_import_commits_in_the_background(
    client, pay, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_IMPORT_BACKGROUND_ROWS = 1
    client.force_login(pay.fin1)
    rows = [
        (pay.client_a, "甲经理一的客户", "a_cm1", "", "100.50", "1000"),
        ("00077777", "新客户", "a_cm2", "2026-03-09", "0", "20000"),
    ]
    upload = client.post(
        "/payroll/crm/upload/",
        {"branch": pay.org.b1.pk, "month": "2026-03", "file": crm_file(rows)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload.url)
    job = BackgroundJob.objects.get(kind="crm_import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == BackgroundJob.Status.DONE, job.message
    crm = CrmImport.objects.get()
    assert CrmFigure.objects.filter(crm_import=crm).count() == 2
    assert Client.objects.filter(crm_code="00077777").exists()
    assert job.result_url == f"/payroll/crm/{crm.pk}/"
    assert "请另一名财务人员复核" in job.message
    # Posting the same batch again fails as a job, with the reason, and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload.url)
    again = BackgroundJob.objects.filter(kind="crm_import").latest("id")
    assert again.status == BackgroundJob.Status.FAILED
    assert again.message == "该导入批次已处理。"
    assert CrmImport.objects.count() == 1
