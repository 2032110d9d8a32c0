"""What operators see (issue 25, item 4): JSON log lines with the request's id and its person's id,
Prometheus metrics behind a token, and Sentry events with personal data scrubbed.

The attacks: a client writing its own text into the logs through `X-Request-ID`; a stranger reading
the metrics; an error report carrying a volunteer's address, cookies or the page's address (which
can hold a confirmation key) to a third party.
"""

import gzip
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk
from django.test import Client

from tests.factories import make_course_tree, make_failed_task, make_undelivered_mail, make_volunteer
from tests.log_lines import json_log_lines
from training.observability import errors, metrics

pytestmark = pytest.mark.django_db

EMAIL = "observed.volunteer@example.org"
# Kept away from the failing code below: an error report carries a few lines of source around each
# frame, and these must not be found there instead of in the data.
NAME, PHONE, DASHBOARD = "ส่งไม่ได้", "+4791234567", "/learn/"
TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def json_lines():
    with json_log_lines() as lines:
        yield lines


def test_each_request_is_one_json_line_with_its_id_and_its_person_and_no_address(settings, json_lines):
    settings.LOG_REQUESTS = True
    volunteer = make_volunteer(email=EMAIL)
    client = Client()
    client.force_login(volunteer.user)

    response = client.get("/learn/?q=" + EMAIL)

    [line] = [line for line in json_lines() if line["logger"] == "training.requests"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == volunteer.user.pk
    assert (line["method"], line["view"], line["status"]) == ("GET", "learning_dashboard", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert "/learn/" not in json.dumps(line) and EMAIL not in json.dumps(line)


def test_a_stranger_is_a_line_without_a_person_and_an_odd_method_is_not_written_as_sent(settings, json_lines):
    settings.LOG_REQUESTS = True
    Client().generic("PROPFIND<script>", "/")
    [line] = [line for line in json_lines() if line["logger"] == "training.requests"]
    assert "user_id" not in line and line["method"] == "OTHER"


def test_a_log_line_written_while_serving_carries_the_request_id(json_lines):
    response = Client().get("/no-such-page/")  # "Not Found", a warning
    lines = [line for line in json_lines() if line.get("request_id")]
    assert lines and {line["request_id"] for line in lines} == {response["X-Request-ID"]}


def test_the_request_id_is_believed_only_from_a_trusted_proxy_and_only_when_well_formed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    sent = "caddy-5d0e9a6b-request"
    from_stranger = Client(REMOTE_ADDR="203.0.113.9").get("/healthz", HTTP_X_REQUEST_ID=sent)
    from_proxy = Client(REMOTE_ADDR="10.0.0.2").get("/healthz", HTTP_X_REQUEST_ID=sent)
    forged = Client(REMOTE_ADDR="10.0.0.2").get("/healthz", HTTP_X_REQUEST_ID='x" "level": "ERROR')
    assert from_proxy["X-Request-ID"] == sent
    assert from_stranger["X-Request-ID"] != sent and len(from_stranger["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] != sent and '"' not in forged["X-Request-ID"]


def test_metrics_are_not_there_without_a_token_and_refused_with_a_wrong_one(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    refused = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert b"training_" not in refused.content
    assert Client().get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 401  # "Bearer " is required


def scrape() -> dict[str, float]:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"].startswith("max-age=0")
    samples = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def test_metrics_count_requests_by_view_and_read_the_queue_mail_and_certificates(settings):
    settings.METRICS_TOKEN = TOKEN
    volunteer = make_volunteer(email=EMAIL)
    course, _module, lesson = make_course_tree(title="Counted course")
    reader = Client()
    reader.force_login(volunteer.user)
    before = scrape()
    reader.post(f"/learn/courses/{course.pk}/enrol/")
    reader.post(f"/learn/lessons/{lesson.pk}/done/")  # the course's only lesson: a certificate
    reader.get("/learn/")
    make_failed_task()
    make_undelivered_mail(to="bounced.observed@example.org")
    after = scrape()

    dashboard = 'training_http_requests_total{method="GET",status="200",view="learning_dashboard"}'
    assert after[dashboard] - before.get(dashboard, 0) == 1
    assert after['training_http_request_duration_seconds_count{view="learning_dashboard"}'] >= 1
    valid = 'training_certificates{status="valid"}'
    assert after[valid] == before[valid] + 1
    assert after['training_mail_messages{status="suppressed"}'] == 1
    assert after["training_tasks_failed"] == before["training_tasks_failed"] + 1
    assert after["training_task_queue_depth"] >= 0 and after["training_database_up"] == 1
    assert not [name for name in after if EMAIL in name or "/learn/" in name]


class SentryIntake(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint, on loopback: keeps every event the SDK sends."""

    events: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                self.events.append(json.loads(payload))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        """Quiet: the test reads the events, not the server's access lines."""


@pytest.fixture
def sentry_events():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryIntake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SentryIntake.events = []
    handler = errors.start(f"http://publickey@127.0.0.1:{server.server_port}/1")
    try:
        yield SentryIntake.events
    finally:
        logging.getLogger().removeHandler(handler)
        sentry_sdk.get_client().close()
        sentry_sdk.init(dsn=None, default_integrations=False)
        server.shutdown()


def test_an_error_reaches_sentry_with_its_request_and_person_ids_and_nothing_personal(
    sentry_events, monkeypatch
):
    volunteer = make_volunteer(email=EMAIL, given_name_th=NAME, phone=PHONE)

    def failing_board(*, user, **kwargs):
        raise RuntimeError(f"no dashboard for {user.email}")

    monkeypatch.setattr("courses.learning.views.learning_dashboard", failing_board)
    client = Client(raise_request_exception=False)
    client.force_login(volunteer.user)
    response = client.get(DASHBOARD + "?search=" + EMAIL)
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)

    [event] = sentry_events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "no dashboard for [email]"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert event["user"] == {"id": str(volunteer.user.pk)}
    assert event["transaction"] == "learning_dashboard"
    sent = json.dumps(event, ensure_ascii=False)
    for personal in (EMAIL, NAME, PHONE, DASHBOARD, "sessionid", "csrftoken", "127.0.0.1"):
        assert personal not in sent, personal
    assert '"vars"' not in sent and "request" not in event


def test_without_a_dsn_nothing_is_started():
    assert errors.start("") is None
    assert not [handler for handler in logging.getLogger().handlers if "sentry" in type(handler).__module__]


def test_the_metric_names_are_documented():
    """Each metric the endpoint can serve is in the alert list operators read."""
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()
    names = ["training_http_requests_total", "training_http_request_duration_seconds"]
    names += [name for name in metrics.__doc__.split("`") if name.startswith("training_")]
    assert [name for name in names if name not in guide] == []
