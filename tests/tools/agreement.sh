#!/usr/bin/env bash
# Agreement of DPF with libpcap. For every expression of exprs.txt and
# every capture of pcaps/ (plus, when it exists, the tcpdump test corpus in
# ../shared/pcaps/tcpdump-tests), `dpf-replay --count` with the JIT and with
# the interpreter must print the count libpcap's own filter gives
# (pcap-count: pcap_offline_filter). Expressions listed in
# expected-unsupported.txt must instead be refused, with the listed reason.
# A capture libpcap cannot read must make both tools fail the same way.
#
# One check per (capture, engine), passed when every expression agrees;
# ends with "N passed, N failed". All expressions of one capture run in one process per tool
# (the -F batch mode), which keeps the whole run to about a minute.
#
# Environment: DPF_SHARED_PCAPS=DIR overrides the corpus location;
# DPF_SHARED_PCAPS=none skips it.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/host
here=$root/tests/tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for t in dpf-replay pcap-count; do
  [ -x "$bin/$t" ] || { echo "agreement: $bin/$t missing (run make)"; exit 1; }
done

# The corpus lives next to the project: ../shared from the root, or from
# the main checkout when this is a git worktree.
find_corpus() {
  local c common
  if [ -n "${DPF_SHARED_PCAPS:-}" ]; then
    [ "$DPF_SHARED_PCAPS" != none ] && echo "$DPF_SHARED_PCAPS"
    return
  fi
  for c in "$root/../shared/pcaps/tcpdump-tests" \
           "$(dirname "$root")/shared/pcaps/tcpdump-tests"; do
    [ -d "$c" ] && { cd "$c" && pwd; return; }
  done
  common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir \
           2>/dev/null) || return
  c=$(dirname "$(dirname "$common")")/shared/pcaps/tcpdump-tests
  [ -d "$c" ] && echo "$c"
}

grep -v '^[[:space:]]*#' "$here/exprs.txt" | sed 's/[[:space:]]*$//' |
  grep -v '^$' >"$tmp/exprs"
nexpr=$(wc -l <"$tmp/exprs")
# expected-unsupported: EXPR<TAB>message part
grep -v '^#' "$here/expected-unsupported.txt" | grep -v '^$' >"$tmp/unsup"

files=("$root"/pcaps/*.pcap "$root"/pcaps/*.pcapng)
corpus=$(find_corpus)
if [ -n "$corpus" ]; then
  files+=("$corpus"/*)
  echo "agreement: corpus $corpus"
else
  echo "agreement: no shared corpus (../shared/pcaps/tcpdump-tests); project pcaps only"
fi

passed=0 failed=0 shown=0 compared=0
report() { # message
  failed=$((failed + 1))
  if [ $shown -lt 40 ]; then echo "FAIL $1"; shown=$((shown + 1)); fi
}

for f in "${files[@]}"; do
  "$bin/pcap-count" -r "$f" -F "$tmp/exprs" >"$tmp/ref" 2>"$tmp/ref.err"
  ref_rc=$?
  for engine in jit interp; do
    "$bin/dpf-replay" --count --engine $engine -r "$f" -F "$tmp/exprs" \
      >"$tmp/got" 2>"$tmp/got.err"
    rc=$?
    if [ $rc -ge 128 ] || grep -q 'Sanitizer' "$tmp/got.err"; then
      report "$f ($engine): dpf-replay crashed (exit $rc)"
      continue
    fi
    if [ ! -s "$tmp/ref" ]; then # libpcap cannot read it: nor may we
      if [ ! -s "$tmp/got" ] && [ $rc != 0 ] && [ $ref_rc != 0 ]; then
        passed=$((passed + 1))
      else
        report "$f ($engine): libpcap refuses the file, dpf-replay did not"
      fi
      continue
    fi
    # expr \t ref \t got, then judge each line
    paste "$tmp/exprs" "$tmp/ref" "$tmp/got" | awk -F'\t' \
      -v file="$f" -v engine="$engine" -v n="$nexpr" -v unsup="$tmp/unsup" '
      BEGIN { while ((getline l < unsup) > 0) { split(l, u, "\t"); want[u[1]] = u[2] } }
      {
        e = $1; r = $2; g = $3
        if (e in want) {
          if (index(g, "error: ") == 1 && index(g, want[e]) > 0) ok++
          else { bad++; print "FAIL " file " (" engine "): \"" e "\": expected refusal \"" want[e] "\", got \"" g "\"" }
        } else if (g == r) ok++
        else { bad++; print "FAIL " file " (" engine "): \"" e "\": dpf " g ", libpcap " r }
      }
      END { if (NR != n) { bad++; print "FAIL " file " (" engine "): " NR " result lines for " n " expressions" }
            printf "COUNTS %d %d\n", ok, bad }' >"$tmp/judged"
    read -r _ p fl < <(grep '^COUNTS' "$tmp/judged")
    compared=$((compared + p + fl))
    if [ "$fl" -gt 0 ]; then
      failed=$((failed + 1))
      grep '^FAIL' "$tmp/judged" | head -n $((40 - shown > 0 ? 40 - shown : 0))
      shown=$((shown + fl))
    else
      passed=$((passed + 1))
    fi
  done
done

echo "agreement: ${#files[@]} captures x $nexpr expressions x 2 engines:" \
  "$compared counts compared"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
