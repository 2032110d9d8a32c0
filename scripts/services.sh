#!/usr/bin/env bash
# Starts or stops the scale-out services for the tests, on loopback, in .services/ of the checkout:
# PostgreSQL (Debian's, initdb + pg_ctl as the postgres user), an S3-compatible server (moto) and
# Redis, each on a non-default port. The S3 server holds two buckets, set up as docs/operations.md
# asks of production: training-media, which a bucket policy lets anyone read (public lesson media,
# unsigned URLs), and training-private, with no policy, whose objects anonymous clients cannot read.
#   scripts/services.sh start   start all three (idempotent) and print the environment to use
#   scripts/services.sh stop    stop whatever is running
#   scripts/services.sh env     print the environment variables only
#   scripts/services.sh stop-pg|start-pg|stop-s3|start-s3|stop-redis|start-redis
#                               stop or start one service (fault tests); status-pg exits 0 when it runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=${SERVICES_ROOT:-$PWD/.services}
PGPORT=${TEST_PGPORT:-25433}
S3PORT=${TEST_S3PORT:-25055}
REDISPORT=${TEST_REDISPORT:-26380}
VENV=${VENV:-$PWD/.venv}

print_env() {
  cat <<ENV
export DATABASE_URL=postgres://app:app@127.0.0.1:$PGPORT/training
export AWS_STORAGE_BUCKET_NAME=training-media
export AWS_PRIVATE_STORAGE_BUCKET_NAME=training-private
export AWS_S3_ENDPOINT_URL=http://127.0.0.1:$S3PORT
export AWS_S3_REGION_NAME=us-east-1
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_S3_ADDRESSING_STYLE=path
export REDIS_URL=redis://127.0.0.1:$REDISPORT/1
export TEST_PGPORT=$PGPORT TEST_S3PORT=$S3PORT TEST_REDISPORT=$REDISPORT SERVICES_ROOT=$ROOT
ENV
}

pgbin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

wait_port() { # host port seconds
  for _ in $(seq 1 $(($3 * 10))); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "Service on $1:$2 did not start" >&2
  return 1
}

start_postgres() {
  local bin; bin=$(pgbin)
  mkdir -p "$ROOT/pg"; chown postgres:postgres "$ROOT/pg"; chmod 700 "$ROOT/pg"
  # The postgres user must be able to reach the folder.
  local d="$ROOT"; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
  [ -f "$ROOT/pg/data/PG_VERSION" ] || runuser -u postgres -- "$bin/initdb" -D "$ROOT/pg/data" -U postgres \
    -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  if ! runuser -u postgres -- "$bin/pg_ctl" -D "$ROOT/pg/data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$ROOT/pg/data" -l "$ROOT/pg/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $ROOT/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
  fi
  runuser -u postgres -- psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='app') THEN CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB; END IF; END\$\$;"
  runuser -u postgres -- psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='training'" | grep -q 1 \
    || runuser -u postgres -- createdb -h 127.0.0.1 -p "$PGPORT" -U postgres -O app training
}

start_s3() {
  mkdir -p "$ROOT/s3"
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$S3PORT") 2>/dev/null; then
    nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$S3PORT" >"$ROOT/s3/server.log" 2>&1 &
    echo $! >"$ROOT/s3/pid"
    wait_port 127.0.0.1 "$S3PORT" 30
  fi
  "$VENV/bin/python" - "$S3PORT" <<'PY'
import json, sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", aws_access_key_id="testing",
                  aws_secret_access_key="testing", region_name="us-east-1")
existing = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
for bucket in ("training-media", "training-private"):
    if bucket not in existing:
        s3.create_bucket(Bucket=bucket)
# Anyone may read public media (the same policy for every run); the private bucket has none.
s3.put_bucket_policy(Bucket="training-media", Policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Sid": "PublicReadMedia", "Effect": "Allow", "Principal": "*",
                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::training-media/*"}],
}))
PY
}

start_redis() {
  mkdir -p "$ROOT/redis"
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$REDISPORT") 2>/dev/null; then
    redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$ROOT/redis" \
      --daemonize yes --pidfile "$ROOT/redis/pid" --logfile "$ROOT/redis/server.log"
    wait_port 127.0.0.1 "$REDISPORT" 10
  fi
}

stop_postgres() {
  local bin; bin=$(pgbin 2>/dev/null || true)
  if [ -n "$bin" ] && [ -f "$ROOT/pg/data/PG_VERSION" ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$ROOT/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

status_postgres() {
  local bin; bin=$(pgbin 2>/dev/null || true)
  [ -n "$bin" ] && [ -f "$ROOT/pg/data/PG_VERSION" ] \
    && runuser -u postgres -- "$bin/pg_ctl" -D "$ROOT/pg/data" status >/dev/null 2>&1
}

stop_s3() {
  if [ -f "$ROOT/s3/pid" ]; then
    local pid; pid=$(cat "$ROOT/s3/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$ROOT/s3/pid"
  fi
}

stop_redis() {
  redis-cli -h 127.0.0.1 -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$REDISPORT") 2>/dev/null || break; sleep 0.1; done
}

stop_all() {
  stop_postgres
  stop_redis
  stop_s3
}

case "${1:-}" in
  start) start_postgres; start_s3; start_redis; print_env ;;
  stop) stop_all ;;
  env) print_env ;;
  stop-pg) stop_postgres ;;
  start-pg) start_postgres ;;
  status-pg) status_postgres ;;
  stop-s3) stop_s3 ;;
  start-s3) start_s3 ;;
  stop-redis) stop_redis ;;
  start-redis) start_redis ;;
  *) echo "usage: $0 start|stop|env|stop-pg|start-pg|status-pg|stop-s3|start-s3|stop-redis|start-redis" >&2; exit 2 ;;
esac
