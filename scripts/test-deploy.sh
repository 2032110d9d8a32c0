#!/usr/bin/env bash
# `make test-deploy`: the deployment as an IT office would run it, on this machine.
# Builds the image and the stand-in service images, starts deploy/compose.yaml with Caddy's internal
# authority, sets it up once (migrate, storage_setup), checks the site over HTTPS, imports a course,
# and a browser journey (tests/deploy/test_stack_journey.py) completes it and verifies the
# certificate through the stack. The stack is stopped and started: everything is still there. Then
# the restore drill: a backup, an erasure after it, and deploy/restore-drill.sh restores the backup
# into a scratch stack, where the certificate still verifies and the erased volunteer stays erased.
# Installs podman and podman-compose from Debian when missing. .ci/run runs it after `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
packages=(podman podman-compose runc mmdebstrap golang-github-containernetworking-plugin-dnsname curl age)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
work=$(mktemp -d /tmp/training-deploy.XXXX)
# What these machines need from podman (../shared/STACK.md §10); harmless elsewhere.
if [ -z "${CONTAINERS_CONF:-}" ]; then
  printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n' > "$work/containers.conf"
  export CONTAINERS_CONF=$work/containers.conf
fi
image=localhost/training:test-deploy
IMAGE=$image deploy/build-image.sh
deploy/local-images/build.sh >/dev/null

host=training.test
secrets=$(deploy/make-secrets.sh "$image")
# The backups are encrypted to this key; its identity stays here (offline, on a real site).
age-keygen -o "$work/backup.identity" 2>/dev/null
recipient=$(age-keygen -y "$work/backup.identity")
# Folders of the host the stacks share, as a real site keeps them on another disk: the backups and
# the erasure log, writable by the image's user.
uid=$(podman run --rm --entrypoint id "$image" -u 2>/dev/null)
install -d -o "$uid" -g "$uid" "$work/backups" "$work/erasure-log"

