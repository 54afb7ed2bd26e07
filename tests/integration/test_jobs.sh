#!/usr/bin/env bash
# --jobs: articles processed in worker threads give the same output, byte
# for byte, as one job, in every format; -f none writes nothing and counts
# the triples the others write; bad --jobs values are usage errors.
# Environment (set by CTest): NEWSKG, NKG_SHARED, NEWSKG_DATA,
# SOURCE_DATE_EPOCH.
set -euo pipefail

: "${NEWSKG:?path of the newskg binary}"
: "${NKG_SHARED:?path of the shared folder (seeds, corpora)}"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

mkdir -p "$work/in"
cp "$NKG_SHARED"/seeds/*.txt "$work/in/"
(cd "$NKG_SHARED/corpora/bbc/news" && find . -name '*.txt' | LC_ALL=C sort |
  awk 'NR % 20 == 7' | head -100 | while read -r f; do
    cp "$f" "$work/in/"
  done)

for fmt in ntriples nquads turtle rdfxml; do
  "$NEWSKG" extract -q "$work/in" -f "$fmt" -o "$work/one.$fmt"
  for j in 2 3 8; do
    "$NEWSKG" extract -q -j "$j" "$work/in" -f "$fmt" -o "$work/many.$fmt"
    cmp -s "$work/one.$fmt" "$work/many.$fmt" ||
      fail "$fmt: --jobs $j output differs from --jobs 1"
  done
done

# the lexicon, loaded on two threads where the process may run on two
# processors, is the same loaded on one (pinned to a single processor)
if command -v taskset >/dev/null; then
  cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
  taskset -c "$cpu" "$NEWSKG" extract -q "$work/in" -f ntriples \
    -o "$work/pinned.ntriples"
  cmp -s "$work/one.ntriples" "$work/pinned.ntriples" ||
    fail "the output on one processor differs from the output on all"
fi

# the summary counts the same triples with -f none as with N-Triples
count() { sed -n 's/.* \([0-9][0-9]*\) triples.*/\1/p'; }
nt=$("$NEWSKG" extract "$work/in" -f ntriples -o /dev/null 2>&1 | count)
none=$("$NEWSKG" extract -j 2 "$work/in" -f none -o "$work/none.out" 2>&1 |
  count)
[[ -n $nt && $nt == "$none" ]] || fail "-f none counted '$none', not '$nt'"
[[ $nt == $(wc -l <"$work/one.ntriples" | tr -d ' ') ]] ||
  fail "the summary's triple count is not the number of N-Triples lines"
[[ ! -s $work/none.out ]] || fail "-f none wrote something"

# invalid articles are reported and skipped with several jobs too
printf 'ok text about Tony Blair.\n' >"$work/in/zz-good.txt"
printf 'bad \xff text\n' >"$work/in/zz-bad.txt"
set +e
"$NEWSKG" extract -q -j 3 "$work/in" -f ntriples -o "$work/bad.nt" \
  2>"$work/bad.err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "an invalid article with --jobs 3: exit $rc, not 1"
grep -q "zz-bad" "$work/bad.err" || fail "the invalid article is not named"
grep -q "doc/zz-good>" "$work/bad.nt" || fail "the valid article is missing"

rm "$work/in/zz-good.txt" "$work/in/zz-bad.txt"

for bad in -1 x 257 ""; do
  set +e
  "$NEWSKG" extract -q -j "$bad" "$work/in" -f none 2>/dev/null
  rc=$?
  set -e
  [[ $rc -eq 2 ]] || fail "--jobs '$bad': exit $rc, not 2 (usage)"
done
"$NEWSKG" extract -q -j 0 "$work/in" -f none || fail "--jobs 0 was refused"

if [[ $failures -ne 0 ]]; then
  echo "$failures --jobs checks failed" >&2
  exit 1
fi
echo "jobs: all checks passed"
