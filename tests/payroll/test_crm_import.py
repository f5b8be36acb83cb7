"""R-5.1: the month's CRM import — every row validated, previewed, all or
nothing, versioned, reviewed by a second finance person."""

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from clients import services as client_services
from clients.models import Client, ClientAssignment, CrmFigure, CrmImport
from payroll.models import PayrollRun
from tests.payroll.conftest import HEADERS, crm_file, import_month

pytestmark = pytest.mark.django_db

MAR = dt.date(2026, 3, 1)


def _upload(pay, upload):
    return client_services.upload_crm(actor=pay.fin1, branch=pay.org.b1, month=MAR, upload=upload)


def _problems(batch) -> list[str]:
    return [f"第{p['row']}行{p['column']}：{p['message']}" for p in batch.problems]


def test_a_good_file_imports_with_leading_zeros_and_new_clients(pay):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", 1234.5, 800000])
    ws.append(["00012345", "新开户客户", "a_cm2", dt.date(2026, 3, 9), "0", "20000.00"])
    buffer = io.BytesIO()
    wb.save(buffer)
    batch = _upload(pay, SimpleUploadedFile("三月.xlsx", buffer.getvalue()))
    assert batch.problems == []
    crm = client_services.commit_crm(actor=pay.fin1, batch=batch)
    new = Client.objects.get(crm_code="00012345")  # leading zeros kept
    assert new.manager == pay.org.a_cm2
    assert ClientAssignment.objects.get(client=new).source == ClientAssignment.Source.IMPORT
    figures = {
        f.client.crm_code: f
        for f in CrmFigure.objects.filter(crm_import=crm).select_related("client")
    }
    assert figures[pay.client_a].net_revenue == Decimal("1234.50")
    assert figures["00012345"].new_account is True
    assert figures[pay.client_a].new_account is False
    assert crm.reviewed_at is None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(pay, encoding):
    batch = _upload(
        pay,
        crm_file([(pay.client_a, "甲经理一的客户", "a_cm1", "", "100", "1000")], encoding=encoding),
    )
    assert batch.problems == []
    assert client_services.commit_crm(actor=pay.fin1, batch=batch).row_count == 1


def test_bad_rows_are_each_named_and_nothing_is_written(pay):
    rows = [
        (pay.client_a, "甲经理一的客户", "a_cm1", "", "一千", "1000"),  # text in a number cell
        ("00000777", "某客户", "nobody", "", "10", "10"),  # unknown manager
        ("00000778", "某客户", "c_cm", "", "10", "10"),  # another branch's manager
        ("00000779", "客户甲", "a_cm1", "2026/03/05", "10", "-5"),  # negative assets
        ("00000779", "客户甲重复", "a_cm1", "", "10", "10"),  # duplicate client
        (
            "00000780",
            "某客户",
            "a_cm1",
            "2026-04-02",
            "10.123",
            "10",
        ),  # opened after the month; 3 decimals
    ]
    batch = _upload(pay, crm_file(rows))
    assert _problems(batch) == [
        "第2行当月净收入：“一千”应为数字",
        "第3行客户经理工号：“nobody”不存在",
        "第4行客户经理工号：丙经理（c_cm）不属于本营业部",
        "第5行月末资产：不能为负数",
        "第6行客户号：“00000779”与第 5 行重复",
        "第7行开户日期：晚于导入月份",
        "第7行当月净收入：“10.123”超出范围或小数超过两位",
    ]
    with pytest.raises(ValidationError, match="7 处问题"):
        client_services.commit_crm(actor=pay.fin1, batch=batch)
    assert not CrmImport.objects.exists()
    assert not Client.objects.filter(crm_code__startswith="0000077").exists()


