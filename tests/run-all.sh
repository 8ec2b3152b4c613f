#!/usr/bin/env bash
# The `make check` driver: runs every host test executable given on the
# command line, then every QEMU case in tests/qemu/cases (two at a time), and
# prints one total line "N passed, N failed".
#
# Counting: a CMocka binary contributes its own per-test counts; any other
# executable that prints a line "N passed, N failed" contributes those; else
# an executable counts as one test, passed if it exits 0. A non-zero exit with
# no failure counted (a crash after the summary) adds one failure.
#
# Environment: QEMU_CASES="a b" runs only those cases (names without .test);
# QEMU=0 skips QEMU tests; HOST=0 skips host tests; LOGDIR=dir puts the logs
# somewhere other than build/test-logs (for concurrent runs).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
logdir=${LOGDIR:-$root/build/test-logs}
export LOGDIR=$logdir
mkdir -p "$logdir"
passed=0
failed=0

count_output() { # file rc -> echoes "p f"
  local file=$1 rc=$2 p=0 f=0 found=0 line
  # CMocka: "[  PASSED  ] 3 test(s)." and "[  FAILED  ] 1 test(s), listed below:"
  while IFS= read -r line; do
    if [[ $line =~ ^\[\ \ PASSED\ \ \]\ ([0-9]+)\ test ]]; then
      p=$((p + BASH_REMATCH[1])); found=1
    elif [[ $line =~ ^\[\ \ FAILED\ \ \]\ ([0-9]+)\ test ]]; then
      f=$((f + BASH_REMATCH[1])); found=1
    elif [[ $line =~ ^([A-Za-z-]+:\ )?([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      p=$((p + BASH_REMATCH[2])); f=$((f + BASH_REMATCH[3])); found=1
    fi
  done <"$file"
  if [ $found = 0 ]; then
    if [ "$rc" = 0 ]; then p=1; else f=1; fi
  elif [ "$rc" != 0 ] && [ $f = 0 ]; then
    f=1
  fi
  echo "$p $f"
}

if [ "${HOST:-1}" != 0 ]; then
  for t in "$@"; do
    name=$(echo "${t#"$root"/}" | sed 's#^build/##; s#/#-#g')
    log=$logdir/host-$name.log
    (cd "$root" && "$t") >"$log" 2>&1
    rc=$?
    read -r p f < <(count_output "$log" "$rc")
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" = 0 ]; then
      echo "PASS $t ($p)"
    else
      echo "FAIL $t ($f failed, exit $rc) -- log: $log"
      tail -n 40 "$log"
    fi
  done
fi

if [ "${QEMU:-1}" != 0 ]; then
  cases=()
  if [ -n "${QEMU_CASES:-}" ]; then
    for c in $QEMU_CASES; do cases+=("$root/tests/qemu/cases/$c.test"); done
  else
    for c in "$root"/tests/qemu/cases/*.test; do [ -e "$c" ] && cases+=("$c"); done
  fi
  if [ ${#cases[@]} -gt 0 ]; then
    out=$logdir/qemu-summary.$$.txt
    printf '%s\n' "${cases[@]}" |
      xargs -P "${QEMU_JOBS:-2}" -I{} bash "$root/tests/qemu/run-case.sh" {} >"$out" 2>&1
    cat "$out"
    p=$(grep -c '^PASS qemu/' "$out")
    f=$(grep -c '^FAIL qemu/' "$out")
    rm -f "$out"
    passed=$((passed + p)); failed=$((failed + f))
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