# podman-compose 1.0.3 names the project after the folder and its containers <project>_<service>_1.
# make_stack PROJECT HTTPS_PORT HTTP_PORT [site.env lines to leave out]
make_stack() {
  local project=$1 https=$2 http=$3 drop=${4:-^$}
  mkdir -p "$work/$project"
  cp deploy/compose.yaml deploy/Caddyfile "$work/$project/"
  cat > "$work/$project/.env" <<ENV
TRAINING_IMAGE=$image
POSTGRES_IMAGE=localhost/training-postgres
REDIS_IMAGE=localhost/training-redis
STORE_IMAGE=localhost/training-s3
STORE_ACCESS_KEY=S3RVER
CADDY_IMAGE=localhost/training-caddy
SITE_HOST=$host
PUBLIC_PORT=:$https
ACME_EMAIL=it@example.org
TLS_MODE=internal
$(echo "$secrets" | sed -n 's/^# \(POSTGRES_PASSWORD\|STORE_SECRET_KEY\)=/\1=/p')
BACKUP_DIR=$work/backups
ERASURE_LOG_DIR=$work/erasure-log
HTTP_PORT=$http
HTTPS_PORT=$https
ENV
  { echo "$secrets" | grep -v '^#' | grep -v "$drop"
    echo "ALLOWED_HOSTS=$host"
    echo "CSRF_TRUSTED_ORIGINS=https://$host:$https"
    echo "SITE_URL=https://$host:$https"
    echo "BACKUP_AGE_RECIPIENTS=$recipient"
  } > "$work/$project/site.env"
}
# Each run has its own project names (ending in its process id) and free ports, so a stack left by
# a run that was killed cannot meet this one; such stacks, whose run is gone, are removed first.
project=trainingdeploytest$$
drill=trainingdrilltest$$
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
https=${DEPLOY_HTTPS_PORT:-$(free_port)}
http=${DEPLOY_HTTP_PORT:-$(free_port)}
export DRILL_HTTPS_PORT=${DRILL_HTTPS_PORT:-$(free_port)} DRILL_HTTP_PORT=${DRILL_HTTP_PORT:-$(free_port)}
# remove_project PROJECT: its containers, volumes and network, without its compose folder.
remove_project() {
  podman ps -aq --filter "label=com.docker.compose.project=$1" | xargs -r podman rm -f >/dev/null 2>&1 || true
  podman volume ls -q | grep "^${1}_" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  podman network rm -f "${1}_default" >/dev/null 2>&1 || true
}
for p in $(podman ps -a --format '{{index .Labels "com.docker.compose.project"}}' | sort -u); do
  case $p in
    trainingdeploytest*|trainingdrilltest*)
      owner=${p##*[!0-9]}
      if [ -z "$owner" ] || ! kill -0 "$owner" 2>/dev/null; then
        echo "test-deploy: removing $p, left by a run that is gone"; remove_project "$p"
      fi ;;
  esac
done
make_stack "$project" "$https" "$http"

in_stack() { (cd "$work/$1" && shift && podman-compose "$@" >>"$work/compose.log" 2>&1); }
stop_stacks() {
  for p in "$project" "$drill"; do
    [ -d "$work/$p" ] && { in_stack "$p" down -v || true; }
    remove_project "$p"
  done
}
cleanup() { stop_stacks; rm -rf "$work"; }
trap cleanup EXIT
# On failure the containers' logs go into the compose log, which stays; the stacks are removed
# (KEEP_FAILED=1 keeps them up to look into).
fail() {
  echo "test-deploy: $*" >&2
  trap - EXIT
  for c in $(podman ps -aq --filter "label=com.docker.compose.project=$project") \
           $(podman ps -aq --filter "label=com.docker.compose.project=$drill"); do
    { echo "== logs of $(podman inspect -f '{{.Name}}' "$c")"; podman logs --tail 200 "$c"; } >>"$work/compose.log" 2>&1 || true
  done
  [ "${KEEP_FAILED:-}" = 1 ] || stop_stacks
  echo "compose log: $work/compose.log" >&2
  exit 1
}
# site PORT CURL-ARGS...: a request to the stack behind PORT, by its name.
site() { local port=$1; shift; curl -sk --resolve "$host:$port:127.0.0.1" "$@"; }
wait_up() {
  for _ in $(seq 1 60); do
    [ "$(site "$2" -o /dev/null -w '%{http_code}' "https://$host:$2/healthz")" = 200 ] && return 0
    sleep 2
  done
  podman logs "${1}_web_1" 2>&1 | tail -20 >&2
  fail "the site did not answer over HTTPS"
}
manage() { local p=$1; shift; podman exec -i "${p}_web_1" python manage.py "$@"; }
# verified PORT CODE: the verify page behind PORT says valid. (Read whole first: `curl | grep -q`
# under pipefail fails when grep stops reading before curl has written everything.)
verified() { local page; page=$(site "$1" "https://$host:$1/verify/$2"); grep -q "verify--valid" <<<"$page"; }

# Once per deploy, before the site starts: the schema, then the store's buckets.
in_stack "$project" run --rm web python manage.py migrate --noinput -v0 || fail "migrate"
in_stack "$project" run --rm web python manage.py storage_setup || fail "storage_setup"
in_stack "$project" up -d
wait_up "$project" "$https"
podman healthcheck run ${project}_web_1 || fail "the web container's own health check"
echo "up: /healthz 200 over HTTPS through Caddy; the web container reports healthy"
headers=$(site "$https" -D - -o "$work/home.html" "https://$host:$https/")
grep -q "^HTTP/2 200" <<<"$headers" || fail "the home page: $(head -1 <<<"$headers")"
grep -qi "^strict-transport-security:" <<<"$headers" || fail "no HSTS"
grep -qi "^x-request-id: [0-9a-f-]\{36\}" <<<"$headers" || fail "the request id is not Caddy's"
grep -qi "^server:" <<<"$headers" && fail "a Server header: $(grep -i '^server:' <<<"$headers")"
grep -q "อาสาสมัคร" "$work/home.html" || fail "the home page is not in Thai"
[ "$(curl -s --resolve "$host:$http:127.0.0.1" -o /dev/null -w '%{http_code}' "http://$host:$http/")" = 308 ] \
  || fail "plain HTTP is not redirected to HTTPS"
echo "pages: the Thai home page over HTTP/2 with HSTS and Caddy's request id; HTTP redirected"
podman exec ${project}_web_1 sh -c \
  'DJANGO_SUPERUSER_PASSWORD=deploy-admin-pass-2026 python manage.py createsuperuser --noinput --email it@example.org' \
  >>"$work/compose.log" 2>&1 || fail "createsuperuser"

# A course, as a lead trainer imports one (English added as a language first), published by staff.
manage "$project" shell -c "from wagtail.models import Locale; Locale.objects.get_or_create(language_code='en')" \
  >/dev/null || fail "adding English"
podman exec ${project}_web_1 sh -c 'cd courses/demo/packages/how-to-use-this-platform \
  && python -m zipfile -c /tmp/course.zip course.json media && cd /app && python manage.py course_import /tmp/course.zip' \
  >>"$work/compose.log" 2>&1 || fail "course_import"
{ cat tests/deploy/stack_content.py; echo "set_up()"; } | manage "$project" shell >>"$work/compose.log" 2>&1 \
  || fail "publishing the course"
echo "content: a course package imported and published"

# The journey, in Chromium, through Caddy.
state=$work/journey.json
DEPLOY_SITE_URL="https://$host:$https" DEPLOY_STATE=$state "$repo/.venv/bin/python" -m pytest \
  -q tests/deploy || fail "the browser journey through the stack"
verify_url=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['verify_url'])" "$state")
media_url=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['media_url'])" "$state")
code=${verify_url##*/verify/}
# /media/ answers reads only, and reaches the media bucket only, however the path is written.
# (HTTP/1.1: over HTTP/2 Go ends a refused upload's stream early, which curl reports as an error.)
[ "$(site "$https" --http1.1 -o /dev/null -w '%{http_code}' -X PUT --data x "$media_url")" = 405 ] \
  || fail "a PUT to /media/"
for path in "/media/../training-private/" "/media/%2e%2e/training-private/" "/media/..%2ftraining-private/"; do
  answer=$(site "$https" --path-as-is -o "$work/escape.txt" -w '%{http_code}' "https://$host:$https${path}")
  { [ "$answer" = 200 ] && grep -q "ListBucketResult" "$work/escape.txt"; } && fail "$path lists the private bucket"
done
echo "journey: a volunteer completed the course, her certificate verified over HTTPS; media from /media/ only"

in_stack "$project" down
in_stack "$project" up -d
wait_up "$project" "$https"
count=$(manage "$project" shell -c \
  "from volunteers.models import User; print(User.objects.filter(email='it@example.org').count())" 2>/dev/null | tail -1)
[ "$count" = 1 ] || fail "after a restart the admin account is gone ($count)"
verified "$https" "$code" || fail "after a restart the certificate"
[ "$(site "$https" -o /dev/null -w '%{http_code}' "$media_url")" = 200 ] || fail "after a restart the course's image"
echo "restart: down and up again, the admin account, the certificate and the media are still there"

# The restore drill. Last night's backup (the scheduler's nightly job runs this command), then a
# volunteer erased after it.
manage "$project" shell -c "
from django.utils import timezone
from volunteers.models import User
User.objects.create_user(email='erased.later@example.org', password='x-2026-pass', email_confirmed_at=timezone.now())
" >/dev/null || fail "a volunteer to erase"
manage "$project" backup >>"$work/compose.log" 2>&1 || fail "backup"
# The newest (the scheduler may have made one when the stack first started: a new site's first night).
backup=$(ls "$work/backups" | tail -1)
[[ "$backup" =~ ^training-[0-9T]+Z\.tar\.age$ ]] || fail "the backup folder holds: $(ls "$work/backups")"
manage "$project" shell -c "
from volunteers.models import User
from volunteers.services import volunteer_erase
volunteer_erase(user=User.objects.get(email='erased.later@example.org'), actor=None)
" >/dev/null || fail "erasing the volunteer"
echo "backup: $backup, encrypted with age; a volunteer erased after it"

# deploy/restore-drill.sh, as an operator runs it: a scratch stack on new ports with its own
# database, store and keys, restored from the newest backup; the newest certificate verifies and
# the issuer publishes the live site's keys. Kept up for the checks below.
DRILL_PROJECT=$drill DRILL_DIR=$work KEEP=1 deploy/restore-drill.sh "$work/$project" "$work/backup.identity" \
  || fail "the restore drill"
drill_https=$DRILL_HTTPS_PORT
verified "$drill_https" "$code" \
  || fail "the journey's certificate does not verify on the restored site"
[ "$(site "$drill_https" -o /dev/null -w '%{http_code}' "${media_url/:$https/:$drill_https}")" = 200 ] \
  || fail "the course's image is not on the restored site"
erased=$(manage "$drill" shell -c \
  "from volunteers.models import User; print(User.objects.filter(email='erased.later@example.org').count())" \
  2>/dev/null | tail -1)
[ "$erased" = 0 ] || fail "the volunteer erased after the backup is back on the restored site"
echo "restore drill: the journey's certificate verifies on the restored site, its image is there, the erasure holds"
echo "test-deploy: passed"
