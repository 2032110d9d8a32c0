#!/usr/bin/env bash
# Builds the stand-in service images (see README.md) on the local Debian base.
set -euo pipefail
cd "$(dirname "$0")"
engine=$(command -v podman || command -v docker)
base=${BASE_IMAGE:-localhost/debian:bookworm-slim}
"$engine" image exists "$base" 2>/dev/null || ../base-image.sh "$base"
for service in postgres redis caddy; do
  "$engine" build --network host --build-arg "BASE_IMAGE=$base" -f "$service.Containerfile" -t "localhost/training-$service" .
done
