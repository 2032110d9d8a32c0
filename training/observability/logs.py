"""Log lines as JSON objects, one per line, each with the request's id and its person's id.

`LOG_FORMAT=json` (production's default) writes every record as one JSON object: `time` (UTC, ISO
8601), `level`, `logger`, `message`, `request_id` and `user_id` when a request is being served, the
fields a record was given with `extra`, and `exception` (the traceback) when there is one. With
`LOG_REQUESTS` each request also gets one line from the `training.requests` logger: method, view
name, status and duration, and never its address.
"""

import json
import logging
from datetime import UTC, datetime

from training.observability import context

# Fields a record may carry (given with `extra=`) that the JSON line keeps.
EXTRA_FIELDS = ("method", "view", "status", "duration_ms", "task")

request_logger = logging.getLogger("training.requests")


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id()
        record.user_id = context.user_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ("request_id", "user_id", *EXTRA_FIELDS):
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_request(method: str, view: str, status: int, seconds: float) -> None:
    request_logger.info(
        "%s %s %s",
        method,
        view,
        status,
        extra={"method": method, "view": view, "status": status, "duration_ms": round(seconds * 1000, 1)},
    )
