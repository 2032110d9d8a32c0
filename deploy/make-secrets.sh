#!/usr/bin/env bash
# Prints fresh secrets for a new site, as lines to append to deploy/site.env (and the database's and
# the store's passwords for deploy/.env): deploy/make-secrets.sh IMAGE. Run once; keep a copy of the
# signing key with the backup identity (docs/deploy.md, "Secrets").
set -euo pipefail
image=${1:?usage: deploy/make-secrets.sh IMAGE}
engine=$(command -v podman || command -v docker)
random() { python3 -c "import secrets; print(secrets.token_urlsafe($1))"; }
echo "SECRET_KEY=$(random 50)"
echo "METRICS_TOKEN=$(random 32)"
echo "CERTIFICATE_SIGNING_KEY=$("$engine" run --rm -e SECRET_KEY=x -e CERTIFICATE_SIGNING_KEY_FILE=/dev/null "$image" \
  python -c "import django; django.setup(); from certificates import credentials; \
print(credentials.private_key_to_multibase(credentials.generate_private_key()))")"
echo "# for deploy/.env:"
echo "# POSTGRES_PASSWORD=$(random 24)"
echo "# STORE_SECRET_KEY=$(random 24)"
