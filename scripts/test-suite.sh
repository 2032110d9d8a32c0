#!/usr/bin/env bash
# Runs the whole pytest suite twice, side by side: on the embedded default (SQLite, local media,
# local-memory cache), and on the scale-out stack (PostgreSQL, S3 on a local moto server, Redis)
# started on loopback for the run and stopped afterwards, also when tests fail. Side by side, each
# pass fills the time the other spends waiting (on a served site, a browser, a stopped service);
# their files, databases, ports and served sites are named apart (training/settings/test.py).
#   PASSES=embedded scripts/test-suite.sh   the first pass only (`make test-quick`)
#   SIDE_BY_SIDE=0                          one pass after the other, each printing as it goes
#   TEST_WORKERS=N                          pytest-xdist workers per pass (default 2; 0: one process)
#   EMBEDDED_NICE=N                         the niceness of the SQLite pass beside the other (default 10)
# Each pass also writes every test's time to .test-reports/<pass>.xml (JUnit XML), to find what to
# make cheaper (issue 17).
# Extra arguments go to pytest in both passes.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
PASSES=${PASSES:-embedded scaleout}
# Two workers share each pass's tests (tests/conftest.py says which tests keep to one worker or run alone).
WORKERS=(-n "${TEST_WORKERS:-2}" --dist loadgroup)
# `make test` must never change tracked files (screenshots, catalogs, fixtures): compare before and after.
tracked_state() { git status --porcelain --untracked-files=no 2>/dev/null; git diff HEAD 2>/dev/null | sha1sum; }
tracked_before=$(tracked_state)
# The scale-out variables must not leak into the embedded run from the caller's environment.
unset DATABASE_URL REDIS_URL AWS_STORAGE_BUCKET_NAME AWS_PRIVATE_STORAGE_BUCKET_NAME AWS_S3_ENDPOINT_URL

# Each pass names its run, so the files its workers share (the migrated template database, the
# seeded demo: tests/template_db.py, tests/demo_copy.py) are found, and removed when it ends.
run_pytest() {
  local run_id status
  run_id=$("$PY" -c 'import uuid; print(uuid.uuid4().hex)')
  if [ "${TEST_WORKERS:-2}" != 0 ]; then
    "$@" --testrunuid "$run_id"
  else
    "$@"
  fi
  status=$?
  rm -f "${TMPDIR:-/tmp}/pytest-$run_id"*
  return $status
}

embedded() {
  echo "=== Test suite on the embedded default: SQLite, local media, local-memory cache ==="
  run_pytest "${NICE[@]}" "$PY" -m pytest "${WORKERS[@]}" --junitxml=.test-reports/embedded.xml "$@"
}

scaleout() {
  echo "=== Test suite on the scale-out stack: PostgreSQL + S3 (moto) + Redis ==="
  trap 'scripts/services.sh stop' EXIT
  local env_lines
  if ! env_lines=$(scripts/services.sh start); then
    echo "Could not start the scale-out services." >&2
    return 1
  fi
  eval "$env_lines"
  run_pytest "$PY" -m pytest "${WORKERS[@]}" --junitxml=.test-reports/scaleout.xml "$@"
}

status=0
NICE=()
if [[ " $PASSES " == *" embedded "* && " $PASSES " == *" scaleout "* && "${SIDE_BY_SIDE:-1}" != 0 ]]; then
  # The scale-out pass waits on PostgreSQL, Redis and S3 for every query: each answer needs a
  # process woken on a busy core. At equal priority the SQLite pass kept the cores busy, and the
  # scale-out pass's queries queued behind it (the authorization matrix took ten times as long as
  # alone). Nicer, the SQLite pass gets the time the other leaves between its round trips.
  NICE=(nice -n "${EMBEDDED_NICE:-10}")
  # The embedded pass writes to a log, printed when it ends; the scale-out pass prints as it goes.
  log=$(mktemp "${TMPDIR:-/tmp}/embedded-pass.XXXXXX")
  (embedded "$@") >"$log" 2>&1 &
  embedded_pid=$!
  (scaleout "$@") || status=1
  wait "$embedded_pid" || status=1
  cat "$log"
  rm -f "$log"
else
  if [[ " $PASSES " == *" embedded "* ]]; then
    (embedded "$@") || status=1
  fi
  if [[ " $PASSES " == *" scaleout "* ]]; then
    (scaleout "$@") || status=1
  fi
fi
if [ "$(tracked_state)" != "$tracked_before" ]; then
  echo "The test suite changed tracked files:" >&2
  git status --short --untracked-files=no >&2
  status=1
fi
exit $status
