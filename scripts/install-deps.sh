#!/usr/bin/env bash
# Installs every Debian package the project needs. `make` calls this when a
# tool or library is missing (see mk/deps.mk); running it by hand is harmless.
set -euo pipefail

PKGS=(
  build-essential binutils gdb
  qemu-system-x86 qemu-utils grub-pc-bin grub-common xorriso mtools
  libpcap-dev libcmocka-dev tcpdump python3-scapy
  clang libclang-rt-14-dev llvm
  libdpdk-dev pkg-config gnuplot-nox
  socat iperf3 wrk apache2-utils tcpreplay curl iproute2 iputils-ping
  musl-tools busybox-static cpio kmod
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
