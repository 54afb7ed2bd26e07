#!/usr/bin/env bash
# Positions, memberships and ties on the three seed articles: kgscore finds
# every required position, membership and relation of gold.json, and the
# competency questions about them (CQ4 who holds which post, CQ5 the members
# of the Quartet, CQ9 whose son Omri Sharon is, CQ14 the characters stating
# a post) are answered by tests/queries/cqNN.rq in three SPARQL engines:
# rdflib, librdf/rasqal over an indexed store (rdfproc, as the project's
# engine runs them) and rasqal's own in-memory store (roqet).
. "$(dirname "$0")/lib.sh"

SEEDS=$NKG_SHARED/seeds
CQ=$NKG_SRC/tests/integration/check_competency.py
QUERIES=$NKG_SRC/tests/queries
QUESTIONS=(4 5 9 14)

run seeds "$NEWSKG" extract "$SEEDS"/*.txt -o "$WORK/seeds.ttl"
check "extract exits 0 (got $RC)" [ "$RC" -eq 0 ]

# --- kgscore: the required rows of positions, memberships, relations
"$PY" "$NKG_SHARED/tools/kgscore" "$SEEDS/gold.json" "$WORK/seeds.ttl" \
  >"$WORK/kgscore.txt" 2>&1
check "kgscore could score the graph" [ $? -eq 0 ]
grep -E '^(positions|memberships|relations) ' "$WORK/kgscore.txt" |
  sed 's/^/    /'
summary=$(tail -n 1 "$WORK/kgscore.txt")
printf '    %s\n' "$summary"
for area in positions memberships relations; do
  check "kgscore: every required $area row found" \
    grep -qE "(^| )$area=1\.0( |$)" <<<"$summary"
done

# --- the competency questions in rdflib
if [ ! -f "$CQ" ]; then
  fail "tests/integration/check_competency.py is missing"
  finish
fi
"$PY" "$CQ" "$WORK/seeds.ttl" "${QUESTIONS[@]}" --texts "$SEEDS" \
  >"$WORK/rdflib.log" 2>&1
sed 's/^/    rdflib: /' "$WORK/rdflib.log"
for q in "${QUESTIONS[@]}"; do
  check "rdflib answers CQ$q" grep -qE "^ok CQ0?$q\b" "$WORK/rdflib.log"
done

# --- the same queries in librdf/rasqal and rasqal's in-memory store
for tool in rdfproc roqet; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    fail "$tool not found (apt-get install redland-utils rasqal-utils)"
    finish
  fi
done
mkdir -p "$WORK/librdf" "$WORK/roqet" "$WORK/store"
store="hash-type='bdb',dir='$WORK/store'"
rdfproc -q -n -s hashes -t "$store" seeds parse "$WORK/seeds.ttl" turtle \
  2>"$WORK/load.err"
check "rdfproc loads the graph into a hashes store" [ $? -eq 0 ]
for q in "${QUESTIONS[@]}"; do
  n=$(printf 'cq%02d' "$q")
  rdfproc -q -s hashes -t "$store" -r json seeds query sparql - \
    "$(cat "$QUERIES/$n.rq")" >"$WORK/librdf/$n.json" 2>"$WORK/librdf/$n.err"
  roqet -q -i sparql -r xml -D "$WORK/seeds.ttl" "$QUERIES/$n.rq" \
    >"$WORK/roqet/$n.srx" 2>"$WORK/roqet/$n.err"
done
for engine in librdf roqet; do
  # checks the engine's rows and that they equal rdflib's
  "$PY" "$CQ" "$WORK/seeds.ttl" "${QUESTIONS[@]}" --texts "$SEEDS" \
    --results-dir "$WORK/$engine" >"$WORK/$engine.log" 2>&1
  sed "s/^/    $engine: /" "$WORK/$engine.log"
  for q in "${QUESTIONS[@]}"; do
    check "$engine answers CQ$q as rdflib does" \
      grep -qE "^ok CQ0?$q\b" "$WORK/$engine.log"
  done
done

finish
