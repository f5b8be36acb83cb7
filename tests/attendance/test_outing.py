"""营销人员出访单 (R-2.6): filed before leaving, optionally with a photo and
the phone's location; after-checks by sample (reproducible from a stored
seed) or all; the printable slip."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from attendance.models import CheckRound, OutingCheck, OutingSlip
from attendance.services import outing as services
from portal.uploads import attachments_of
from tests.attendance.helpers import at, local

pytestmark = pytest.mark.django_db

D = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def slip(who, day=None, hour=10, filed=9, **extra):
    """Files a slip at ``filed`` o'clock that day for an outing from ``hour`` for two hours."""
    day = day or D(2026, 11, 2)
    with at(day.year, day.month, day.day, filed):
        return services.file_outing_slip(
            actor=who,
            destination=extra.pop("destination", "福田区车公庙某大厦"),
            visitee=extra.pop("visitee", "陈先生"),
            contact=extra.pop("contact", "13912345678"),
            purpose=extra.pop("purpose", "介绍两融业务"),
            planned_out=local(day.year, day.month, day.day, hour),
            planned_back=local(day.year, day.month, day.day, hour + 2),
            **extra,
        )


def test_a_slip_is_filed_before_leaving_with_its_stamp(att):
    s = slip(att.a_cm1, latitude=Decimal("22.540500"), longitude=Decimal("114.055000"), accuracy=35)
    assert (s.branch, s.team, s.group, s.outlet) == (att.b1, att.team_a, att.a1, att.o1)
    assert s.has_location
    assert s.accuracy == 35
    assert s.number.startswith("CF202611-")
    with at(2026, 11, 2, 11), pytest.raises(ValidationError) as late:
        services.file_outing_slip(
            actor=att.a_cm1,
            destination="x",
            visitee="y",
            contact="z",
            purpose="补填",
            planned_out=local(2026, 11, 2, 9),
            planned_back=local(2026, 11, 2, 12),
        )
    assert "外出前填写" in str(late.value)
    with at(2026, 11, 2, 9), pytest.raises(ValidationError, match="返回时间须晚于"):
        services.file_outing_slip(
            actor=att.a_cm1,
            destination="x",
            visitee="y",
            contact="z",
            purpose="p",
            planned_out=local(2026, 11, 2, 12),
            planned_back=local(2026, 11, 2, 11),
        )


def test_a_photo_must_be_an_image(att):
    s = slip(att.a_cm1, photo=SimpleUploadedFile("现场.png", PNG, "image/png"))
    assert attachments_of(s, "photo").get().kind == "png"
    with pytest.raises(ValidationError, match="内容不是允许的类型"):
        slip(att.a_cm2, photo=SimpleUploadedFile("现场.pdf", b"%PDF-1.4 x", "application/pdf"))
    assert not OutingSlip.objects.filter(person=att.a_cm2).exists()


def _many(att, n=20):
    people = [att.a_cm1, att.a_cm2, att.a_gl, att.a_rec]
    return [
        slip(people[i % 4], day=D(2026, 11, 2) + dt.timedelta(days=i % 5), hour=9 + (i // 5) * 2)
        for i in range(n)
    ]


def test_a_sample_is_reproducible_from_its_stored_seed(att):
    slips = _many(att)
    with at(2026, 11, 6, 12):
        first = services.start_check_round(
            actor=att.a_tl,
            team=att.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 7),
            mode=CheckRound.Mode.SAMPLE,
            sample_size=5,
            seed=424242,
        )
        again = services.start_check_round(
            actor=att.a_tl,
            team=att.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 7),
            mode=CheckRound.Mode.SAMPLE,
            sample_size=5,
            seed=424242,
        )
        other = services.start_check_round(
            actor=att.a_tl,
            team=att.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 7),
            mode=CheckRound.Mode.SAMPLE,
            sample_size=5,
            seed=7,
        )

    def sample(r):
        return sorted(r.checks.values_list("slip_id", flat=True))

    assert (first.population, first.sample_size, first.seed) == (20, 5, 424242)
    assert sample(first) == sample(again)
    assert sample(first) != sample(other)
    assert set(sample(first)) <= {s.pk for s in slips}
    assert services.redraw(first) == sample(first)
    # A slip filed after the draw, in the same period, does not change the sample.
    slip(att.a_cm1, day=D(2026, 11, 6), hour=15, filed=14)
    assert OutingSlip.objects.count() == 21
    assert services.redraw(first) == sample(first)


