#!/usr/bin/env bash
# Installs the Debian packages lucia_auth needs to build and test, when they are missing.
set -euo pipefail

packages=(
  build-essential g++ make cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-contrib
  libsodium-dev libcrypt-dev libgtest-dev libbenchmark-dev libipc-run-perl bc valgrind
  nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from outside Debian's packages; what matters is that node and npm run.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}")
  missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
