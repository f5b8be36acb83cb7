"""R-6.1, R-6.4, R-6.5: the archive clerk closes a branch's month — slips,
each manager's clients and results, the signed payroll sheet, the teams'
reports, where the originals are — and the month becomes read-only; the
archive is searchable and downloads as one bundle."""

import datetime as dt
import io
import re
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from approvals.selectors import request_for
from approvals.walk import approve_all
from archives import services
from archives.models import ArchiveBundle, ArchivedClient, MonthArchive
from archives.selectors.monthly import archive_search
from payroll import services as payroll_services
from tests.archives.conftest import own_queries, pdf, upload_all
from tests.payroll.conftest import pay  # noqa: F401 -- the fixture
from tests.payroll.test_sheet import _computed, _graded_only

pytestmark = pytest.mark.django_db

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


@pytest.fixture
def month(ar, pay):  # noqa: F811 -- the payroll fixture
    """January 2026 of branch 1: a signed payroll sheet, three slips (one void)."""
    _graded_only(pay)
    sheet = payroll_services.submit_sheet(actor=pay.fin1, run=_computed(pay, JAN))
    approve_all(request_for(sheet))
    sheet.refresh_from_db()
    assert sheet.status == "signed"
    ar.sheet = sheet
    ar.slips = [
        services.issue_slip(
            actor=ar.arch1,
            manager=manager,
            new_client={"crm_code": code, "name": f"一月客户{code}"},
            opened_on=dt.date(2026, 1, day),
            issued_on=dt.date(2026, 1, day),
        )
        for manager, code, day in (
            (ar.a_cm1, "J001", 5),
            (ar.a_cm2, "J002", 12),
            (ar.b_cm1, "J003", 20),
        )
    ]
    services.void_slip(actor=ar.arch1, slip=ar.slips[2], reason="客户未成功开户")
    ar.reward = services.record_reward(
        actor=ar.a_tl,
        person=ar.a_cm1,
        date=dt.date(2026, 1, 20),
        kind="reward",
        category="praise",
        reason="一月开户第一",
        decided_by="营业部经理",
    )
    return ar


def _close(ar, month=JAN, actor=None):
    return services.close_month(
        actor=actor or ar.arch1,
        branch=ar.b1,
        month=month,
        paper_location="一号营业部档案室 3 号柜 2026 年第 1 盒",
        note="原件已装盒",
    )


def test_closing_gathers_the_month(month):
    ar = month
    archive = _close(ar)
    assert (archive.slip_count, archive.void_count) == (3, 1)
    assert (archive.first_number, archive.last_number) == ("BR01-202601-0001", "BR01-202601-0003")
    assert archive.payroll_sheet_id == ar.sheet.pk
    assert archive.payroll_title == str(ar.sheet)
    assert archive.missing_reports == ["A 团队", "B 团队"]  # no monthly report archived
    managers = {m.manager: m for m in archive.managers.all()}
    a_cm1 = managers[ar.a_cm1]
    assert (a_cm1.client_count, a_cm1.slips) == (2, 1)  # his old client and January's new one
    assert a_cm1.net_revenue == Decimal("60000.00")  # from January's CRM import
    assert a_cm1.month_end_assets == Decimal("1950000.00")
    assert a_cm1.net_pay is not None
    assert a_cm1.net_pay == ar.sheet.run.payslips.get(person=ar.a_cm1).net
    assert managers[ar.b_cm1].slips == 0  # his slip was voided
    assert ArchivedClient.objects.filter(archive=archive, manager=ar.b_cm1).count() == 2
    assert archive.client_count == ArchivedClient.objects.filter(archive=archive).count() == 8


