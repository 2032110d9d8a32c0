"""gunicorn for an app server: `gunicorn -c deploy/gunicorn.conf.py training.wsgi:application`.

Only the reverse proxy talks to gunicorn: it listens on loopback (or a Unix socket) unless
GUNICORN_BIND says otherwise, and believes X-Forwarded-Proto only from FORWARDED_ALLOW_IPS, the
proxy's addresses. List the same addresses in TRUSTED_PROXIES, which Django reads for the client's
address and for HTTPS (training/proxies.py). See docs/operations.md, "Proxy and gunicorn".
"""

import glob
import os
import tempfile

# "127.0.0.1:8000", "unix:/run/training/gunicorn.sock", or the node's private address when the load
# balancer is on another host (and then only reachable from it).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core this process may use (at least two), unless GUNICORN_WORKERS says otherwise.
workers = int(os.environ.get("GUNICORN_WORKERS") or max(2, len(os.sched_getaffinity(0))))
# Threads, so that clients holding idle connections open never hold a whole worker.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Never "*": then anyone reaching gunicorn could claim HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# gunicorn answers "Server: gunicorn", without its version; the proxy drops or replaces the header.

# Metrics (training/observability/metrics.py): each worker writes its counts into this folder and a
# scrape of any worker adds up all of them. It must be set before a worker loads the site.
metrics_folder = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"training-metrics-{os.getpid()}")
)


def on_starting(server):
    """Counts start from zero with each gunicorn: the previous run's count files are removed."""
    os.makedirs(metrics_folder, exist_ok=True)
    for name in glob.glob(os.path.join(metrics_folder, "*.db")):
        os.remove(name)


def child_exit(server, worker):
    """A worker that exited no longer counts towards the live gauges (its totals stay)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
