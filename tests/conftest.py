import copy
import datetime as dt
import unittest
from pathlib import Path

import pytest
from django.apps import apps as global_apps
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

from clients import services as client_services
from portal.identity import id_check_digit
from staff.models import Department, Role
from tests.staff.factories import (
    BranchFactory,
    GroupFactory,
    OutletFactory,
    TeamFactory,
    person,
    role,
)

A_CM1_ID = "44030419900101123" + id_check_digit("44030419900101123")
A_CM1_BANK = "6222000011112222333"


def _replay_data_migrations(connection) -> None:
    """Runs the portal's data migrations (``RunPython``) in dependency order
    against a test database made from the models (``--no-migrations``), so it
    holds what a migrated one holds: flows, calendar, departments, tiers …
    They run with today's models, so one that names a field since renamed
    fails here, loudly. Third-party apps' data migrations only rewrite
    existing rows (there are none) and are written for their old models."""
    ours = {
        c.label
        for c in global_apps.get_app_configs()
        if Path(c.path).parent == django_settings.BASE_DIR
    }
    with override_settings(MIGRATION_MODULES={}):
        graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan = []
    for leaf in sorted(graph.leaf_nodes()):
        plan += [key for key in graph.forwards_plan(leaf) if key not in plan]
    # Recorded as applied, as after a real migrate (backups list them).
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(recorder.Migration(app=a, name=n) for a, n in plan)
    # Migrations see historical models, which keep no history rows.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for key in plan:
            if key[0] not in ours:
                continue
            for operation in graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    with connection.schema_editor(atomic=True) as editor:
                        operation.code(global_apps, editor)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_use_migrations):
    """With ``--no-migrations`` (the SQLite and PostgreSQL passes of ``make
    test``) the tables are made straight from the models, which
    ``makemigrations --check`` keeps equal to the migrations, and the data
    migrations are replayed: 2 s instead of 40 s of migrating per worker. The
    browser tests, the load smoke and ``make run`` still migrate for real."""
    if not django_db_use_migrations:
        with django_db_blocker.unblock():
            for connection in connections.all(initialized_only=True):
                _replay_data_migrations(connection)
                if hasattr(connection, "_test_serialized_contents"):
                    # What transactional tests restore, taken after the replay
                    # (and counting every app, whose migrations are hidden now).
                    with override_settings(MIGRATION_MODULES={}):
                        connection._test_serialized_contents = (
                            connection.creation.serialize_db_to_string()
                        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _session_refresh_once_a_day(settings):
    # A slow test must not see a session refresh write (three queries) in the
    # middle of its pinned query counts; tests of the refresh set their own.
    settings.PORTAL_SESSION_REFRESH = 24 * 3600


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Org:
    """A small, fully explicit organisation for scope tests.

    Branch 1: team A (groups A1, A2; outlets O1, O2) and team B (group B1;
    outlets O2, O3); regional manager a_rm covers O2. Branch 2: team C.
    HQ: an office member, two compliance members, the VP.
    """


def _build_org() -> Org:
    o = Org()
    o.b1 = BranchFactory(code="BR01", name="一号营业部")
    o.b2 = BranchFactory(code="BR02", name="二号营业部")
    o.team_a = TeamFactory(branch=o.b1, name="A 团队")
    o.team_b = TeamFactory(branch=o.b1, name="B 团队", kind="bank")
    o.team_c = TeamFactory(branch=o.b2, name="C 团队")
    o.a1 = GroupFactory(team=o.team_a, name="A1")
    o.a2 = GroupFactory(team=o.team_a, name="A2")
    o.g_b1 = GroupFactory(team=o.team_b, name="B1")
    o.g_c1 = GroupFactory(team=o.team_c, name="C1")
    o.o1 = OutletFactory(branch=o.b1, name="网点一")
    o.o2 = OutletFactory(branch=o.b1, name="网点二")
    o.o3 = OutletFactory(branch=o.b1, name="网点三")
    o.o4 = OutletFactory(branch=o.b2, name="网点四")

    o.a_tl = person(name="甲负责人", team=o.team_a, outlet=o.o1, employee_no="a_tl")
    o.a_gl = person(name="甲组长", group=o.a1, outlet=o.o1, employee_no="a_gl")
    o.a_cm1 = person(
        name="甲经理一",
        group=o.a1,
        outlet=o.o1,
        employee_no="a_cm1",
        id_number=A_CM1_ID,
        bank_account=A_CM1_BANK,
    )
    o.a_cm2 = person(name="甲经理二", group=o.a2, outlet=o.o2, employee_no="a_cm2")
    o.a_rm = person(name="甲区域经理", team=o.team_a, outlet=o.o2, employee_no="a_rm")
    o.b_tl = person(name="乙负责人", team=o.team_b, outlet=o.o3, employee_no="b_tl")
    o.b_cm1 = person(name="乙经理一", group=o.g_b1, outlet=o.o2, employee_no="b_cm1")
    o.b_cm2 = person(name="乙经理二", group=o.g_b1, outlet=o.o3, employee_no="b_cm2")
    o.bm1 = person(name="一部经理", branch=o.b1, employee_no="bm1")
    o.fin1 = person(name="一部财务", branch=o.b1, employee_no="fin1")
    o.c_tl = person(name="丙负责人", team=o.team_c, outlet=o.o4, employee_no="c_tl")
    o.c_cm = person(name="丙经理", group=o.g_c1, outlet=o.o4, employee_no="c_cm")
    departments = {d.code: d for d in Department.objects.all()}
    o.office = person(name="综合室专员", department=departments["office"], employee_no="office")
    o.comp1 = person(name="合规专员一", department=departments["compliance"], employee_no="comp1")
    o.comp2 = person(name="合规专员二", department=departments["compliance"], employee_no="comp2")
    o.vp = person(name="副总裁", employee_no="vp")
    o.chan = person(name="渠道专员", department=departments["channel"], employee_no="chan")
    o.hr1 = person(name="人力专员", department=departments["hr"], employee_no="hr1")

    role(o.a_tl, Role.TEAM_LEADER, team=o.team_a)
    role(o.a_gl, Role.GROUP_LEADER, group=o.a1)
    role(o.a_rm, Role.REGIONAL_MANAGER, team=o.team_a)
    o.o2.regional_manager = o.a_rm
    o.o2.save()
    role(o.b_tl, Role.TEAM_LEADER, team=o.team_b)
    role(o.bm1, Role.BRANCH_MANAGER, branch=o.b1)
    role(o.fin1, Role.FINANCE, branch=o.b1)
    role(o.c_tl, Role.TEAM_LEADER, team=o.team_c)
    role(o.office, Role.HQ_MEMBER, department=departments["office"])
    role(o.comp1, Role.HQ_MEMBER, department=departments["compliance"])
    role(o.comp2, Role.HQ_MEMBER, department=departments["compliance"])
    role(o.vp, Role.VP)
    role(o.chan, Role.HQ_MEMBER, department=departments["channel"])
    role(o.hr1, Role.HQ_MEMBER, department=departments["hr"])
    o.departments = departments

    since = dt.date(2024, 2, 1)
    o.clients = {}
    for key in ("a_gl", "a_cm1", "a_cm2", "b_cm1", "b_cm2", "c_cm"):
        manager = getattr(o, key)
        o.clients[key] = client_services.create_client(
            actor=None,
            crm_code=f"00{len(o.clients) + 1:06d}",
            name=f"{manager.name}的客户",
            manager=manager,
            since=since,
        )
    return o


def _shares_org(module: pytest.Module) -> bool:
    """A module whose tests use ``org`` inside their own transaction (none
    transactional, none a Django TestCase class) shares one build of it."""
    items = [i for i in module.session.items if i.getparent(pytest.Module) is module]
    if not any("org" in i.fixturenames for i in items):
        return False
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            (marker and marker.kwargs.get("transaction"))
            or {"transactional_db", "live_server"} & set(item.fixturenames)
            or (getattr(item, "cls", None) and issubclass(item.cls, unittest.TestCase))
        ):
            return False
    return True


@pytest.fixture(scope="module")
def _shared_org(request):
    """Builds the organisation once per test module, as Django's
    ``setUpTestData`` does for a class: inside an outer transaction that every
    test's own transaction nests in (as a savepoint rolled back after the
    test), rolled back when the module is done. Each test gets a deep copy of
    the instances, so what one test changes in memory or in the database does
    not reach the next. Building it through the services costs 600 queries
    (0.2 s on SQLite, 0.5 s on PostgreSQL); 750 tests use it.

    Being module-scoped, pytest sets it up before the test's own database
    fixtures, so the nesting holds."""
    if not _shares_org(request.node):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    outer = transaction.atomic()
    outer._from_testcase = True  # as TestCase marks its own: durable blocks may nest
    with blocker.unblock():
        outer.__enter__()
        try:
            built = _build_org()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def org(db, _shared_org):
    if _shared_org is None:
        return _build_org()
    return copy.deepcopy(_shared_org)
