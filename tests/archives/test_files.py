"""R-6.3: the personnel file's checklist by employment type, the
recruitment check, activation only when complete and checked, uploads
checked by content and served only inside the file's scope."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from archives import selectors, services
from archives.models import REQUIRED_DOCUMENTS, FileDocument
from portal.models import Attachment, ExportLog
from staff import services as staff_services
from staff.models import User
from tests.archives.conftest import (
    PDF,
    complete_file,
    own_queries,
    pdf,
    png,
    sign_contract,
    upload_all,
    verify_all,
)
from tests.staff.factories import person

pytestmark = pytest.mark.django_db


def _state(status):
    return {item.code: item.state for item in status.items}


def test_a_new_file_lists_every_required_document_and_the_contract_by_employment_type(ar):
    status = selectors.file_status(ar.newbie)
    assert [i.label for i in status.items] == [
        "一寸免冠照片",
        "个人简历",
        "身份证复印件",
        "学历证书复印件",
        "担保书",
        "担保人身份证复印件",
        "劳动合同",
    ]
    assert status.missing == [i.label for i in status.items]
    User.objects.filter(pk=ar.newbie.pk).update(employment_type="part_time")
    ar.newbie.refresh_from_db()
    assert selectors.file_status(ar.newbie).items[-1].label == "营销合作协议"


def test_certificates_wait_for_their_check_and_other_documents_do_not(ar):
    upload_all(ar, ar.newbie)
    state = _state(selectors.file_status(ar.newbie))
    assert state == {
        "photo": "ok",
        "resume": "ok",
        "id_copy": "unverified",
        "diploma": "unverified",
        "guarantee": "ok",
        "guarantor_id": "unverified",
        "contract": "missing",
    }


def test_the_person_stays_onboarding_until_the_file_is_complete_and_checked(ar):
    documents = upload_all(ar, ar.newbie)
    with pytest.raises(ValidationError) as exc:
        services.activate_person(actor=ar.arch1, person=ar.newbie, on=dt.date(2026, 6, 15))
    assert exc.value.messages == [
        "人员档案缺少：劳动合同。",
        "以下证件尚未核验真伪：身份证复印件、学历证书复印件、担保人身份证复印件。",
    ]
    sign_contract(ar, ar.newbie)
    verify_all(ar, documents)
    person = services.activate_person(actor=ar.arch1, person=ar.newbie, on=dt.date(2026, 6, 15))
    assert person.status == User.Status.ACTIVE
    assert person.history.first().history_change_reason == "档案齐全、证件核验属实，转为在岗"


def test_the_guard_also_holds_for_a_status_change_from_anywhere_else(ar):
    """Registered with staff.services: no side door to *active*."""
    with pytest.raises(ValidationError) as exc:
        staff_services.change_status(
            actor=ar.bm1, user=ar.newbie, status=User.Status.ACTIVE, on=dt.date(2026, 6, 15)
        )
    assert "人员档案缺少" in exc.value.messages[0]
    # Leaving and coming back is not an onboarding: not guarded.
    staff_services.change_status(
        actor=ar.bm1, user=ar.a_cm1, status=User.Status.LEAVING, on=dt.date(2026, 6, 1)
    )
    staff_services.change_status(
        actor=ar.bm1, user=ar.a_cm1, status=User.Status.ACTIVE, on=dt.date(2026, 6, 2)
    )


def test_a_failed_check_blocks_activation_and_names_the_certificate(ar):
    documents, _contract = complete_file(ar, ar.newbie)
    services.verify_document(
        actor=ar.arch1,
        document=documents["diploma"],
        method="chsi",
        result="failed",
        on=dt.date(2026, 6, 10),
        note="学信网查无此证书编号",
    )
    assert selectors.activation_problems(ar.newbie) == ["以下证件核验不符：学历证书复印件。"]
    with pytest.raises(ValidationError, match="核验不符时请写明情况"):
        services.verify_document(
            actor=ar.arch1,
            document=documents["id_copy"],
            method="police",
            result="failed",
            on=dt.date(2026, 6, 10),
        )


def test_a_replaced_document_is_kept_and_its_replacement_needs_a_new_check(ar):
    documents, _contract = complete_file(ar, ar.newbie)
    old = documents["id_copy"]
    new = services.upload_document(
        actor=ar.a_tl, person=ar.newbie, kind="id_copy", upload=pdf("新身份证.pdf")
    )
    old.refresh_from_db()
    assert old.replaced_at is not None
    assert old.replaced_by == ar.a_tl
    assert old.verify_result == "genuine"  # the old check stays on the old copy
    assert list(selectors.replaced_documents(ar.newbie)) == [old]
    assert selectors.file_status(ar.newbie).unverified == ["身份证复印件"]
    with pytest.raises(ValidationError, match="已被新版本替换"):
        services.verify_document(
            actor=ar.arch1,
            document=old,
            method="original",
            result="genuine",
            on=dt.date(2026, 6, 1),
        )
    assert new.attachment.original_name == "新身份证.pdf"


def test_the_check_is_the_clerks_and_never_the_persons_own(ar):
    documents = upload_all(ar, ar.arch1, kinds=("id_copy",))
    with pytest.raises(ValidationError, match="本人不能核验"):
        services.verify_document(
            actor=ar.arch1,
            document=documents["id_copy"],
            method="original",
            result="genuine",
            on=dt.date(2026, 6, 1),
        )
    documents = upload_all(ar, ar.newbie, kinds=("id_copy",))
    for outsider in (ar.a_tl, ar.bm1, ar.arch2):
        with pytest.raises(ValidationError):
            services.verify_document(
                actor=outsider,
                document=documents["id_copy"],
                method="original",
                result="genuine",
                on=dt.date(2026, 6, 1),
            )
    with pytest.raises(ValidationError, match="核验日期不能晚于今天"):
        services.verify_document(
            actor=ar.arch1,
            document=documents["id_copy"],
            method="original",
            result="genuine",
            on=dt.date(2026, 6, 16),
        )


def test_who_may_upload(ar):
    for actor in (ar.arch1, ar.a_tl):
        services.upload_document(actor=actor, person=ar.newbie, kind="other", upload=pdf())
    for outsider in (ar.newbie, ar.a_cm1, ar.b_tl, ar.arch2, ar.hr1, ar.fin1):
        with pytest.raises(ValidationError):
            services.upload_document(actor=outsider, person=ar.newbie, kind="other", upload=pdf())
    assert FileDocument.objects.filter(person=ar.newbie, kind="other").count() == 2


# -- uploads are checked by content ------------------------------------------------------


def test_an_executable_renamed_pdf_is_refused(ar):
    exe = pdf("简历.pdf", content=b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError, match="内容不是允许的类型"):
        services.upload_document(actor=ar.arch1, person=ar.newbie, kind="resume", upload=exe)
    # Word files are documents elsewhere, but not here: images and PDF only.
    docx = pdf("简历.docx", content=b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        services.upload_document(actor=ar.arch1, person=ar.newbie, kind="resume", upload=docx)
    assert not FileDocument.objects.exists()
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused(ar, settings):
    settings.PORTAL_UPLOAD_MAX_MB = 1
    big = pdf("大文件.pdf", content=PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="超过 1 MB"):
        services.upload_document(actor=ar.arch1, person=ar.newbie, kind="resume", upload=big)
    assert not FileDocument.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.pdf", "..\\..\\windows\\system32\\简历.pdf", ".htaccess", "a\x00b.pdf"],
)
def test_path_tricks_in_the_name_stay_inside_the_media_folder(ar, settings, name):
    document = services.upload_document(
        actor=ar.arch1, person=ar.newbie, kind="resume", upload=pdf(name)
    )
    stored = Path(document.attachment.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "archives")
    assert stored.suffix == ".pdf"
    shown = document.attachment.original_name
    assert "/" not in shown
    assert "\\" not in shown
    assert not shown.startswith(".")
    assert "\x00" not in shown
    assert shown.endswith(".pdf")


def test_the_listed_name_follows_the_content(ar):
    document = services.upload_document(
        actor=ar.arch1, person=ar.newbie, kind="photo", upload=png("照片.pdf")
    )
    assert document.attachment.original_name == "照片.png"
    assert document.attachment.kind == "png"


# -- access ---------------------------------------------------------------------------------


def test_the_file_and_its_documents_are_404_outside_the_scope(client, ar):
    documents = upload_all(ar, ar.newbie, kinds=("id_copy",))
    download = f"/files/{documents['id_copy'].attachment_id}/"
    page = f"/archives/people/{ar.newbie.pk}/"
    for outsider in (ar.b_tl, ar.c_tl, ar.arch2, ar.a_cm1, ar.a_gl, ar.a_rm, ar.fin1, ar.office):
        client.force_login(outsider)
        assert client.get(page).status_code == 404, outsider
        assert client.get(download).status_code == 404, outsider
    for insider in (ar.newbie, ar.a_tl, ar.arch1, ar.bm1, ar.dep1, ar.hr1):
        client.force_login(insider)
        assert client.get(page).status_code == 200, insider
        response = client.get(download)
        assert response.status_code == 200, insider
        assert b"".join(response.streaming_content) == PDF
    assert ExportLog.objects.filter(format="file").count() == 6  # every download logged


def test_the_person_page_shows_a_file_panel_to_those_who_may_open_the_file(client, ar):
    upload_all(ar, ar.newbie, kinds=("photo",))
    client.force_login(ar.a_tl)
    panels = client.get(f"/staff/{ar.newbie.pk}/").context["panels"]
    panel = next(p for p in panels if p["code"] == "archives")
    assert panel["status"].present == 1
    assert panel["url"] == f"/archives/people/{ar.newbie.pk}/"
    client.force_login(ar.a_gl)  # sees the person (his group? no: other group) — no file panel
    response = client.get(f"/staff/{ar.a_cm1.pk}/")
    assert all(p["code"] != "archives" for p in response.context["panels"])


def test_views_upload_and_verify(client, ar):
    client.force_login(ar.a_tl)
    response = client.post(
        f"/archives/people/{ar.newbie.pk}/upload/",
        {"kind": "diploma", "upload": pdf("学历.pdf"), "note": "本科"},
    )
    assert response.status_code == 302
    document = FileDocument.objects.get(person=ar.newbie, kind="diploma")
    assert (
        client.get(f"/archives/people/{ar.newbie.pk}/documents/{document.pk}/verify/").status_code
        == 403
    )
    client.force_login(ar.arch1)
    response = client.post(
        f"/archives/people/{ar.newbie.pk}/documents/{document.pk}/verify/",
        {"method": "chsi", "result": "genuine", "on": "2026-06-14", "note": ""},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.verified_by, document.verified_on, document.verify_method) == (
        ar.arch1,
        dt.date(2026, 6, 14),
        "chsi",
    )
    # A refused upload comes back onto the form.
    response = client.post(
        f"/archives/people/{ar.newbie.pk}/upload/",
        {"kind": "resume", "upload": pdf("x.pdf", content=b"#!/bin/sh\nrm -rf /\n")},
    )
    assert response.status_code == 200
    assert "内容不是允许的类型" in response.content.decode()


def test_activation_from_the_page(client, ar):
    complete_file(ar, ar.newbie)
    client.force_login(ar.a_tl)
    page = client.get(f"/archives/people/{ar.newbie.pk}/")
    assert page.context["status"].ready
    assert page.context["can_activate"]
    client.post(f"/archives/people/{ar.newbie.pk}/activate/", {"on": "2026-06-15"})
    ar.newbie.refresh_from_db()
    assert ar.newbie.status == User.Status.ACTIVE


def test_a_client_manager_goes_straight_to_his_own_file(client, ar):
    client.force_login(ar.a_cm1)
    response = client.get("/archives/")
    assert response.status_code == 302
    assert response.url == f"/archives/people/{ar.a_cm1.pk}/"
    assert client.get("/archives/completeness/").status_code == 403
    assert client.get("/archives/export.xlsx").status_code == 403


# -- lists ------------------------------------------------------------------------------------


def _many_people(ar, n: int, offset: int):
    """People of team A with part of their file: documents, checks, a contract."""
    for i in range(n):
        someone = person(group=ar.a2, outlet=ar.o1, employee_no=f"f{offset + i:03d}")
        kinds = REQUIRED_DOCUMENTS[: 2 + i % 5]
        documents = upload_all(ar, someone, kinds=kinds)
        if i % 2:
            verify_all(ar, documents)
        if i % 3 == 0:
            sign_contract(ar, someone)


def test_file_list_completeness_and_export_pin_their_query_counts(client, ar):
    client.force_login(ar.arch1)
    _many_people(ar, 2, 0)
    few = [
        own_queries(client, url)[0]
        for url in ("/archives/", "/archives/completeness/", "/archives/export.xlsx")
    ]
    _many_people(ar, 25, 100)
    # the team filter's teams, the count, the page (documents and contract as subqueries)
    many_list, response = own_queries(client, "/archives/", {"state": "incomplete"})
    assert len(response.context["page_obj"]) >= 25
    assert all(p.missing for p in response.context["page_obj"])
    # teams, branches (count and list), the people with their flags
    many_gaps, response = own_queries(client, "/archives/completeness/")
    assert (
        sum(row["people"] for row in response.context["rows"])
        == User.objects.filter(branch=ar.b1).exclude(status=User.Status.LEFT).count()
    )
    many_export, _ = own_queries(client, "/archives/export.xlsx")
    assert few == [many_list, many_gaps, many_export]
