"""The root logger's records as production writes them: JSON lines, through the request filter."""

import contextlib
import io
import json
import logging

from training.observability import logs


@contextlib.contextmanager
def json_log_lines():
    """Yields a function that returns the lines written so far, each parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(min(level, logging.INFO) if level else logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
