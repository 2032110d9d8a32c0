#!/usr/bin/env bash
# The restore drill: restores a backup into a scratch stack beside the live one and checks it.
#   deploy/restore-drill.sh DEPLOY_DIR IDENTITY_FILE [BACKUP]       (or: make restore-drill ...)
# DEPLOY_DIR holds the live site's compose.yaml, Caddyfile, .env and site.env (docs/deploy.md);
# IDENTITY_FILE is the age identity the backups are encrypted to (kept offline; bring it for the
# drill); BACKUP is a name in BACKUP_DIR, by default the newest (last night's).
#
# The scratch stack runs the same image with the same settings, except: its own project, volumes
# (database, store, keys) and ports (DRILL_HTTPS_PORT, DRILL_HTTP_PORT: 18444, 18081), Caddy's
# internal authority, no CERTIFICATE_SIGNING_KEY (the backup's key is written to a file, as on a new
# server), and nothing that reaches people or the live site's records: no mail server (mail is
# printed), no Sentry, no backups of its own. It mounts the live erasure log, which the restore
# replays. The drill passes when the site answers over HTTPS, the newest valid certificate's verify
# page says valid, and the issuer publishes exactly the live site's signing keys. The stack is then
# removed, unless KEEP=1 (then: cd <the printed folder> && podman-compose down -v). DRILL_DIR: the
# folder to make the scratch stack's in (default: a new one under /tmp).
set -euo pipefail
deploy=$(cd "${1:?usage: deploy/restore-drill.sh DEPLOY_DIR IDENTITY_FILE [BACKUP]}" && pwd)
identity=${2:?usage: deploy/restore-drill.sh DEPLOY_DIR IDENTITY_FILE [BACKUP]}
[ -r "$identity" ] || { echo "restore-drill: cannot read the identity $identity" >&2; exit 1; }
compose_cmd=${COMPOSE:-$(command -v podman-compose >/dev/null && echo podman-compose || echo "docker compose")}
engine=$(command -v podman || command -v docker)
setting() { sed -n "s/^$1=//p" "$deploy/.env" | tail -1; }
host=$(setting SITE_HOST)
live_https=$(setting HTTPS_PORT); live_https=${live_https:-443}
backups=$(setting BACKUP_DIR); backups=${backups:-$deploy/backups}
[[ "$backups" = /* ]] || backups=$deploy/$backups
backup=${3:-$(ls "$backups" | grep -E '^training-[0-9T]+Z\.tar\.age$' | tail -1)}
[ -n "$backup" ] || { echo "restore-drill: no backup in $backups" >&2; exit 1; }
erasure_log=$(setting ERASURE_LOG_DIR); erasure_log=${erasure_log:-$deploy/erasure-log}
[[ "$erasure_log" = /* ]] || erasure_log=$deploy/$erasure_log
project=${DRILL_PROJECT:-trainingdrill}
https=${DRILL_HTTPS_PORT:-18444}
http=${DRILL_HTTP_PORT:-18081}

# compose names the project after the folder (podman-compose 1.0.3) or the -p option.
stack=${DRILL_DIR:-$(mktemp -d /tmp/restore-drill.XXXX)}/$project
mkdir -p "$stack"
cp "$deploy/compose.yaml" "$deploy/Caddyfile" "$stack/"
{ grep -vE '^(HTTP_PORT|HTTPS_PORT|PUBLIC_PORT|TLS_MODE|BACKUP_DIR|ERASURE_LOG_DIR)=' "$deploy/.env"
  echo "HTTP_PORT=$http"
  echo "HTTPS_PORT=$https"
  echo "PUBLIC_PORT=:$https"
  echo "TLS_MODE=internal"
  echo "BACKUP_DIR=$backups"
  echo "ERASURE_LOG_DIR=$erasure_log"
} > "$stack/.env"
{ grep -vE '^(CERTIFICATE_SIGNING_KEY|SITE_URL|CSRF_TRUSTED_ORIGINS|EMAIL_HOST|SENTRY_DSN|BACKUP_AGE_RECIPIENTS)=' \
    "$deploy/site.env"
  echo "CERTIFICATE_SIGNING_KEY_FILE=/data/keys/certificate-signing.key"
  echo "SITE_URL=https://$host:$https"
  echo "CSRF_TRUSTED_ORIGINS=https://$host:$https"
} > "$stack/site.env"

log=$stack/../drill.log
: >"$log"
in_stack() { (cd "$stack" && $compose_cmd -p "$project" "$@" >>"$log" 2>&1); }
# The web container, by the labels both podman-compose and docker compose give it (compose's own
# `exec` would print the container's environment, secrets included).
in_web() {
  local web
  web=$("$engine" ps -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=web" | head -1)
  "$engine" exec -i "$web" "$@"
}
done_with() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "restore-drill: the scratch stack is still up in $stack"
  else
    in_stack down -v || true
    [ -n "${DRILL_DIR:-}" ] && rm -rf "$stack" || rm -rf "$(dirname "$stack")"
  fi
}
trap done_with EXIT
fail() { echo "restore-drill: $*; log: $log" >&2; KEEP=1; exit 1; }
site() { local port=$1; shift; curl -sk --resolve "$host:$port:127.0.0.1" "$@"; }
in_stack run --rm web python manage.py storage_setup || fail "storage_setup"
in_stack up -d
in_web sh -c 'umask 077 && cat > /tmp/backup.identity' <"$identity"
in_web python manage.py backup_restore "$backup" --identity /tmp/backup.identity >>"$log" 2>&1 \
  || { in_web rm -f /tmp/backup.identity; fail "backup_restore $backup"; }
in_web rm /tmp/backup.identity
grep -E "^Restored |erased" "$log" || true
in_stack down
in_stack up -d  # every process starts on the restored database and key
for _ in $(seq 1 60); do
  [ "$(site "$https" -o /dev/null -w '%{http_code}' "https://$host:$https/healthz")" = 200 ] && break
  sleep 2
done
[ "$(site "$https" -o /dev/null -w '%{http_code}' "https://$host:$https/healthz")" = 200 ] \
  || fail "the restored site does not answer over HTTPS"
token=$(in_web python manage.py shell -c "from certificates.models import Certificate; \
c = Certificate.objects.filter(status=Certificate.Status.VALID).order_by('-issued_at').first(); print(c.token if c else '')" \
  2>/dev/null | tail -1)
if [ -n "$token" ]; then
  page=$(site "$https" "https://$host:$https/verify/$token/")  # whole: `curl | grep -q` races pipefail
  grep -q "verify--valid" <<<"$page" \
    || fail "the newest valid certificate ($token) does not verify on the restored site"
  echo "restore-drill: certificate $token verifies on the restored site"
else
  echo "restore-drill: the backup holds no valid certificate to verify"
fi
issuer_keys() {
  site "$1" "https://$host:$1/certificates/issuer.json" | python3 -c \
    "import json, sys; print(sorted(m['publicKeyMultibase'] for m in json.load(sys.stdin)['verificationMethod']))"
}
[ "$(issuer_keys "$https")" = "$(issuer_keys "$live_https")" ] \
  || fail "the restored site does not publish the live site's signing keys (a key missing from the backup?)"
echo "restore-drill: $backup restored and checked (https://$host:$https/ on this machine)"
