#!/usr/bin/env bash
# Build a bootable GRUB2 ISO from explicit files, with boot/grub.cfg.
# Used for alternate images (the loader's stub-kernel tests); mk/iso.mk
# builds the main build/exo.iso from ISO_FILES.
#
# usage: mkiso.sh OUT.iso LOADER KERNEL INIT [INITRD]
#   Files land in /boot as loader.elf, kernel.elf, init.elf, initrd.tar.
#   "-" for KERNEL, INIT or INITRD leaves that file out (missing-module tests).
set -euo pipefail

out=${1:?usage: mkiso.sh OUT.iso LOADER KERNEL INIT [INITRD]}
loader=${2:?missing LOADER}
kernel=${3:?missing KERNEL (or -)}
init=${4:?missing INIT (or -)}
initrd=${5:--}
root=$(cd "$(dirname "$0")/../.." && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/iso/boot/grub"
cp "$root/boot/grub.cfg" "$tmp/iso/boot/grub/grub.cfg"
cp "$loader" "$tmp/iso/boot/loader.elf"
[ "$kernel" = - ] || cp "$kernel" "$tmp/iso/boot/kernel.elf"
[ "$init" = - ] || cp "$init" "$tmp/iso/boot/init.elf"
[ "$initrd" = - ] || cp "$initrd" "$tmp/iso/boot/initrd.tar"

mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -o "$out.tmp" "$tmp/iso" >"$tmp/log" 2>&1; then
  cat "$tmp/log" >&2
  exit 1
fi
mv "$out.tmp" "$out"
