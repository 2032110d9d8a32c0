#!/usr/bin/env bash
# `make test-deploy`: the deployment as an IT office would run it, on this machine.
# Builds the image and the stand-in service images, starts deploy/compose.yaml with Caddy's internal
# authority, migrates once, checks the site over HTTPS, stops and starts the stack, and checks that
# what was stored is still there. Installs podman and podman-compose from Debian when missing.
# .ci/run runs it after `make test`. Still to come (docs/deploy.md): a browser journey through the
# stack, the S3 store, the restore drill against it.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(podman podman-compose runc mmdebstrap golang-github-containernetworking-plugin-dnsname curl)
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

# podman-compose 1.0.3 names the project after the folder and its containers <project>_<service>_1.
project=trainingdeploytest
stack=$work/$project
mkdir -p "$stack/backups"
cp deploy/compose.yaml deploy/Caddyfile "$stack/"
https=${DEPLOY_HTTPS_PORT:-18443}
http=${DEPLOY_HTTP_PORT:-18080}
host=training.test
secrets=$(deploy/make-secrets.sh "$image")
cat > "$stack/.env" <<ENV
TRAINING_IMAGE=$image
POSTGRES_IMAGE=localhost/training-postgres
REDIS_IMAGE=localhost/training-redis
CADDY_IMAGE=localhost/training-caddy
SITE_HOST=$host
ACME_EMAIL=it@example.org
TLS_MODE=internal
$(echo "$secrets" | sed -n 's/^# POSTGRES_PASSWORD=/POSTGRES_PASSWORD=/p')
BACKUP_DIR=$stack/backups
HTTP_PORT=$http
HTTPS_PORT=$https
ENV
{ echo "$secrets" | grep -v '^#'
  echo "ALLOWED_HOSTS=$host"
  echo "CSRF_TRUSTED_ORIGINS=https://$host:$https"
  echo "SITE_URL=https://$host:$https"
} > "$stack/site.env"

cd "$stack"
compose() { podman-compose "$@" >>"$stack/compose.log" 2>&1; }
cleanup() {
  compose down -v || true
  podman volume ls -q | grep "^${project}_" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
site() { curl -sk --resolve "$host:$https:127.0.0.1" "$@"; }
wait_up() {
  for _ in $(seq 1 60); do
    [ "$(site -o /dev/null -w '%{http_code}' "https://$host:$https/healthz")" = 200 ] && return 0
    sleep 2
  done
  echo "The site did not answer over HTTPS; compose log: $stack/compose.log" >&2
  podman logs ${project}_web_1 2>&1 | tail -20 >&2
  return 1
}
fail() { echo "test-deploy: $*" >&2; exit 1; }

compose run --rm web python manage.py migrate --noinput -v0
compose up -d
wait_up
podman healthcheck run ${project}_web_1 || fail "the web container's own health check"
echo "up: /healthz 200 over HTTPS through Caddy; the web container reports healthy"
headers=$(site -D - -o "$work/home.html" "https://$host:$https/")
grep -q "^HTTP/2 200" <<<"$headers" || fail "the home page: $(head -1 <<<"$headers")"
grep -qi "^strict-transport-security:" <<<"$headers" || fail "no HSTS"
grep -qi "^x-request-id: [0-9a-f-]\{36\}" <<<"$headers" || fail "the request id is not Caddy's"
grep -qi "^server:" <<<"$headers" && fail "a Server header: $(grep -i '^server:' <<<"$headers")"
grep -q "อาสาสมัคร" "$work/home.html" || fail "the home page is not in Thai"
[ "$(curl -s --resolve "$host:$http:127.0.0.1" -o /dev/null -w '%{http_code}' "http://$host:$http/")" = 308 ] \
  || fail "plain HTTP is not redirected to HTTPS"
echo "pages: the Thai home page over HTTP/2 with HSTS and Caddy's request id; HTTP redirected"
podman-compose exec -T web sh -c \
  'DJANGO_SUPERUSER_PASSWORD=deploy-admin-pass-2026 python manage.py createsuperuser --noinput --email it@example.org' \
  >>"$stack/compose.log" 2>&1 || fail "createsuperuser"
compose down
compose up -d
wait_up
count=$(podman exec ${project}_web_1 python manage.py shell -c \
  "from volunteers.models import User; print(User.objects.filter(email='it@example.org').count())" 2>/dev/null | tail -1)
[ "$count" = 1 ] || fail "after a restart the admin account is gone ($count)"
echo "restart: down and up again, the admin account is still there"
echo "test-deploy: passed"
