#!/usr/bin/env bash
# Shards merge: articles built in separate parts and merged with
# `newskg merge` give the same graph (the same set of triples: newskg writes
# no blank nodes, so sorted N-Triples compare graphs) as one build of all of
# them, on the example articles, on a 200-article sample of the BBC
# corpus split several ways, written and read in every line and Turtle
# syntax, and on the whole BBC corpus in 5 parts. Shards are built with
# --shard (events reported by articles of different shards are merged by
# the merge). Environment (set by CTest): NEWSKG, NKG_SHARED, NEWSKG_DATA,
# SOURCE_DATE_EPOCH.
set -euo pipefail

: "${NEWSKG:?path of the newskg binary}"
: "${NKG_SHARED:?path of the shared folder (seeds, corpora)}"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
# the merge reads N-Triples and N-Quads with raptor's parser, whose leak
# tests/lsan.supp matches deep in the library (see there)
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}fast_unwind_on_malloc=0"
seeds=$NKG_SHARED/seeds
bbc=$NKG_SHARED/corpora/bbc/news
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# sorted, unique N-Triples (or N-Quads) lines of a line-format file
lines() { LC_ALL=C sort -u "$1"; }

# the graph of a file in any syntax as sorted N-Triples lines
as_ntriples() {
  case $1 in
  *.nt) lines "$1" ;;
  *) rapper -q -i "$(case $1 in *.ttl) echo turtle ;; *.nq) echo nquads ;;
                     esac)" -o ntriples "$1" | LC_ALL=C sort -u ;;
  esac
}

same() { # same NAME EXPECTED ACTUAL
  if ! cmp -s <(as_ntriples "$2") <(as_ntriples "$3"); then
    fail "$1: merged graph differs from one build"
    diff <(as_ntriples "$2") <(as_ntriples "$3") | head -20 >&2
  fi
}

# split FOLDER-OF-TXT N MODE OUT: OUT/part1..N, round-robin or contiguous
split_into() {
  local src=$1 n=$2 mode=$3 out=$4 i=0 total
  total=$(find "$src" -name '*.txt' | wc -l)
  for k in $(seq 1 "$n"); do mkdir -p "$out/part$k"; done
  find "$src" -name '*.txt' | LC_ALL=C sort | while read -r f; do
    if [[ $mode == rr ]]; then
      k=$((i % n + 1))
    else
      k=$((i * n / total + 1))
    fi
    cp "$f" "$out/part$k/"
    i=$((i + 1))
  done
}

