#!/usr/bin/env bash
# dpf-replay's interface and its handling of bad input, plus a short
# dpf-bench run (verdicts cross-checked, so a wrong verdict fails it).
# Prints "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/host
replay=$bin/dpf-replay
pcaps=$root/pcaps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# run NAME WANT_RC STDERR_PART -- CMD...: exit status and message; never a
# crash (signal, sanitizer report).
run() {
  local name=$1 want=$2 part=$3 rc
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ge 128 ] || grep -q Sanitizer "$tmp/err"; then
    bad "$name: crashed (exit $rc)"; return
  fi
  if [ "$rc" != "$want" ]; then
    bad "$name: exit $rc, want $want ($(head -c 300 "$tmp/err"))"; return
  fi
  if [ -n "$part" ] && ! grep -qF -- "$part" "$tmp/err" "$tmp/out"; then
    bad "$name: no \"$part\" in: $(head -c 300 "$tmp/err")"; return
  fi
  ok
}

same() { # NAME GOT WANT
  if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}

# ---- usage ----
run "help" 0 "usage: dpf-replay" -- "$replay" --help
run "no arguments" 2 "usage:" -- "$replay"
run "no file" 2 "usage:" -- "$replay" --count tcp
run "bad engine" 2 "unknown engine 'vm'" -- \
  "$replay" --engine vm --count -r "$pcaps/mixed.pcap" tcp
run "two expressions" 2 "usage:" -- \
  "$replay" --count -r "$pcaps/mixed.pcap" tcp udp

# ---- --count is libpcap's count, for both engines, pcap and pcapng ----
for f in mixed.pcap short.pcap mixed.pcapng; do
  for e in jit interp; do
    want=$("$bin/pcap-count" -r "$pcaps/$f" 'tcp port 80 or udp')
    got=$("$replay" --count --engine $e -r "$pcaps/$f" 'tcp port 80 or udp')
    same "count $f $e" "$got" "$want"
  done
done
got=$("$replay" -r "$pcaps/mixed.pcap" arp)
same "summary line" "$got" "6 of 359 packets matched"

# ---- bad expressions ----
run "syntax error" 1 "bad expression: can't parse" -- \
  "$replay" --count -r "$pcaps/mixed.pcap" 'tcp and ((('
run "unknown host" 1 "bad expression:" -- \
  "$replay" --count -r "$pcaps/mixed.pcap" 'host no.such.host.invalid'
run "cannot express" 1 "cannot express: BPF insn" -- \
  "$replay" --count -r "$pcaps/mixed.pcap" 'ip[2:2] - 20 > 0'
run "too many paths" 1 "DPF_MAX_PATHS" -- \
  "$replay" --count -r "$pcaps/mixed.pcap" \
  'port 1 or port 2 or port 3 or port 4 or port 5 or port 6 or port 7 or port 8 or port 9'
run "matches nothing" 0 "" -- \
  "$replay" --count -r "$pcaps/mixed.pcap" 'len < 10 and len > 20'

# ---- bad capture files: a clear error, never a crash ----
run "missing file" 1 "No such file" -- \
  "$replay" --count -r "$tmp/nonexistent.pcap" tcp
run "bad magic" 1 "unknown file format" -- \
  "$replay" --count -r "$pcaps/bad/bad-magic.pcap" tcp
run "empty file" 1 "truncated dump file" -- \
  "$replay" --count -r "$pcaps/bad/empty.pcap" tcp
run "short header" 1 "truncated dump file" -- \
  "$replay" --count -r "$pcaps/bad/short-header.pcap" tcp
run "not Ethernet" 1 "is not Ethernet" -- \
  "$replay" --count -r "$pcaps/bad/raw-ip.pcap" ip
for f in cut-record huge-caplen; do # the packets before the bad record count
  run "$f" 1 "warning:" -- "$replay" --count -r "$pcaps/bad/$f.pcap" ip
  got=$(cat "$tmp/out")
  want=$("$bin/pcap-count" -r "$pcaps/bad/$f.pcap" ip 2>/dev/null)
  same "$f count" "$got" "$want"
