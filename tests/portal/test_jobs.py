"""Issue 13: large exports and imports run as background jobs — the user is
sent to a progress page, told when the job is done, and only he downloads
the file; small ones stay inline."""

import io

import pytest
from openpyxl import load_workbook

from approvals.models import Notice
from portal.models import BackgroundJob, ExportLog

pytestmark = pytest.mark.django_db


def _visible_clients(user) -> int:
    from clients.selectors import clients_for

    return clients_for(user).count()


def test_a_large_export_runs_in_the_background(
    client, org, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_EXPORT_BACKGROUND_ROWS = 1
    expected = _visible_clients(org.bm1)
    assert expected > 1
    client.force_login(org.bm1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/clients/export.xlsx")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == BackgroundJob.Status.DONE
    assert job.title == f"导出客户名单（{expected:,} 行）"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page
    assert f"共 {expected:,} 行" in page
    download = client.get(f"/jobs/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == expected + 1  # header and one row per client
    assert sheet["A1"].value == "客户号"
    assert ExportLog.objects.get(what="客户名单").rows == expected
    notice = Notice.objects.get(user=org.bm1)
    assert notice.title == f"{job.title}：已完成"
    assert notice.url == f"/jobs/{job.pk}/"
    # Someone else's job is not there at all.
    client.force_login(org.bm1.__class__.objects.get(pk=org.b_tl.pk))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_small_export_stays_inline(client, org):
    client.force_login(org.bm1)
    response = client.get("/clients/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not BackgroundJob.objects.exists()


def test_a_running_job_page_polls_itself(client, org):
    job = BackgroundJob.objects.create(
        kind="export",
        title="导出工作日志",
        user=org.a_tl,
        status=BackgroundJob.Status.RUNNING,
        done=3000,
        total=12000,
    )
    client.force_login(org.a_tl)
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial
    assert 'value="25"' in partial
    assert "（3000 / 12000）" in partial
    assert "<html" not in partial
    job.status = BackgroundJob.Status.FAILED
    job.message = "系统出错，错误已记录"
    job.save()
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial
    assert "系统出错" in partial