# ---- the example articles: one shard each, in three syntaxes ------------
mkdir -p "$work/seeds"
cp "$seeds"/*.txt "$work/seeds/"
split_into "$work/seeds" 3 rr "$work/s"
"$NEWSKG" extract -q "$work/seeds" -f ntriples -o "$work/seeds.nt"
"$NEWSKG" extract -q "$work/seeds" -f nquads -o "$work/seeds.nq"
"$NEWSKG" extract -q --shard "$work/s/part1" -f ntriples -o "$work/s1.nt"
"$NEWSKG" extract -q --shard "$work/s/part2" -f turtle -o "$work/s2.ttl"
"$NEWSKG" extract -q --shard "$work/s/part3" -f nquads -o "$work/s3.nq"
"$NEWSKG" merge -q "$work/s1.nt" "$work/s2.ttl" "$work/s3.nq" -f ntriples \
  -o "$work/seeds-merged.nt"
same "seeds, 3 shards (nt+ttl+nq) to N-Triples" "$work/seeds.nt" \
  "$work/seeds-merged.nt"
# the order of the inputs does not matter
"$NEWSKG" merge -q "$work/s3.nq" "$work/s1.nt" "$work/s2.ttl" -f turtle \
  -o "$work/seeds-merged.ttl"
same "seeds, shards in another order, to Turtle" "$work/seeds.nt" \
  "$work/seeds-merged.ttl"
# N-Quads: the same quads (documents' own graphs and the merged graph)
for k in 1 2 3; do
  "$NEWSKG" extract -q --shard "$work/s/part$k" -f nquads -o "$work/q$k.nq"
done
"$NEWSKG" merge -q "$work/q1.nq" "$work/q2.nq" "$work/q3.nq" -f nquads \
  -o "$work/seeds-merged.nq"
cmp -s <(lines "$work/seeds.nq") <(lines "$work/seeds-merged.nq") ||
  fail "seeds: merged N-Quads differ from one build"

# ---- a 200-article sample of the BBC corpus -------------------------------
mkdir -p "$work/bbc200"
(cd "$bbc" && find . -name '*.txt' | LC_ALL=C sort | awk 'NR % 10 == 1' |
  head -200 | while read -r f; do cp "$f" "$work/bbc200/"; done)
[[ $(find "$work/bbc200" -name '*.txt' | wc -l) -eq 200 ]] ||
  fail "the BBC sample does not hold 200 articles"
"$NEWSKG" extract -q "$work/bbc200" -f ntriples -o "$work/bbc.nt"
"$NEWSKG" extract -q "$work/bbc200" -f nquads -o "$work/bbc.nq"

# four shards, round robin, N-Triples
split_into "$work/bbc200" 4 rr "$work/b4"
for k in 1 2 3 4; do
  "$NEWSKG" extract -q --shard "$work/b4/part$k" -f ntriples -o "$work/b4-$k.nt"
done
"$NEWSKG" merge -q "$work"/b4-*.nt -f ntriples -o "$work/bbc-4.nt"
same "BBC 200, 4 round-robin shards" "$work/bbc.nt" "$work/bbc-4.nt"

# two contiguous halves, Turtle in and out
split_into "$work/bbc200" 2 contiguous "$work/b2"
for k in 1 2; do
  "$NEWSKG" extract -q --shard "$work/b2/part$k" -f turtle -o "$work/b2-$k.ttl"
done
"$NEWSKG" merge -q "$work/b2-1.ttl" "$work/b2-2.ttl" -o "$work/bbc-2.ttl"
same "BBC 200, 2 halves in Turtle" "$work/bbc.nt" "$work/bbc-2.ttl"

# seven contiguous shards, N-Quads in and out: the same quads
split_into "$work/bbc200" 7 contiguous "$work/b7"
for k in $(seq 1 7); do
  "$NEWSKG" extract -q --shard "$work/b7/part$k" -f nquads -o "$work/b7-$k.nq"
done
"$NEWSKG" merge -q "$work"/b7-*.nq -f nquads -o "$work/bbc-7.nq"
cmp -s <(lines "$work/bbc.nq") <(lines "$work/bbc-7.nq") ||
  fail "BBC 200, 7 shards: merged N-Quads differ from one build"

# a merge of one complete build changes nothing
"$NEWSKG" merge -q "$work/bbc.nt" -f ntriples -o "$work/bbc-1.nt"
same "BBC 200, merge of the whole build" "$work/bbc.nt" "$work/bbc-1.nt"

# ---- the whole BBC corpus in 5 round-robin parts ---------------------------
# (posts of different people that share a role written two ways,
# "director general" and "director-general", meet only at this size)
split_into "$bbc" 5 rr "$work/w5"
for k in 1 2 3 4 5; do
  "$NEWSKG" extract -q --shard "$work/w5/part$k" -f ntriples -o "$work/w5-$k.nt"
done
"$NEWSKG" extract -q "$bbc" -f ntriples -o "$work/whole.nt"
"$NEWSKG" merge -q "$work"/w5-*.nt -f ntriples -o "$work/whole-5.nt"
same "the BBC corpus, 5 round-robin shards" "$work/whole.nt" "$work/whole-5.nt"
rm -rf "$work/w5" "$work"/w5-*.nt

# ---- what a merge refuses ------------------------------------------------
set +e
"$NEWSKG" merge -q "$work/b4-1.nt" "$work/b4-1.nt" -o "$work/dup.nt" \
  2>"$work/dup.err"
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "an article in two shards: exit $rc, not 3"
grep -q "two inputs" "$work/dup.err" ||
  fail "an article in two shards: no message naming the problem"
[[ ! -e $work/dup.nt ]] || fail "a refused merge left an output file"
printf '_:b <http://x/p> "o" .\n' >"$work/blank.nt"
if "$NEWSKG" merge -q "$work/blank.nt" -o "$work/blank.out" 2>/dev/null; then
  fail "a graph with blank nodes was merged"
fi
if "$NEWSKG" merge -q - </dev/null 2>/dev/null; then
  fail "standard input was accepted as a merge input"
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures shard-merge checks failed" >&2
  exit 1
fi
echo "shard merge: all checks passed"
