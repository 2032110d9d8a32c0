"""What operators see of the running site: log lines, error reports and metrics.

- `context`: each request's id and the id of who made it, for every log line and error report.
- `logs`: the JSON log format (`LOG_FORMAT=json`, production's default) and one line per request.
- `metrics`: the Prometheus endpoint `/metrics`, behind `METRICS_TOKEN`.
- `errors`: error reports through Sentry's SDK when `SENTRY_DSN` is set, personal data scrubbed.

None of them holds personal data: a person appears only as their numeric id; addresses (which can
carry confirmation keys, reset keys or certificate codes), bodies, cookies and query strings are
never written. This package imports nothing from the apps but the models its metrics count, and
only inside the functions that count them.
"""
