"""The staff list as Excel and PDF: Chinese headers, codes as text, frozen
header, masked identities, a CJK font embedded, a watermark, and a log."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from portal.models import ExportLog
from tests.conftest import A_CM1_ID

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def test_excel_has_chinese_headers_text_codes_and_a_frozen_header(client, org):
    org.a_cm1.employee_no = "007001"
    org.a_cm1.save()
    client.force_login(org.fin1)
    ws = _sheet(client.get("/staff/export.xlsx", {"q": "甲经理一"}))
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["工号", "姓名", "营业部", "团队"]
    assert ws.freeze_panes == "A2"
    row = dict(zip(headers, ws[2], strict=True))
    assert row["工号"].value == "007001"  # leading zeros kept
    assert row["工号"].number_format == "@"
    assert row["身份证号"].value == A_CM1_ID  # finance sees it in full
    assert row["身份证号"].data_type == "s"
    assert row["入职日期"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width == 10


def test_excel_masks_identity_for_a_team_leader(client, org):
    client.force_login(org.a_tl)
    ws = _sheet(client.get("/staff/export.xlsx", {"q": "甲经理一"}))
    headers = [c.value for c in ws[1]]
    row = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert row["身份证号"] == "*" * 14 + A_CM1_ID[-4:]


def test_pdf_embeds_a_cjk_font_and_carries_the_watermark(client, org, tmp_path):
    client.force_login(org.bm1)
    response = client.get("/staff/export.pdf", {"team": org.team_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "staff.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts, fonts  # glyphs render only with a CJK font embedded
    embedded = [line for line in fonts.splitlines() if "CJK" in line]
    assert all(" yes " in line for line in embedded), fonts
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    raw = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "人员名单" in text
    assert "甲经理一" in text
    assert "一部经理\nbm1 " in raw  # watermark: downloader's name and 工号
    assert "第 1 页 / 共 1 页" in raw
    log = ExportLog.objects.get(user=org.bm1)
    assert (log.format, log.rows, log.filters) == ("pdf", 5, {"team": str(org.team_a.pk)})


def test_pdf_refuses_more_rows_than_it_can_print(client, org, monkeypatch):
    from staff import views

    monkeypatch.setattr(views, "PDF_MAX_ROWS", 3)
    client.force_login(org.bm1)
    response = client.get("/staff/export.pdf", follow=True)
    assert "PDF 最多打印 3 人" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_excel_export_query_count_does_not_grow_with_rows(
    client, org, django_assert_max_num_queries
):
    from tests.staff.factories import person

    for i in range(40):
        person(group=org.a2, outlet=org.o1, employee_no=f"bulk{i:03d}")
    client.force_login(org.bm1)
    with django_assert_max_num_queries(12):
        client.get("/staff/export.xlsx")