def test_wrong_columns_empty_files_and_rubbish(pay):
    wrong = SimpleUploadedFile("x.csv", "编号,名字\n1,2\n".encode())
    assert "缺少这一列" in _problems(_upload(pay, wrong))[0]
    empty = SimpleUploadedFile("empty.csv", b"")
    assert _problems(_upload(pay, empty)) == ["第1行：文件是空的。"]
    header_only = crm_file([])
    assert _problems(_upload(pay, header_only)) == ["第2行：文件中没有数据行。"]
    rubbish = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + os.urandom(10 * 1024 * 1024 - 100))
    assert "无法读取该 Excel 文件" in _problems(_upload(pay, rubbish))[0]
    binary = SimpleUploadedFile("big.csv", os.urandom(2 * 1024 * 1024))
    assert _problems(_upload(pay, binary))[0].startswith("第1行：")
    assert not CrmImport.objects.exists()


def test_a_client_owned_by_someone_else_that_month_is_flagged_not_refused(pay):
    rows = [(pay.client_a, "甲经理一的客户", "a_cm2", "", "500", "1000")]
    crm = import_month(pay, MAR, rows, review=False)
    figure = CrmFigure.objects.get(crm_import=crm)
    assert figure.flagged
    assert figure.registry_owner == pay.org.a_cm1
    assert figure.manager == pay.org.a_cm2
    assert crm.flagged_count == 1


def test_a_reimport_is_a_new_version_and_both_are_kept(pay):
    first = import_month(pay, MAR, [(pay.client_a, "甲经理一的客户", "a_cm1", "", "100", "1000")])
    second = import_month(
        pay, MAR, [(pay.client_a, "甲经理一的客户", "a_cm1", "", "200", "1000")], review=False
    )
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == ("superseded", "current", 2)
    assert CrmFigure.objects.filter(crm_import=first).get().net_revenue == Decimal("100")
    assert second.batch.file.name  # the original file is archived


def test_the_reviewer_cannot_be_the_importer_and_pay_waits_for_the_review(pay):
    crm = import_month(
        pay, MAR, [(pay.client_a, "甲经理一的客户", "a_cm1", "", "100", "1000")], review=False
    )
    from payroll import services

    with pytest.raises(ValidationError, match="尚未复核"):
        services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)
    with pytest.raises(ValidationError, match="复核须由导入人以外的另一名财务人员办理"):
        client_services.review_crm_import(actor=pay.fin1, crm_import=crm)
    with pytest.raises(ValidationError, match="只有本营业部的财务人员可以复核"):
        client_services.review_crm_import(actor=pay.org.bm1, crm_import=crm)
    client_services.review_crm_import(actor=pay.fin2, crm_import=crm)
    assert services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR).crm_import == crm


def test_a_month_whose_pay_is_signed_cannot_be_reimported(pay):
    from payroll import services

    import_month(pay, MAR, [(pay.client_a, "甲经理一的客户", "a_cm1", "", "100", "1000")])
    run = services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)
    PayrollRun.objects.filter(pk=run.pk).update(locked_at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match="薪酬月报表已开始签批"):
        _upload(pay, crm_file([(pay.client_a, "甲经理一的客户", "a_cm1", "", "100", "1000")]))
    with pytest.raises(ValidationError, match="薪酬月报表已开始签批"):
        services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=MAR)


def test_only_branch_finance_imports(pay):
    with pytest.raises(ValidationError):
        client_services.upload_crm(
            actor=pay.org.a_tl, branch=pay.org.b1, month=MAR, upload=crm_file([])
        )


def test_the_import_pages(client, pay):
    client.force_login(pay.fin1)
    template = client.get("/payroll/crm/template.xlsx")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(
        "/payroll/crm/upload/",
        {
            "branch": pay.org.b1.pk,
            "month": "2026-03",
            "file": crm_file([(pay.client_a, "甲", "a_cm1", "", "1", "2")]),
        },
    )
    preview = client.get(response.url)
    assert "确认导入" in preview.content.decode()
    done = client.post(response.url, follow=True)
    assert "请另一名财务人员复核" in done.content.decode()
    crm = CrmImport.objects.get()
    assert "复核通过" not in done.content.decode()  # not for the importer
    client.force_login(pay.fin2)
    client.post(f"/payroll/crm/{crm.pk}/review/")
    crm.refresh_from_db()
    assert crm.reviewed_by == pay.fin2