done

# ---- -f: one owner per line, overlap refusals name the other line ----
cat >"$tmp/filters" <<'EOF'
# one filter per line
tcp port 80

udp port 53
tcp
arp
ip6 and tcp port 80
ip[2:2] - 20 > 0
EOF
for e in jit interp; do
  run "filters $e" 1 "" -- "$replay" --engine $e -r "$pcaps/mixed.pcap" \
    -f "$tmp/filters"
  cp "$tmp/out" "$tmp/out.$e"
  grep -q '^line 5: refused: overlaps line 2 (tcp port 80)' "$tmp/out" &&
    grep -q '^line 7: refused: overlaps line 2 (tcp port 80)' "$tmp/out" &&
    grep -q "^line 8: error: cannot express" "$tmp/out" && ok ||
    bad "filters $e: refusals: $(cat "$tmp/out")"
  same "filters $e: port 80" "$(grep '^line 2: ' "$tmp/out" | cut -f1)" \
    "line 2: $("$bin/pcap-count" -r "$pcaps/mixed.pcap" 'tcp port 80')"
  same "filters $e: dns" "$(grep '^line 4: ' "$tmp/out" | cut -f1)" \
    "line 4: $("$bin/pcap-count" -r "$pcaps/mixed.pcap" 'udp port 53')"
  sum=$(grep -E '^line [0-9]+: [0-9]+' "$tmp/out" | cut -f1 |
        awk '{s += $3} END {print s}')
  un=$(sed -n 's/^unmatched: //p' "$tmp/out")
  same "filters $e: every packet counted once" $((sum + un)) 359
done
same "filters: engines agree" "$(cat "$tmp/out.jit")" "$(cat "$tmp/out.interp")"

# ---- -w writes exactly the matching packets ----
"$replay" -r "$pcaps/ipv6.pcap" -w "$tmp/w.pcap" 'icmp6 or udp' >/dev/null
same "-w count" "$("$bin/pcap-count" -r "$tmp/w.pcap" '')" \
  "$("$bin/pcap-count" -r "$pcaps/ipv6.pcap" 'icmp6 or udp')"
same "-w content" "$("$bin/pcap-count" -r "$tmp/w.pcap" 'icmp6 or udp')" \
  "$("$bin/pcap-count" -r "$tmp/w.pcap" '')"

# ---- dpf-bench: a short run, every engine cross-checked ----
run "dpf-bench smoke" 0 "" -- "$bin/dpf-bench" -n 20000 --filters 1,16,256 \
  --repeat 1 --budget 200000
grep -q '^dpf-jit ' "$tmp/out" && grep -q '^hand ' "$tmp/out" &&
  ! grep -q MISMATCH "$tmp/out" && ok || bad "dpf-bench output: $(cat "$tmp/out")"
run "dpf-bench csv" 0 "" -- "$bin/dpf-bench" --csv -n 5000 --filters 1 \
  --repeat 1 --engines dpf-jit,hand
same "dpf-bench csv header" "$(head -1 "$tmp/out")" \
  "engine,filters,packets,ns_per_packet,mpps"
run "dpf-bench -r" 0 "" -- "$bin/dpf-bench" -r "$pcaps/mixed.pcap" -n 5000 \
  --filters 1,64 --repeat 1 --engines dpf-jit,dpf-interp,libpcap,hand
grep -q '^dpf-interp *64 ' "$tmp/out" && ! grep -q MISMATCH "$tmp/out" && ok ||
  bad "dpf-bench -r output: $(cat "$tmp/out")"
run "dpf-bench not Ethernet" 1 "is not Ethernet" -- \
  "$bin/dpf-bench" -r "$pcaps/bad/raw-ip.pcap"
run "dpf-bench bad option" 2 "usage:" -- "$bin/dpf-bench" --filters 0

echo "$passed passed, $failed failed"
[ $failed = 0 ]
