#!/usr/bin/env bash
# Tests for scripts/gensyscalls.py, the generator of the syscall numbers,
# the kernel dispatch and the user stubs: the real table produces
# consistent, compilable output, and malformed tables are rejected with a
# message naming the line. Prints "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
gen="/usr/bin/python3 $root/scripts/gensyscalls.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

# A table that must be rejected with a message containing $2.
reject() { # name expected-text table-text
  printf '%b' "$3" > "$tmp/$1.tbl"
  if out=$($gen "$tmp/$1.tbl" "$tmp/out-$1" 2>&1); then
    bad "$1: accepted"
  elif [[ $out != *"$2"* ]]; then
    bad "$1: message '$out' lacks '$2'"
  else
    ok "$1"
  fi
}

# 1. The real table.
if $gen "$root/kernel/syscall.tbl" "$tmp/real"; then ok "real table generates"; else bad "real table generates"; fi
rows=$(grep -cv '^\s*\(#\|$\)' "$root/kernel/syscall.tbl")
defs=$(grep -c '^#define SYS_[a-z]' "$tmp/real/include/exo/syscall_nr.h")
stubs=$(grep -c '^sys_[a-z_]*:$' "$tmp/real/libos/syscall_stubs.S")
cases=$(grep -c 'case SYS_' "$tmp/real/kernel/syscall_table.h")
if [ "$rows" = "$defs" ] && [ "$rows" = "$stubs" ] && [ "$rows" = "$cases" ]; then
  ok "one number, stub and case per row ($rows)"
else
  bad "rows $rows, defines $defs, stubs $stubs, cases $cases"
fi
if grep -q 'do not edit' "$tmp/real/include/libos/syscalls.h"; then ok "banner"; else bad "banner"; fi
# The generated kernel header compiles against the kernel's errno header.
printf '#include <kernel/syscall_table.h>\n' > "$tmp/use.c"
if gcc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I"$root/include" -I"$tmp/real" \
     -I"$tmp/real/include" "$tmp/use.c" 2>"$tmp/cc.log"; then
  ok "kernel header compiles"
else
  bad "kernel header compiles: $(cat "$tmp/cc.log")"
fi

# 2. The fourth argument moves from rcx to r10 in the stub, and only then.
printf '0\tfour\tlong\tint a, int b, int c, int d\n1\ttwo\tlong\tint a, int b\n' > "$tmp/four.tbl"
$gen "$tmp/four.tbl" "$tmp/four" >/dev/null 2>&1
if awk '/^sys_four:/,/ret/' "$tmp/four/libos/syscall_stubs.S" | grep -q 'movq %rcx, %r10' &&
   ! awk '/^sys_two:/,/ret/' "$tmp/four/libos/syscall_stubs.S" | grep -q 'r10'; then
  ok "rcx -> r10 for 4+ arguments"
else
  bad "rcx -> r10 for 4+ arguments"
fi

# 3. Malformed tables.
reject dup-number "duplicate" '0\ta\tlong\tvoid\n0\tb\tlong\tvoid\n'
reject dup-name "duplicate" '0\ta\tlong\tvoid\n1\ta\tlong\tvoid\n'
reject fields "expected 4 or 5" '0\ta\tlong\n'
reject number "bad number" 'x\ta\tlong\tvoid\n'
reject name "bad name" '0\tBad-Name\tlong\tvoid\n'
reject params "more than 6" '0\ta\tlong\tint a, int b, int c, int d, int e, int f, int g\n'
reject attr "unknown attribute" '0\ta\tlong\tvoid\tinline\n'
reject unnamed "has no name" '0\ta\tlong\tint *\n'
reject empty "no system calls" '# nothing\n'
reject line-number "line-number.tbl:3" '# c\n0\ta\tlong\tvoid\n0\tb\tlong\tvoid\n'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
