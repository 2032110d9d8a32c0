#!/usr/bin/env bash
# A Debian bookworm base image made from Debian's packages, for machines that cannot pull from a
# container registry: the same trimmings as the public debian:bookworm-slim (no manuals, no
# documentation beyond copyright files, no translations, no package lists).
#   deploy/base-image.sh [IMAGE]      default localhost/debian:bookworm-slim
# Then: podman build --build-arg BASE_IMAGE=localhost/debian:bookworm-slim -f deploy/Containerfile .
set -euo pipefail
image=${1:-localhost/debian:bookworm-slim}
engine=$(command -v podman || command -v docker)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mmdebstrap --variant=minbase \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$work/rootfs.tar"
"$engine" import --change 'CMD ["bash"]' "$work/rootfs.tar" "$image"