def test_a_closed_month_is_read_only(month):
    ar = month
    _close(ar)
    with pytest.raises(ValidationError, match="2026年01月已月度归档"):
        services.issue_slip(
            actor=ar.arch1,
            manager=ar.a_cm1,
            new_client={"crm_code": "J009", "name": "迟到的客户"},
            opened_on=dt.date(2026, 1, 30),
            issued_on=dt.date(2026, 1, 31),
        )
    with pytest.raises(ValidationError, match="已月度归档"):
        services.void_slip(actor=ar.arch1, slip=ar.slips[0], reason="改错")
    with pytest.raises(ValidationError, match="已月度归档"):
        services.record_reward(
            actor=ar.a_tl,
            person=ar.a_cm2,
            date=dt.date(2026, 1, 15),
            kind="penalty",
            category="warning",
            reason="补记",
            decided_by="团队负责人",
        )
    with pytest.raises(ValidationError, match="已月度归档"):
        services.revoke_reward(actor=ar.a_tl, entry=ar.reward, reason="撤销")
    with pytest.raises(ValidationError, match="已月度归档"):
        services.update_reward(
            actor=ar.a_tl,
            entry=ar.reward,
            date=dt.date(2026, 2, 3),
            kind="reward",
            category="praise",
            reason="改到二月",
            decided_by="营业部经理",
            change_reason="日期填错",
        )
    documents = upload_all(ar, ar.newbie, kinds=("id_copy",))
    with pytest.raises(ValidationError, match="已月度归档"):
        services.verify_document(
            actor=ar.arch1,
            document=documents["id_copy"],
            method="original",
            result="genuine",
            on=dt.date(2026, 1, 10),
        )
    with pytest.raises(ValidationError, match="已月度归档"):
        services.create_contract(
            actor=ar.arch1,
            person=ar.newbie,
            starts_on=dt.date(2026, 3, 2),
            signed_on=dt.date(2026, 1, 28),
            original_location="档案室",
            upload=pdf(),
        )
    # Another branch, and the next month, are still open.
    services.issue_slip(
        actor=ar.arch2,
        manager=ar.c_cm,
        new_client={"crm_code": "J010", "name": "二部客户"},
        opened_on=dt.date(2026, 1, 30),
        issued_on=dt.date(2026, 1, 31),
    )
    services.record_reward(
        actor=ar.a_tl,
        person=ar.a_cm2,
        date=dt.date(2026, 2, 2),
        kind="penalty",
        category="warning",
        reason="二月",
        decided_by="团队负责人",
    )


def test_what_refuses_a_close(month):
    ar = month
    with pytest.raises(ValidationError, match="薪酬月报表尚未签批完成"):
        _close(ar, month=FEB)
    with pytest.raises(ValidationError, match="只能归档已经结束的月份"):
        _close(ar, month=dt.date(2026, 6, 1))
    for outsider in (ar.bm1, ar.a_tl, ar.arch2, ar.hr1):
        with pytest.raises(ValidationError, match="只有本营业部交易管理岗"):
            _close(ar, actor=outsider)
    with pytest.raises(ValidationError, match="纸质原件的存放位置"):
        services.close_month(actor=ar.arch1, branch=ar.b1, month=JAN, paper_location=" ")
    _close(ar)
    with pytest.raises(ValidationError, match="该月已归档"):
        _close(ar)


