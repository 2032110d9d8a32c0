#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, when some are missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
#   scripts/system-deps.sh run    packages for serving the app (fonts, PDF libraries, gettext)
#   scripts/system-deps.sh test   those plus PostgreSQL, Redis, Chromium and PDF/QR tools for tests
#   scripts/system-deps.sh bench  the test packages plus wrk
set -euo pipefail
what=${1:-run}
packages=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core)
if [ "$what" = test ] || [ "$what" = bench ]; then
  packages+=(postgresql redis-server chromium poppler-utils zbar-tools age)
fi
if [ "$what" = bench ]; then
  packages+=(wrk)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages. Run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
