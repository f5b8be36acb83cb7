"""R-1.1: each team's management & pay rules, drafted by its leader, filed
with 渠道管理部 through the approval engine, with checked attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services as approvals
from portal.models import Attachment, ExportLog
from teams.models import FilingStatus, TeamFiling
from tests.approvals.helpers import filing, fresh, only_open

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_the_team_leader_drafts_edits_attaches_and_submits(client, org):
    client.force_login(org.a_tl)
    response = client.post(
        "/teams/filings/new/?kind=rules",
        {
            "team": org.team_a.pk,
            "title": "2026 年管理及薪酬细则",
            "content": "一、考勤\n二、薪酬",
            "effective_from": "2026-01-01",
        },
    )
    f = TeamFiling.objects.get()
    assert response.url == f"/teams/filings/{f.pk}/"
    assert (f.version, f.status, f.prepared_by) == (1, FilingStatus.DRAFT, org.a_tl)
    client.post(
        f"/teams/filings/{f.pk}/edit/",
        {"title": "2026 年细则（修订）", "content": "一、考勤\n二、薪酬\n三、奖惩"},
    )
    f.refresh_from_db()
    assert f.title == "2026 年细则（修订）"
    client.post(
        f"/teams/filings/{f.pk}/attach/",
        {"file": SimpleUploadedFile("细则.pdf", PDF, "application/pdf")},
    )
    client.post(
        f"/teams/filings/{f.pk}/attach/", {"file": SimpleUploadedFile("测算.docx", _docx())}
    )
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == ["docx", "pdf"]
    response = client.post(f"/teams/filings/{f.pk}/submit/", {"opinion": "请审核"}, follow=True)
    assert "已报批，当前步骤：营业部经理审核" in response.content.decode()
    f.refresh_from_db()
    assert f.status == FilingStatus.PENDING
    # Read-only while pending: no edit page, no uploads.
    assert client.get(f"/teams/filings/{f.pk}/edit/").status_code == 403
    refused = client.post(
        f"/teams/filings/{f.pk}/attach/", {"file": SimpleUploadedFile("x.pdf", PDF)}, follow=True
    )
    assert "报批中，不能修改" in refused.content.decode()


def test_only_a_team_leader_may_draft(client, org):
    client.force_login(org.a_cm1)
    assert client.get("/teams/filings/new/?kind=rules").status_code == 403
    client.force_login(org.a_tl)
    response = client.post(
        "/teams/filings/new/?kind=rules", {"team": org.team_b.pk, "title": "x", "content": "y"}
    )
    assert "选择一个有效的选项" in response.content.decode()


def test_uploads_are_checked_by_content_and_size(client, org, settings):
    f = filing(org)
    client.force_login(org.a_tl)
    fake = client.post(
        f"/teams/filings/{f.pk}/attach/",
        {"file": SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "内容不是允许的类型" in fake.content.decode()
    settings.PORTAL_UPLOAD_MAX_MB = 0
    big = client.post(
        f"/teams/filings/{f.pk}/attach/", {"file": SimpleUploadedFile("大.pdf", PDF)}, follow=True
    )
    assert "超过 0 MB" in big.content.decode()
    assert not Attachment.objects.exists()


def test_downloads_check_access_and_are_logged(client, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    f = filing(org)
    client.force_login(org.a_tl)
    client.post(f"/teams/filings/{f.pk}/attach/", {"file": SimpleUploadedFile("细则.pdf", PDF)})
    item = Attachment.objects.get()
    assert str(tmp_path) in item.file.path  # outside the static root
    response = client.get(f"/files/{item.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert ExportLog.objects.filter(user=org.a_tl, format="file").count() == 1
    client.force_login(org.c_tl)  # another branch
    assert client.get(f"/files/{item.pk}/").status_code == 404
    client.force_login(org.a_cm1)  # a member sees the rules only once approved
    assert client.get(f"/files/{item.pk}/").status_code == 404


def test_members_read_their_teams_approved_rules(client, org):
    f = filing(org)
    req = approvals.submit_request(actor=org.a_tl, subject=f, flow_code="team_rules")
    client.force_login(org.a_cm1)
    assert client.get(f"/teams/filings/{f.pk}/").status_code == 404
    approvals.approve_task(actor=org.bm1, task=only_open(req))
    approvals.approve_task(actor=org.chan, task=only_open(fresh(req)))
    assert client.get(f"/teams/filings/{f.pk}/").status_code == 200
    assert [x.pk for x in client.get("/teams/filings/").context["page_obj"]] == [f.pk]
    client.force_login(org.b_cm1)
    assert client.get(f"/teams/filings/{f.pk}/").status_code == 404


def test_rules_list_is_scoped(client, org):
    a, b, c = filing(org), filing(org, team=org.team_b), filing(org, team=org.team_c)
    expectations = {
        org.a_tl: {a.pk},
        org.bm1: {a.pk, b.pk},
        org.office: {a.pk, b.pk, c.pk},
        org.comp1: set(),
    }
    for user, expected in expectations.items():
        client.force_login(user)
        assert {x.pk for x in client.get("/teams/filings/").context["page_obj"]} == expected, user
