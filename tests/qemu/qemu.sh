#!/usr/bin/env bash
# The one QEMU command line shared by `make run`, `make debug`, the
# integration tests and the benchmarks.
#
# usage: qemu.sh ISO [extra qemu args...]
# environment:
#   CMDLINE   kernel command line (passed to GRUB through a tiny FAT disk)
#   NET       user (default) | tap | none
#   NIC       e1000 (default) | virtio
#   TAP       tap device name for NET=tap (default exo-tap0)
#   ACCEL     tcg (default) | kvm
#   MEM       guest memory (default 512M)
#   GDB=1     start the gdb stub on :1234 and wait for gdb
#   SERIAL    where the serial port goes: "stdio" (default) or a file path
#   HOSTFWD   1 (default): NET=user forwards host ports (README); 0: none, so
#             several test VMs can run at once without fighting over ports
set -euo pipefail

ISO=${1:?usage: qemu.sh ISO [qemu args...]}
shift
CMDLINE=${CMDLINE:-}
NET=${NET:-user}
NIC=${NIC:-e1000}
TAP=${TAP:-exo-tap0}
ACCEL=${ACCEL:-tcg}
MEM=${MEM:-512M}
SERIAL=${SERIAL:-stdio}

args=(-machine pc -accel "$ACCEL" -cpu max -m "$MEM" -smp 1 -no-reboot
      -display none -vga none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -boot d -cdrom "$ISO")

if [ "$SERIAL" = stdio ]; then
  args+=(-serial mon:stdio)
else
  args+=(-serial "file:$SERIAL" -monitor none)
fi

# The command line travels on a FAT image that grub.cfg sources.
if [ -n "$CMDLINE" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  printf 'set exo_cmdline="%s"\n' "$CMDLINE" > "$tmp/exo-cmdline.cfg"
  mformat -i "$tmp/cmd.img" -C -T 2880 -h 2 -s 18 ::
  mcopy -i "$tmp/cmd.img" "$tmp/exo-cmdline.cfg" ::/exo-cmdline.cfg
  args+=(-drive "file=$tmp/cmd.img,format=raw,if=ide,index=0,media=disk")
fi

case "$NIC" in
  e1000)  nicdev=e1000 ;;
  virtio) nicdev=virtio-net-pci,disable-legacy=on ;;
  *) echo "qemu.sh: unknown NIC '$NIC' (e1000 or virtio)" >&2; exit 2 ;;
esac
case "$NET" in
  user)
    # Host forwards (also documented in the README).
    fwd=",hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:127.0.0.1:7007-:7,hostfwd=tcp:127.0.0.1:7007-:7"
    [ "${HOSTFWD:-1}" = 0 ] && fwd=""
    args+=(-netdev "user,id=n0$fwd" -device "$nicdev,netdev=n0,mac=52:54:00:12:34:56") ;;
  tap)
    args+=(-netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no"
           -device "$nicdev,netdev=n0,mac=52:54:00:12:34:56") ;;
  none)
    args+=(-nic none) ;;  # otherwise -machine pc adds a default e1000
  *) echo "qemu.sh: unknown NET '$NET' (user, tap or none)" >&2; exit 2 ;;
esac

if [ "${GDB:-0}" = 1 ]; then
  args+=(-s -S)
fi

# Not exec: the trap must remove the command-line image afterwards.
rc=0
qemu-system-x86_64 "${args[@]}" "$@" || rc=$?
exit $rc
