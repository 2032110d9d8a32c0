#!/usr/bin/env bash
# Builds the stand-in service images (see README.md) on the local Debian base.
# CA_BUNDLE (default: the system's) is handed to npm as a build secret, for proxies that re-sign HTTPS.
set -euo pipefail
cd "$(dirname "$0")"
engine=$(command -v podman || command -v docker)
base=${BASE_IMAGE:-localhost/debian:bookworm-slim}
"$engine" image exists "$base" 2>/dev/null || ../base-image.sh "$base"
bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
secret=()
[ -s "$bundle" ] && secret=(--secret "id=ca,src=$bundle")
for service in postgres redis s3 caddy; do
  "$engine" build --network host "${secret[@]}" --build-arg "BASE_IMAGE=$base" -f "$service.Containerfile" \
    -t "localhost/training-$service" .
done