def test_the_bundle_is_built_in_the_background_for_its_requester(
    month, client, django_capture_on_commit_callbacks, tmp_path
):
    ar = month
    archive = _close(ar)
    with django_capture_on_commit_callbacks(execute=True):
        bundle = services.request_bundle(actor=ar.bm1, archive=archive)
    bundle.refresh_from_db()
    assert bundle.status == ArchiveBundle.Status.READY, bundle.error
    content = bundle.attachment.file.read()
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert names == [
        "00-BR01-202601-归档说明.pdf",
        "01-BR01-202601-客户确认单登记表.pdf",
        "02-BR01-202601-客户确认单.pdf",
        "03-BR01-202601-客户经理客户及业绩.pdf",
        "04-BR01-202601-薪酬月报表.pdf",
        "BR01-202601-归档索引.xlsx",
    ]
    bundle_zip = zipfile.ZipFile(io.BytesIO(content))
    (tmp_path / "cover.pdf").write_bytes(bundle_zip.read(names[0]))
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "cover.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "一号营业部档案室 3 号柜 2026 年第 1 盒" in text
    assert "打印：一部经理（bm1）" in text  # the requester's name on every page
    (tmp_path / "slips.pdf").write_bytes(bundle_zip.read(names[2]))
    pages = subprocess.run(
        ["pdfinfo", str(tmp_path / "slips.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+3$", pages, re.M)  # one page per slip, the void one too
    index = load_workbook(io.BytesIO(bundle_zip.read(names[-1])), read_only=True)
    assert index.sheetnames == ["文件目录", "客户确认单", "客户经理业绩", "客户明细"]
    slips = list(index["客户确认单"].iter_rows(values_only=True))
    assert [r[0] for r in slips[1:]] == [s.number for s in ar.slips]
    clients = list(index["客户明细"].iter_rows(values_only=True))
    assert len(clients) - 1 == archive.client_count
    # Downloaded through /files/<id>/ by the requester only, and logged.
    download = f"/files/{bundle.attachment_id}/"
    client.force_login(ar.arch1)
    assert client.get(download).status_code == 404
    client.force_login(ar.bm1)
    assert client.get(download).status_code == 200


def test_the_archive_is_searchable_within_scope(month):
    ar = month
    _close(ar)
    number = ar.slips[1].number
    results = archive_search(ar.arch1, number)
    assert [s.number for s in results["slips"]] == [number]
    assert results["slips"][0].archive_id == MonthArchive.objects.get().pk
    results = archive_search(ar.bm1, "J001")
    assert [c.crm_code for c in results["clients"]] == ["J001"]
    results = archive_search(ar.arch1, "a_cm1")
    assert [m.manager for m in results["managers"]] == [ar.a_cm1]
    assert archive_search(ar.arch2, number) == {"slips": [], "clients": [], "managers": []}
    # An open month's slips are not in the archive search.
    services.issue_slip(
        actor=ar.arch1,
        manager=ar.a_cm1,
        new_client={"crm_code": "F001", "name": "二月客户"},
        opened_on=dt.date(2026, 2, 3),
        issued_on=dt.date(2026, 2, 3),
    )
    assert archive_search(ar.arch1, "F001")["slips"] == []


def test_the_pages_of_the_monthly_archive(month, client):
    ar = month
    client.force_login(ar.arch1)
    months = client.get("/archives/months/")
    (row,) = months.context["rows"]
    assert [m["month"] for m in row["months"]][:5] == [
        dt.date(2026, 5, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 3, 1),
        FEB,
        JAN,
    ]
    preview = client.get(f"/archives/months/{ar.b1.pk}/2026-01/close/")
    assert preview.context["refusals"] == []
    assert preview.context["data"]["slips"]["issued"] == 3
    response = client.post(
        f"/archives/months/{ar.b1.pk}/2026-01/close/",
        {"paper_location": "档案室 3 号柜", "note": ""},
    )
    archive = MonthArchive.objects.get()
    assert response.url == f"/archives/months/archive/{archive.pk}/"
    detail = client.get(response.url)
    assert len(detail.context["managers"]) == archive.manager_count
    client.post(
        f"/archives/months/archive/{archive.pk}/location/",
        {"paper_location": "总部档案库 A 区", "reason": "移交总部"},
    )
    archive.refresh_from_db()
    assert archive.paper_location == "总部档案库 A 区"
    assert archive.history.first().history_change_reason == "移交总部"
    assert client.get("/archives/search/", {"q": "J002"}).context["count"] == 2  # slip + client
    for outsider in (ar.a_tl, ar.a_cm1, ar.arch2, ar.hr1):
        client.force_login(outsider)
        assert client.get(f"/archives/months/archive/{archive.pk}/").status_code in (403, 404)
    client.force_login(ar.bm1)
    assert client.get(f"/archives/months/archive/{archive.pk}/").status_code == 200
    assert client.get(f"/archives/months/{ar.b1.pk}/2026-02/close/").status_code == 403


def test_archive_pages_pin_their_query_counts(month, client):
    ar = month
    archive = _close(ar)
    client.force_login(ar.arch1)
    url = f"/archives/months/archive/{archive.pk}/"
    # the archive, its managers, the counter, the slips, the bundles, the history
    detail, _ = own_queries(client, url)
    clients, response = own_queries(client, f"{url}clients/")
    assert len(response.context["page_obj"]) == 8
    months, _ = own_queries(client, "/archives/months/")
    assert (detail, clients, months) == (6, 3, 2)
