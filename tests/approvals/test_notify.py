"""Notifications through channels: in-app always; email and the 企业微信
group robot when configured, sent only after the transaction commits."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from approvals.models import Notice
from tests.approvals.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wecom_stub():
    """A local stand-in for the 企业微信 group-robot webhook."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test", received
    server.shutdown()


def test_in_app_notice_always(org, settings):
    settings.PORTAL_NOTIFY_EMAIL = False
    settings.PORTAL_WECOM_WEBHOOK = ""
    submit(org)
    notice = Notice.objects.get(user=org.bm1)
    assert notice.title.startswith("待审批：")
    assert notice.url.startswith("/approvals/")
    assert mail.outbox == []


def test_email_and_wecom_after_commit(
    org, settings, wecom_stub, django_capture_on_commit_callbacks
):
    url, received = wecom_stub
    settings.PORTAL_NOTIFY_EMAIL = True
    settings.PORTAL_WECOM_WEBHOOK = url
    org.bm1.email = "bm1@example.com"
    org.bm1.phone = "13800000001"
    org.bm1.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(org)
    assert mail.outbox == []  # nothing leaves before the commit
    assert received == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bm1@example.com"]
    assert "待审批" in mail.outbox[0].subject
    assert len(received) == 1
    assert received[0]["msgtype"] == "text"
    assert "待审批" in received[0]["text"]["content"]
    assert received[0]["text"]["mentioned_mobile_list"] == ["13800000001"]


def test_a_broken_channel_does_not_break_the_action(
    org, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_WECOM_WEBHOOK = "http://127.0.0.1:9/unreachable"
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(org)
    assert req.pk is not None
    assert Notice.objects.filter(user=org.bm1).exists()


def test_dedup_key_sends_once(org):
    from approvals.notify import notify

    notify([org.a_cm1], title="日志未填", dedup_key="worklog:2026-03-02")
    notify([org.a_cm1], title="日志未填", dedup_key="worklog:2026-03-02")
    assert Notice.objects.filter(user=org.a_cm1).count() == 1
