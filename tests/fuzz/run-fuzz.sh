#!/usr/bin/env bash
# Runs libFuzzer targets for a fixed time each and prints one line per
# target plus "N passed, N failed" (the form tests/run-all.sh counts).
#
#   run-fuzz.sh SECONDS NAME:BINARY:SEEDDIR[,SEEDDIR...] ...
#
# A target passes if it ran for SECONDS without a finding. The corpus
# grows in build/fuzz/corpus/NAME; findings are saved as
# build/fuzz/crash-NAME-*; the log is build/test-logs/fuzz-NAME.log.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
secs=$1
shift
mkdir -p build/test-logs build/fuzz
passed=0
failed=0
for spec in "$@"; do
  IFS=: read -r name bin seeds <<<"$spec"
  corpus=build/fuzz/corpus/$name
  log=build/test-logs/fuzz-$name.log
  mkdir -p "$corpus"
  dirs=("$corpus")
  IFS=, read -ra seedv <<<"$seeds"
  for d in "${seedv[@]}"; do
    [ -d "$d" ] && dirs+=("$d")
  done
  if "$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="build/fuzz/crash-$name-" \
       "${dirs[@]}" >"$log" 2>&1; then
    # -a: the log holds the fuzzer's inputs, binary bytes included;
    # libFuzzer's final stats, else its "Done N runs" line.
    runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+|Done [0-9]+ runs' \
             "$log" | grep -aoE '[0-9]+' | tail -n 1)
    echo "PASS fuzz $name (${runs:-?} runs in ${secs}s)"
    passed=$((passed + 1))
  else
    echo "FAIL fuzz $name -- log: $log"
    grep -aE 'ERROR|fuzz_|SUMMARY|Test unit written' "$log" | head -n 20
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
