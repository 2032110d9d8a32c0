"""Prometheus metrics, served at `/metrics` to whoever presents `METRICS_TOKEN` as a bearer token.

Two kinds:
- counted as requests are served: `training_http_requests_total` (method, view, status) and
  `training_http_request_duration_seconds` (view). Under gunicorn every worker process writes its
  own counts into `PROMETHEUS_MULTIPROC_DIR` and a scrape adds them up (deploy/gunicorn.conf.py
  empties the folder when gunicorn starts and forgets a worker when it exits);
- read from the database at each scrape, so they hold whichever process did the work (the task
  worker issues certificates and sends mail): `training_task_queue_depth` and
  `training_task_queue_oldest_seconds` (tasks ready to run, and how long the oldest has waited),
  `training_tasks_failed`, `training_database_up`, and a count by status of each model an app
  registers with `status_counts_register`: `training_mail_messages` (notifications: the outbox,
  failed deliveries among them) and `training_certificates` (certificates).

Without a token the address answers 404 and nothing is counted.
"""

import hmac
import os
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

# The site's own registry: a process-wide default registry would also gather whatever else a
# library registers there.
served = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "training_http_requests",
    "Requests answered, by method, view name and status code.",
    ["method", "view", "status"],
    registry=served,
)
DURATION = Histogram(
    "training_http_request_duration_seconds",
    "Time from the request reaching the site to its response, by view name.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=served,
)


def token() -> str:
    path = settings.METRICS_TOKEN_FILE
    if path:
        with open(path, encoding="utf-8") as file:
            return file.read().strip()
    return settings.METRICS_TOKEN


def enabled() -> bool:
    return bool(settings.METRICS_TOKEN or settings.METRICS_TOKEN_FILE)


def observe(method: str, view: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, view, str(status)).inc()
    DURATION.labels(view).observe(seconds)


# name → (documentation, model with a `status` field and a `Status` choices class), registered by
# the apps that own the models: the ground floor imports none of them.
STATUS_COUNTS: dict[str, tuple[str, type]] = {}


def status_counts_register(name: str, documentation: str, model: type) -> None:
    STATUS_COUNTS[name] = (documentation, model)


class StoredCounts:
    """What the database holds, read at each scrape."""

    def collect(self):
        up = GaugeMetricFamily("training_database_up", "1 when the database answered this scrape.")
        try:
            families = list(self.stored())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def stored(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult, get_date_max

        ready = DBTaskResult.objects.ready()
        depth = GaugeMetricFamily("training_task_queue_depth", "Tasks ready to run and not yet started.")
        depth.add_metric([], ready.count())
        yield depth
        waiting_since = [
            ready.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))["since"],
            ready.exclude(run_after=get_date_max()).aggregate(since=Min("run_after"))["since"],
        ]
        oldest = GaugeMetricFamily(
            "training_task_queue_oldest_seconds", "How long the oldest task ready to run has waited."
        )
        since = min((moment for moment in waiting_since if moment), default=None)
        oldest.add_metric([], (datetime.now(UTC) - since).total_seconds() if since else 0)
        yield oldest
        failed = GaugeMetricFamily("training_tasks_failed", "Task results kept with the status failed.")
        failed.add_metric([], DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count())
        yield failed
        for name, (documentation, model) in STATUS_COUNTS.items():
            yield by_status(name, documentation, model)


def by_status(name: str, documentation: str, model) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["status"])
    counts = dict(model.objects.values_list("status").annotate(count=Count("pk")).order_by())
    for status in model.Status.values:
        family.add_metric([status], counts.get(status, 0))
    return family


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = served
    stored = CollectorRegistry(auto_describe=False)
    stored.register(StoredCounts())
    return generate_latest(requests) + generate_latest(stored)


@require_safe
@never_cache
def metrics(request):
    if not enabled():
        raise Http404
    expected = f"Bearer {token()}".encode()
    if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
        refused = HttpResponse("A bearer token is required.\n", status=401, content_type="text/plain")
        refused["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return refused
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
