#!/usr/bin/env bash
# Builds the Linux 6.1 peer guest used for side-by-side figures: Debian's
# linux-image-amd64 kernel plus a busybox-static initramfs, packed into a GRUB
# ISO so that it boots through exactly the same path and QEMU settings
# (tests/qemu/qemu.sh) as build/exo.iso.
#
# usage: bench/linux/build.sh            -> build/linux/linux.iso
# The guest's /init reads "bench=MODE" from the kernel command line (see
# bench/linux/init); it prints "init: linux userspace" once in user space.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/linux
mkdir -p "$out"
cd "$out"

pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$pkg" ]; then
  echo "linux/build.sh: cannot resolve linux-image-amd64 (run apt-get update?)" >&2
  exit 1
fi
if [ ! -d "kernel-$pkg" ]; then
  rm -f ./*.deb
  apt-get download "$pkg" 2>/dev/null
  rm -rf "kernel-$pkg.tmp" && dpkg-deb -x ./"$pkg"_*.deb "kernel-$pkg.tmp"
  mv "kernel-$pkg.tmp" "kernel-$pkg"
  rm -f ./*.deb
fi
kroot=$out/kernel-$pkg
kver=$(ls "$kroot/lib/modules")
moddir=$kroot/lib/modules/$kver

# Modules for the NICs we compare on, with their dependencies, in load order.
declare -A seen=()
order=()
add_mod() {
  local name=$1 path dep
  [ -n "${seen[$name]:-}" ] && return
  seen[$name]=1
  path=$(find "$moddir/kernel" -name "$name.ko" -o -name "${name//_/-}.ko" | head -n1)
  [ -z "$path" ] && return   # built in
  for dep in $(modinfo -F depends "$path" | tr ',' ' '); do add_mod "$dep"; done
  order+=("$path")
}
for m in e1000 virtio_pci virtio_net; do add_mod "$m"; done

rd=$out/initramfs
rm -rf "$rd" && mkdir -p "$rd"/{bin,sbin,proc,sys,dev,tmp,etc,www,lib/modules}
cp /bin/busybox "$rd/bin/busybox"
for a in sh mount mkdir cat echo ip ifconfig udhcpc httpd nc insmod poweroff sleep \
         uname date seq dd head grep sed awk; do
  ln -sf busybox "$rd/bin/$a"
done
: >"$rd/lib/modules/load-order"
for p in "${order[@]}"; do
  cp "$p" "$rd/lib/modules/"
  basename "$p" >>"$rd/lib/modules/load-order"
done
for prog in micro udpecho tcpecho udpsink; do
  musl-gcc -static -O2 -Wall -Wextra -Werror -o "$rd/bin/$prog" "$root/bench/linux/$prog.c"
done
printf '<html><body>exo linux peer</body></html>\n' >"$rd/www/index.html"
# The issue-6 test file: 1 MiB of a reproducible pattern (tests/net6/genfile.py).
/usr/bin/python3 "$root/tests/net6/genfile.py" 1048576 >"$rd/www/1m.bin"
cp "$root/bench/linux/init" "$rd/init"
chmod +x "$rd/init"
(cd "$rd" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"

iso=$out/isodir
rm -rf "$iso" && mkdir -p "$iso/boot/grub"
cp "$kroot/boot/vmlinuz-$kver" "$iso/boot/vmlinuz"
cp "$out/initramfs.gz" "$iso/boot/initramfs.gz"
cat >"$iso/boot/grub/grub.cfg" <<'CFG'
set timeout=0
set default=0
insmod fat
set exo_cmdline=""
if search --no-floppy --set=exocfg --file /exo-cmdline.cfg; then
  source ($exocfg)/exo-cmdline.cfg
fi
menuentry "linux" {
  linux /boot/vmlinuz console=ttyS0 quiet panic=-1 $exo_cmdline
  initrd /boot/initramfs.gz
}
CFG
grub-mkrescue -o "$out/linux.iso" "$iso" 2>"$out/grub-mkrescue.log"
echo "linux/build.sh: $out/linux.iso ($kver, modules: ${#order[@]})"
