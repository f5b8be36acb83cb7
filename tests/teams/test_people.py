"""R-1.7, R-1.9: people added and imported by the team, groups and group
leaders, moves with dated history, leaving, one-to-one notes."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from portal.identity import id_check_digit
from portal.models import ImportBatch
from staff.models import Posting, Role, RoleAssignment, User
from teams import services
from teams.models import OneToOneNote
from teams.services.roster import ROSTER_FIELDS

pytestmark = pytest.mark.django_db

GOOD_ID = "44030419920304123" + id_check_digit("44030419920304123")
HEADERS = [f.header for f in ROSTER_FIELDS]


def _row(**values):
    base = {"工号": "", "姓名": "", "用工类型": "全职", "入职日期": "2026-12-01"}
    base.update(values)
    return [base.get(h, "") for h in HEADERS]


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("花名册.xlsx", buffer.getvalue())


def _csv(rows, encoding) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile("花名册.csv", text.getvalue().encode(encoding))


def test_the_roster_template_has_every_column_and_text_codes(client, org):
    client.force_login(org.a_tl)
    response = client.get("/teams/roster-template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A2"].number_format == "@"
    assert "填写说明" in wb.sheetnames


def test_a_roster_with_bad_rows_names_each_problem_and_imports_nothing(client, org):
    rows = [
        _row(工号="0100901", 姓名="陈新", 身份证号=GOOD_ID, 小组="A1", 网点代码=org.o1.code),
        _row(工号="a_cm1", 姓名="重复工号"),
        _row(工号="0100901", 姓名="文件内重复"),
        _row(工号="0100903", 姓名="错证号", 身份证号="440304199203041230"[:17] + "0"),
        _row(工号="0100904", 姓名="", 小组="不存在的组", 入职日期="2026/13/01", 用工类型="临时工"),
    ]
    client.force_login(org.a_tl)
    response = client.post(f"/teams/{org.team_a.pk}/people/import/", {"file": _xlsx(rows)})
    preview = client.get(response.url).content.decode()
    for expected in (
        "第 3 行「工号」：“a_cm1”已被使用",
        "第 4 行「工号」：“0100901”与第 2 行重复",
        "第 5 行「身份证号」：身份证号校验位不正确",
        "第 6 行「姓名」：不能为空",
        "第 6 行「入职日期」：“2026/13/01”应为日期",
        "第 6 行「用工类型」：“临时工”应为：全职、证券经纪人、兼职",
        "第 6 行「小组」：本团队没有“不存在的组”",
    ):
        assert expected in preview, expected
    assert "确认导入" not in preview
    batch = ImportBatch.objects.get()
    with pytest.raises(ValidationError, match="处问题"):
        services.commit_roster(actor=org.a_tl, batch=batch)
    assert not User.objects.filter(employee_no__startswith="01009").exists()


def test_a_clean_roster_imports_everyone_with_temporary_passwords(client, org):
    rows = [
        _row(
            工号="0100901",
            姓名="陈新",
            身份证号=GOOD_ID,
            小组="A1",
            网点代码=org.o1.code,
            级别="",
            手机号="13900000001",
        ),
        _row(工号="0100902", 姓名="林悦", 用工类型="证券经纪人", 小组="A2"),
    ]
    client.force_login(org.a_tl)
    response = client.post(f"/teams/{org.team_a.pk}/people/import/", {"file": _xlsx(rows)})
    assert "共 2 人，检查无误" in client.get(response.url).content.decode()
    done = client.post(response.url)
    shown = {p.employee_no: pw for p, pw in done.context["created"]}
    assert set(shown) == {"0100901", "0100902"}
    chen = User.objects.get(employee_no="0100901")
    assert chen.must_change_password
    assert chen.check_password(shown["0100901"])
    assert (chen.team, chen.group.name, chen.outlet, chen.id_number) == (
        org.team_a,
        "A1",
        org.o1,
        GOOD_ID,
    )
    assert User.objects.get(employee_no="0100902").employment_type == User.EmploymentType.PART_TIME
    assert Posting.objects.filter(user=chen).count() == 1
    assert ImportBatch.objects.get().status == ImportBatch.Status.COMMITTED
    again = client.post(response.url)
    assert again.status_code == 302  # a batch commits once


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_rosters_in_utf8_or_gbk_keep_leading_zeros(org, encoding):
    upload = _csv([_row(工号="0100905", 姓名="赵敏", 小组="A1")], encoding)
    batch = services.upload_roster(actor=org.a_tl, team=org.team_a, upload=upload)
    assert batch.problems == []
    created = services.commit_roster(actor=org.a_tl, batch=batch)
    assert created[0][0].employee_no == "0100905"
    assert created[0][0].name == "赵敏"


def test_only_the_teams_managers_import_and_add(org):
    with pytest.raises(ValidationError):
        services.upload_roster(actor=org.a_cm1, team=org.team_a, upload=_xlsx([]))
    with pytest.raises(ValidationError):
        services.add_person(
            actor=org.b_tl,
            team=org.team_a,
            employee_no="x1",
            name="某",
            employment_type="full_time",
            hired_on=dt.date(2026, 1, 1),
        )
    person, password = services.add_person(
        actor=org.bm1,
        team=org.team_a,
        employee_no="x1",
        name="某某",
        employment_type="full_time",
        hired_on=dt.date(2026, 1, 1),
    )
    assert person.must_change_password
    assert len(password) == 10


def test_groups_leaders_moves_and_leaving(org):
    group = services.create_group(actor=org.a_tl, team=org.team_a, name="A3")
    with pytest.raises(ValidationError):
        services.appoint_group_leader(
            actor=org.a_tl, group=group, person=org.a_cm2, valid_from=dt.date(2026, 3, 1)
        )
    services.move_member(
        actor=org.a_tl,
        person=org.a_cm2,
        effective_on=dt.date(2026, 3, 1),
        reason="组建新组",
        group=group,
    )
    org.a_cm2.refresh_from_db()
    services.appoint_group_leader(
        actor=org.a_tl, group=group, person=org.a_cm2, valid_from=dt.date(2026, 3, 1)
    )
    assert (
        RoleAssignment.objects.in_force(dt.date(2026, 3, 2))
        .filter(role=Role.GROUP_LEADER, group=group)
        .get()
        .user
        == org.a_cm2
    )
    # Appointing another ends the first one's role the same day.
    services.move_member(
        actor=org.a_tl,
        person=org.a_cm1,
        effective_on=dt.date(2026, 4, 1),
        reason="调组",
        group=group,
    )
    org.a_cm1.refresh_from_db()
    services.appoint_group_leader(
        actor=org.a_tl, group=group, person=org.a_cm1, valid_from=dt.date(2026, 4, 1)
    )
    leaders = RoleAssignment.objects.in_force(dt.date(2026, 4, 2)).filter(
        role=Role.GROUP_LEADER, group=group
    )
    assert [ra.user for ra in leaders] == [org.a_cm1]
    with pytest.raises(ValidationError) as exc:
        services.move_member(
            actor=org.a_tl,
            person=org.a_cm1,
            effective_on=dt.date(2026, 5, 1),
            reason="x",
            group=org.g_b1,
        )
    assert exc.value.message_dict["group"] == ["只能调到本团队的小组。"]
    leaving = services.mark_leaving(
        actor=org.a_tl, person=org.a_cm1, on=dt.date(2026, 6, 1), reason="个人原因"
    )
    assert leaving.status == User.Status.LEAVING
    with pytest.raises(ValidationError):
        services.mark_leaving(actor=org.b_tl, person=org.a_cm2, on=dt.date(2026, 6, 1), reason="x")


def test_one_to_one_notes_are_private_to_the_people_concerned(client, org):
    services.write_note(
        actor=org.a_tl,
        member=org.a_cm1,
        date=dt.date(2026, 3, 5),
        topic="月度交流",
        content="肯定开户成绩，提醒日志写明要点。",
    )
    services.write_note(
        actor=org.a_gl,
        member=org.a_cm1,
        date=dt.date(2026, 3, 6),
        topic="带教",
        content="陪同拜访。",
    )
    with pytest.raises(ValidationError):
        services.write_note(
            actor=org.a_gl, member=org.a_cm2, date=dt.date(2026, 3, 6), topic="x", content="y"
        )
    expectations = {org.a_cm1: 2, org.a_cm2: 0, org.a_tl: 2, org.a_gl: 1, org.bm1: 2, org.b_tl: 0}
    for user, count in expectations.items():
        assert OneToOneNote.objects.visible_to(user).count() == count, user
    client.force_login(org.a_cm2)
    assert len(client.get("/teams/notes/").context["page_obj"]) == 0


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
def test_a_move_dated_in_the_future_is_refused_and_changes_nothing(client, org):
    """A future-dated move would take effect at once (the person's fields
    follow immediately); it is refused until the day it takes effect."""
    postings = Posting.objects.filter(user=org.a_cm1).count()
    with pytest.raises(ValidationError) as exc:
        services.move_member(
            actor=org.a_tl,
            person=org.a_cm1,
            effective_on=dt.date(2026, 3, 10),
            reason="下周调组",
            group=org.a2,
        )
    assert exc.value.message_dict["effective_on"] == [
        "生效日期不能晚于今天；请在生效当天办理调动。"
    ]
    org.a_cm1.refresh_from_db()
    assert org.a_cm1.group == org.a1
    assert Posting.objects.filter(user=org.a_cm1).count() == postings
    client.force_login(org.a_tl)
    page = client.post(
        f"/teams/{org.team_a.pk}/people/",
        {
            "form": "move",
            "person": org.a_cm1.pk,
            "group": org.a2.pk,
            "effective_on": "2026-03-10",
            "reason": "下周调组",
        },
    )
    assert page.status_code == 200
    assert page.context["forms"]["move"].errors["effective_on"] == [
        "生效日期不能晚于今天；请在生效当天办理调动。"
    ]
    # Today is fine.
    services.move_member(
        actor=org.a_tl,
        person=org.a_cm1,
        effective_on=dt.date(2026, 3, 2),
        reason="调组",
        group=org.a2,
    )
    org.a_cm1.refresh_from_db()
    assert org.a_cm1.group == org.a2


def test_a_level_change_alone_may_be_dated_ahead(org):
    """A payroll review is confirmed before the first day of the next period."""
    from django.utils import timezone

    from staff import services as staff_services
    from staff.models import Level

    level = Level.objects.order_by("rank").last()
    posting = staff_services.change_posting(
        actor=org.bm1,
        user=org.a_cm1,
        effective_on=timezone.localdate() + dt.timedelta(days=30),
        reason="季度级别考核",
        level=level,
    )
    assert posting.level == level