def test_a_generated_seed_is_stored_and_the_default_size_is_a_fifth(att):
    _many(att, 11)
    with at(2026, 11, 10):
        r = services.start_check_round(
            actor=att.a_tl,
            team=att.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 30),
            mode=CheckRound.Mode.SAMPLE,
        )
    assert r.sample_size == 3
    assert 0 <= r.seed < 2**31
    assert services.redraw(r) == sorted(r.checks.values_list("slip_id", flat=True))


def test_a_full_check_takes_every_slip_of_the_team_in_the_period(att):
    mine = _many(att, 6)
    slip(att.b_cm1)  # another team's
    slip(att.a_cm1, day=D(2026, 12, 1))  # outside the period
    with at(2026, 12, 2):
        r = services.start_check_round(
            actor=att.a_tl,
            team=att.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 30),
            mode=CheckRound.Mode.ALL,
        )
    assert sorted(r.checks.values_list("slip_id", flat=True)) == sorted(s.pk for s in mine)
    assert (r.population, r.sample_size) == (6, 6)


def test_only_the_team_leader_checks_and_a_discrepancy_needs_a_note(att):
    _many(att, 3)
    with at(2026, 11, 10):
        for outsider in (att.a_rec, att.b_tl, att.a_cm1):
            with pytest.raises(ValidationError, match="负责人"):
                services.start_check_round(
                    actor=outsider,
                    team=att.team_a,
                    period_start=D(2026, 11, 1),
                    period_end=D(2026, 11, 30),
                    mode=CheckRound.Mode.ALL,
                )
        with pytest.raises(ValidationError, match="没有出访单"):
            services.start_check_round(
                actor=att.a_tl,
                team=att.team_a,
                period_start=D(2026, 10, 1),
                period_end=D(2026, 10, 31),
                mode=CheckRound.Mode.ALL,
            )
        r = services.start_check_round(
            actor=att.a_tl,
            team=att.team_a,
            period_start=D(2026, 11, 1),
            period_end=D(2026, 11, 30),
            mode=CheckRound.Mode.ALL,
        )
        first, second, _third = r.checks.order_by("pk")
        with pytest.raises(ValidationError, match="写明情况"):
            services.record_check_result(
                actor=att.a_tl, check=first, result=OutingCheck.Result.DISCREPANCY
            )
        with pytest.raises(ValidationError, match="负责人"):
            services.record_check_result(
                actor=att.a_rec, check=first, result=OutingCheck.Result.CONFIRMED
            )
        services.record_check_result(
            actor=att.a_tl,
            check=first,
            result=OutingCheck.Result.DISCREPANCY,
            note="电话回访被访人，称当天未见面",
        )
        services.record_check_result(
            actor=att.a_tl, check=second, result=OutingCheck.Result.CONFIRMED, note="电话回访属实"
        )
    first.refresh_from_db()
    assert (first.result, first.checked_by) == (OutingCheck.Result.DISCREPANCY, att.a_tl)
    assert first.history.count() == 1


def test_the_printed_slip_is_laid_out_like_the_paper_form(client, att, tmp_path):
    s = slip(att.a_cm1, destination="南山区科技园某公司", visitee="刘总", contact="13600001111")
    client.force_login(att.a_cm1)
    response = client.get(f"/attendance/outings/{s.pk}/print.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "营销人员出访单",
        "南山区科技园某公司",
        "刘总",
        "13600001111",
        "出访人签字",
        "团队负责人签字",
        s.number,
        "打印：甲经理一（a_cm1）",  # the footer names the downloader
    ):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "slip")], check=True)
