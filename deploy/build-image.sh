#!/usr/bin/env bash
# Builds the site's image: `make image` (IMAGE=localhost/training:<commit> by default).
# With BASE_IMAGE unset it uses the public debian:bookworm-slim when a registry answers, and
# otherwise builds localhost/debian:bookworm-slim from Debian's packages (deploy/base-image.sh).
# CA_BUNDLE (default: the system's) is handed to pip as a build secret, for proxies that re-sign HTTPS.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(command -v podman || command -v docker) || { echo "Install podman (apt-get install podman runc)." >&2; exit 1; }
release=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
image=${IMAGE:-localhost/training:$release}
base=${BASE_IMAGE:-}
if [ -z "$base" ]; then
  if "$engine" pull -q docker.io/library/debian:bookworm-slim >/dev/null 2>&1; then
    base=docker.io/library/debian:bookworm-slim
  else
    base=localhost/debian:bookworm-slim
    "$engine" image exists "$base" 2>/dev/null || deploy/base-image.sh "$base"
  fi
fi
bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
secret=()
[ -s "$bundle" ] && secret=(--secret "id=ca,src=$bundle")
format=()
# podman writes OCI images by default, which have no HEALTHCHECK: ask for Docker's format.
[ "$(basename "$engine")" = podman ] && format=(--format docker)
"$engine" build "${format[@]}" --network host "${secret[@]}" --build-arg "BASE_IMAGE=$base" --build-arg "RELEASE=$release" \
  -f deploy/Containerfile -t "$image" .
echo "$image: $("$engine" image inspect "$image" --format '{{.Size}}' | awk '{printf "%d MB", $1/1000/1000}')"
