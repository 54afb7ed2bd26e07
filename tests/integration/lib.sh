# shellcheck shell=bash disable=SC2034  # RC, SECS, CPU, PY, WORK are for the tests
# Helpers sourced by the integration tests (tests/integration/test_*.sh).
# ctest sets NEWSKG (the binary), NEWSKG_DATA, NKG_SHARED, NKG_SRC, NKG_BUILD
# and SOURCE_DATE_EPOCH=0; see tests/CMakeLists.txt.
set -u

: "${NEWSKG:?NEWSKG is not set: run the test through ctest}"
: "${NKG_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${NKG_SHARED:=$NKG_SRC/../shared}"
: "${NEWSKG_DATA:=$NKG_SRC/data}"
export NEWSKG NKG_SRC NKG_SHARED NEWSKG_DATA

# Debian's python3 has rdflib; a python3 earlier on PATH may not.
PY=/usr/bin/python3
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/newskg-$TEST_NAME.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

n_pass=0
n_fail=0

pass() {
  n_pass=$((n_pass + 1))
  printf 'ok   %s\n' "$*"
}

fail() {
  n_fail=$((n_fail + 1))
  printf 'FAIL %s\n' "$*"
}

# check DESCRIPTION COMMAND...: one assertion; the command's status decides.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# Prints the closing line and exits 1 if any assertion failed.
finish() {
  printf '%s: %d passed, %d failed\n' "$TEST_NAME" "$n_pass" "$n_fail"
  [ "$n_fail" -eq 0 ]
  exit $?
}

# run LABEL COMMAND...: runs with no stdin; stdout in $WORK/LABEL.out,
# stderr in $WORK/LABEL.err, exit status in $RC, wall seconds in $SECS and
# CPU seconds (user + system) in $CPU.
run() {
  local label=$1 TIMEFORMAT='%3R %3U %3S' times
  shift
  { time "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" </dev/null; } 2>"$WORK/$label.time"
  RC=$?
  times=$(tail -n 1 "$WORK/$label.time")
  SECS=${times%% *}
  CPU=$(awk '{ printf "%.2f", $2 + $3 }' <<<"$times")
}

# rapper_count FILE SYNTAX: prints the triple count rapper reads, or
# nothing (and status 1) when rapper reports any error or warning.
rapper_count() {
  local log
  log=$(rapper -i "$2" -c "$1" 2>&1) || { printf '%s\n' "$log" | tail -n 3 >&2; return 1; }
  if printf '%s\n' "$log" | grep -qE '^rapper: (Error|Warning)'; then
    printf '%s\n' "$log" | grep -E '^rapper: (Error|Warning)' | head -n 3 >&2
    return 1
  fi
  printf '%s\n' "$log" | sed -n 's/.*Parsing returned \([0-9]*\) .*/\1/p'
}

# rdflib_count FILE FORMAT: triples (quads for nquads) rdflib reads.
rdflib_count() {
  "$PY" - "$1" "$2" <<'PY'
import sys
import rdflib
path, fmt = sys.argv[1], sys.argv[2]
g = rdflib.Dataset() if fmt == "nquads" else rdflib.Graph()
g.parse(path, format=fmt)
print(sum(1 for _ in g.quads((None, None, None, None))) if fmt == "nquads" else len(g))
PY
}

# doc_ids FILE SYNTAX: the schema:identifier of every schema:NewsArticle,
# sorted, one per line (read back through rapper, independently of the
# writer's layout).
doc_ids() {
  rapper -q -i "$2" -o ntriples "$1" 2>/dev/null | "$PY" -c '
import re, sys
typed, ident = set(), {}
for line in sys.stdin:
    m = re.match(r"(<[^>]*>) <([^>]*)> (.*) \.\s*$", line)
    if not m:
        continue
    s, p, o = m.groups()
    if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and o == "<http://schema.org/NewsArticle>":
        typed.add(s)
    elif p == "http://schema.org/identifier":
        ident[s] = re.match(r"\"(.*)\"", o).group(1)
for i in sorted(ident[s] for s in typed if s in ident):
    print(i)
'
}

# no_tmp_left DIR: no temporary output file (NAME.tmp.XXXXXX) in DIR.
no_tmp_left() {
  [ -z "$(find "$1" -maxdepth 1 -name '*.tmp.*' -print -quit)" ]
}

# grep_q PATTERN FILE: a fixed string is in the file.
has() { grep -qF -- "$1" "$2"; }
