#!/usr/bin/env bash
# The persistent store (newskg extract --store): an incremental build holds
# exactly the quads of a batch build of the same articles (compared through
# rapper, and through rdflib as graphs); adding again changes nothing, not
# even a byte of the file; a changed article replaces its facts; an add
# killed with SIGKILL at a random moment leaves the old store or the new
# one, never a part, and the next add completes it; a second writer, or a
# writer beside a reader, is refused with a clear message; Redland's own
# rdfproc reads the store.
. "$(dirname "$0")/lib.sh"

BBC=$NKG_SHARED/corpora/bbc/news
SEEDS=$NKG_SHARED/seeds
command -v rdfproc >/dev/null || { fail "rdfproc not found (redland-utils)"; finish; }

mapfile -t seeds < <(ls "$SEEDS"/*.txt | sort)
mapfile -t setA < <(ls "$BBC"/business/*.txt | sort | head -n 24)
mapfile -t setB < <(ls "$BBC"/politics/*.txt | sort | head -n 150)
check "inputs found (3 seeds, 24 + 150 BBC articles)" \
  [ "${#seeds[@]}" -eq 3 -a "${#setA[@]}" -eq 24 -a "${#setB[@]}" -eq 150 ]

# status_says RC WANT TEXT FILE: the exit status is WANT and FILE says TEXT.
status_says() { [ "$1" -eq "$2" ] && has "$3" "$4"; }

# canon FILE: the statements of an N-Quads file, as raptor writes them,
# sorted and unique (the same writer for both sides of a comparison).
canon() { rapper -q -i nquads -o nquads "$1" | LC_ALL=C sort -u; }
# dump STORE: the store's quads, read by Redland's rdfproc (not newskg).
dump() { rdfproc -q -s sqlite "$1" serialize nquads 2>/dev/null | LC_ALL=C sort -u; }
# batch NAME FILES...: the batch build's quads, canonical, in $WORK/NAME.nq
batch() {
  local name=$1
  shift
  "$NEWSKG" extract -q -f nquads "$@" -o "$WORK/$name.raw.nq" &&
    canon "$WORK/$name.raw.nq" >"$WORK/$name.nq"
}
# same_quads STORE NAME: the store holds exactly batch NAME's quads.
same_quads() {
  dump "$1" | canon /dev/stdin >"$WORK/dump.nq"
  if cmp -s "$WORK/dump.nq" "$WORK/$2.nq"; then return 0; fi
  diff "$WORK/dump.nq" "$WORK/$2.nq" | head -n 6 | sed 's/^/    /'
  return 1
}

all=("${seeds[@]}" "${setA[@]}")
batch all "${all[@]}" || fail "batch build of seeds + set A"

# --- incremental equals batch -------------------------------------------------
S=$WORK/kg.db
run add1 "$NEWSKG" extract --store "$S" "${seeds[0]}"
check "first add creates the store (exit $RC: $(head -c 200 "$WORK/add1.err"))" \
  [ "$RC" -eq 0 -a -f "$S" ]
check "the summary says 1 added" has "1 added, 0 changed, 0 unchanged" "$WORK/add1.err"
run add2 "$NEWSKG" extract --store "$S" "${setA[@]:0:12}" "${seeds[2]}"
run add3 "$NEWSKG" extract --store "$S" "${seeds[1]}" "${setA[@]:12}"
check "two more adds (exit $RC)" [ "$RC" -eq 0 ]
check "incremental store = batch build, quad for quad ($(wc -l <"$WORK/all.nq") quads)" \
  same_quads "$S" all

# through newskg query: the union graph is the batch Turtle, as graphs (rdflib)
"$NEWSKG" extract -q "${all[@]}" -o "$WORK/all.ttl"
run construct "$NEWSKG" query --store "$S" -r ntriples \
  'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }'
check "CONSTRUCT over the store runs (exit $RC)" [ "$RC" -eq 0 ]
"$PY" - "$WORK/construct.out" "$WORK/all.ttl" >"$WORK/iso.txt" 2>&1 <<'PY'
import sys
from rdflib import Graph
from rdflib.compare import isomorphic, to_isomorphic, graph_diff
a = Graph().parse(sys.argv[1], format="nt")
b = Graph().parse(sys.argv[2], format="turtle")
if isomorphic(a, b):
    print(f"isomorphic, {len(a)} triples")
    sys.exit(0)
both, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
print(f"store {len(a)} vs batch {len(b)}; only in store: {len(only_a)}, only in batch: {len(only_b)}")
for t in list(only_a)[:3]: print("  store:", t)
for t in list(only_b)[:3]: print("  batch:", t)
sys.exit(1)
PY
st=$?
check "rdflib: the store's graph is isomorphic to the batch Turtle ($(head -n 1 "$WORK/iso.txt"))" \
  [ "$st" -eq 0 ]

# --- adding twice changes nothing ---------------------------------------------
before=$(sha256sum <"$S")
run again "$NEWSKG" extract --store "$S" "${all[@]}"
check "re-adding everything: exit 0, 0 added, 0 changed, 27 unchanged" \
  status_says "$RC" 0 "0 added, 0 changed, 27 unchanged" "$WORK/again.err"
check "re-adding leaves the file byte-identical" [ "$(sha256sum <"$S")" = "$before" ]

# --- a changed article replaces its facts --------------------------------------
mkdir -p "$WORK/changed"
changed=$WORK/changed/$(basename "${setA[3]}")
sed 's/\./. Gordon Brown met Vladimir Putin in Moscow./' "${setA[3]}" >"$changed"
run change "$NEWSKG" extract --store "$S" "$changed"
check "a changed article: exit 0, 1 changed" \
  status_says "$RC" 0 "0 added, 1 changed" "$WORK/change.err"
others=()
for f in "${all[@]}"; do [ "$f" = "${setA[3]}" ] || others+=("$f"); done
batch changed "${others[@]}" "$changed"
check "after the change the store = batch build with the changed text" \
  same_quads "$S" changed
run restore "$NEWSKG" extract --store "$S" "${setA[3]}"
check "restoring the article gives the original store back" same_quads "$S" all

# --- options the store keeps -----------------------------------------------------
run otherbase "$NEWSKG" extract --store "$S" --base http://other.example/ "${seeds[0]}"
check "another --base is refused (exit 3) naming the store's base" \
  status_says "$RC" 3 "http://example.org/newskg/" "$WORK/otherbase.err"
run nooutput "$NEWSKG" extract --store "$S" -o "$WORK/x.ttl" "${seeds[0]}"
check "-o with --store is a usage error (exit 2)" [ "$RC" -eq 2 ]
run missing "$NEWSKG" query --store "$WORK/none.db" 'ASK { ?s ?p ?o }'
check "querying a missing store: exit 3, 'no such store'" \
  status_says "$RC" 3 "no such store" "$WORK/missing.err"
printf 'not a store' >"$WORK/junk.db"
run junk "$NEWSKG" query --store "$WORK/junk.db" 'ASK { ?s ?p ?o }'
check "a file that is not a store: exit 3 with a message naming it" \
  status_says "$RC" 3 "junk.db" "$WORK/junk.err"

# --- SIGKILL in the middle of an add -------------------------------------------------
batch big "${all[@]}" "${setB[@]}"
cp "$S" "$WORK/base.db"
cp "$S" "$WORK/timed.db"
t0=$EPOCHREALTIME
"$NEWSKG" extract -q --store "$WORK/timed.db" "${setB[@]}" 2>"$WORK/timed.err"
check "an uninterrupted add of 150 articles (exit $?)" same_quads "$WORK/timed.db" big
T=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
echo "    (the add takes ${T}s)"
for round in 1 2 3; do
  K=$WORK/kill$round.db
  cp "$WORK/base.db" "$K"
  rm -f "$K.lock"
  delay=$(awk -v t="$T" -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.1 + (t * 0.95) * r / 32768 }')
  "$NEWSKG" extract -q --store "$K" "${setB[@]}" 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if same_quads "$K" all >/dev/null; then state=old
  elif same_quads "$K" big >/dev/null; then state=new
  else state=partial; fi
  check "round $round: killed after ${delay}s: the store is whole ($state)" \
    [ "$state" != partial ]
  run resume$round "$NEWSKG" extract --store "$K" "${setB[@]}"
  if has "interrupted add" "$WORK/resume$round.err"; then
    echo "    (the kill came after the texts were written: applied again)"
  fi
  check "round $round: the next add completes it (exit $RC)" \
    same_quads "$K" big
done

# --- one writer; readers and writers refused with a message --------------------------
W=$WORK/busy.db
cp "$WORK/base.db" "$W"
"$NEWSKG" extract -q --store "$W" "${setB[@]}" 2>"$WORK/bg.err" &
pid=$!
sleep 1
if kill -0 "$pid" 2>/dev/null; then
  run reader "$NEWSKG" query --store "$W" 'ASK { ?s ?p ?o }'
  check "a query during an add is refused (exit 3) saying the store is being updated" \
    status_says "$RC" 3 "being updated" "$WORK/reader.err"
  run writer2 "$NEWSKG" extract --store "$W" "${seeds[0]}"
  check "a second writer is refused (exit 3) saying the store is in use" \
    status_says "$RC" 3 "in use" "$WORK/writer2.err"
else
  fail "the background add ended within a second; no concurrency tested"
fi
wait "$pid"
check "the background add finished well (exit $?)" same_quads "$W" big
flock -s "$W.lock" sleep 3 &
lockpid=$!
sleep 0.5
run writer3 "$NEWSKG" extract --store "$W" "${seeds[0]}"
check "a writer while a reader holds the store is refused (exit 3)" \
  status_says "$RC" 3 "in use" "$WORK/writer3.err"
run reader2 "$NEWSKG" query --store "$W" -r csv 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
check "readers share the store (exit $RC)" [ "$RC" -eq 0 ]
wait "$lockpid"

finish
