"""Issue 13 hardening: login throttling with a Chinese lockout page, the
admin only for superusers and HQ administrators, Chinese error pages that
leak nothing, and a clean ``check --deploy`` under the production profile."""

import datetime as dt
import os
import secrets
import subprocess
import sys
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from staff.models import Role
from tests.staff.factories import person, role

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _login(client, password):
    return client.post("/accounts/login/", {"username": "a_cm1", "password": password})


def test_five_wrong_passwords_lock_the_login_for_a_while(client, org):
    org.a_cm1.set_password("right-horse-battery")
    org.a_cm1.save()
    with time_machine.travel(T0, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = _login(client, "wrong")
            assert response.status_code == 200  # the form again, with its error
        locked = _login(client, "wrong")
        assert locked.status_code == 429
        html = locked.content.decode()
        assert "登录已暂时锁定" in html
        assert "15 分钟" in html
        # Even the right password is refused while locked.
        assert _login(client, "right-horse-battery").status_code == 429
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        response = _login(client, "right-horse-battery")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_another_address_is_not_locked_out_by_someone_elses_failures(org):
    org.a_cm1.set_password("right-horse-battery")
    org.a_cm1.save()
    attacker, owner = Client(REMOTE_ADDR="10.0.0.66"), Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "wrong")
    assert _login(attacker, "right-horse-battery").status_code == 429
    assert _login(owner, "right-horse-battery").status_code == 302


def test_the_admin_is_for_superusers_and_hq_administrators(client, org):
    admin_user = person(name="系统管理员", employee_no="sysadm", is_staff=True)
    role(admin_user, Role.HQ_ADMIN)
    root = person(name="超级用户", employee_no="root", is_staff=True, is_superuser=True)
    org.bm1.is_staff = True  # given admin access by mistake
    org.bm1.save()
    for user, allowed in ((root, True), (admin_user, True), (org.bm1, False), (org.a_cm1, False)):
        client.force_login(user)
        response = client.get("/admin/")
        assert (response.status_code == 200) is allowed, user.employee_no
        if not allowed:
            assert response.status_code == 302


def test_error_pages_are_chinese_and_leak_nothing(client, org):
    client.force_login(org.a_cm1)
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
    client.raise_request_exception = False
    with mock.patch("portal.views.registry.search", side_effect=RuntimeError("secret-sql-detail")):
        broken = client.get("/search/", {"q": "x"})
    assert broken.status_code == 500
    html = broken.content.decode()
    assert "系统暂时出错了" in html
    assert "secret-sql-detail" not in html
    assert "Traceback" not in html


def test_a_form_posted_without_its_token_gets_a_chinese_403(org):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "a_cm1", "password": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_production_profile_passes_the_deploy_check():
    env = {
        **os.environ,
        "PORTAL_PROFILE": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "portal.example.com",
        "DJANGO_DEBUG": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_profile_refuses_the_development_key():
    env = {**os.environ, "PORTAL_PROFILE": "production", "DJANGO_ALLOWED_HOSTS": "x"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
