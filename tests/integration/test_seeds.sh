#!/usr/bin/env bash
# The three seed articles of shared/seeds: the Turtle parses with two
# independent parsers, is byte-identical across runs and input orders, and
# kgscore finds every required gold entity with its type and no non-entity.
. "$(dirname "$0")/lib.sh"

SEEDS=$NKG_SHARED/seeds
mapfile -t inputs < <(ls "$SEEDS"/*.txt | sort)
if [ "${#inputs[@]}" -ne 3 ]; then
  fail "expected 3 seed articles in $SEEDS, found ${#inputs[@]}"
  finish
fi
reversed=("${inputs[2]}" "${inputs[1]}" "${inputs[0]}")

run first "$NEWSKG" extract "${inputs[@]}" -o "$WORK/first.ttl"
check "extract exits 0 (got $RC: $(head -c 300 "$WORK/first.err"))" [ "$RC" -eq 0 ]
check "summary names 3 documents" grep -q '3 documents' "$WORK/first.err"

n=$(rapper_count "$WORK/first.ttl" turtle)
check "rapper parses the Turtle ($n triples)" [ "${n:-0}" -gt 0 ]
m=$(rdflib_count "$WORK/first.ttl" turtle)
check "rdflib parses the Turtle, same count ($m)" [ "${m:-x}" = "${n:-y}" ]
check "the 3 documents are in the graph" \
  [ "$(doc_ids "$WORK/first.ttl" turtle | tr '\n' ' ')" = \
    "000_a922ab2efeb8798d 001_cdf57f2bfdd5a2eb 002_6fe1d82189966668 " ]

run second "$NEWSKG" extract "${inputs[@]}" -o "$WORK/second.ttl"
check "a second run is byte-identical" cmp -s "$WORK/first.ttl" "$WORK/second.ttl"
run rev "$NEWSKG" extract "${reversed[@]}" -o "$WORK/reversed.ttl"
check "reversed input order is byte-identical" \
  cmp -s "$WORK/first.ttl" "$WORK/reversed.ttl"
run stdout "$NEWSKG" extract -q "${inputs[@]}"
check "standard output equals the -o file" cmp -s "$WORK/first.ttl" "$WORK/stdout.out"
check "no timestamps under SOURCE_DATE_EPOCH" \
  bash -c "! grep -q 'prov:startedAtTime\|prov:endedAtTime' '$WORK/first.ttl'"

# --- kgscore: every required gold entity, of the right type; no non-entity.
"$PY" "$NKG_SHARED/tools/kgscore" "$SEEDS/gold.json" "$WORK/first.ttl" --json \
  >"$WORK/kgscore.json" 2>"$WORK/kgscore.err"
check "kgscore could score the graph" [ $? -eq 0 ]
"$PY" "$NKG_SHARED/tools/kgscore" "$SEEDS/gold.json" "$WORK/first.ttl" | tail -n 1
"$PY" - "$WORK/kgscore.json" >"$WORK/entity-problems.txt" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except ValueError as exc:
    print(f"kgscore gave no report: {exc}")
    sys.exit(0)
for area, status, text in report["rows"]:
    if area != "entities":
        continue
    if status == "error" and text.startswith("not an entity"):
        print(text)
    elif status == "missing":  # required ones only: optional say "(optional)"
        print("missing: " + text)
    elif "wrong type" in text:
        print("wrong type: " + text)
PY
problems=$(wc -l <"$WORK/entity-problems.txt")
if [ "$problems" -ne 0 ]; then sed 's/^/    /' "$WORK/entity-problems.txt"; fi
check "kgscore: every required entity found, right type, no non-entity ($problems problems)" \
  [ "$problems" -eq 0 ]

# --- competency questions CQ1, CQ14, CQ15 (tests/integration/check_competency.py
# runs tests/queries/cqNN.rq in rdflib; --texts checks CQ14's offsets on the text)
cq=$NKG_SRC/tests/integration/check_competency.py
if [ -f "$cq" ]; then
  "$PY" "$cq" "$WORK/first.ttl" 1 14 15 --texts "$SEEDS" >"$WORK/cq.log" 2>&1
  rc=$?
  sed 's/^/    /' "$WORK/cq.log" | tail -n 20
  for q in 1 14 15; do
    check "competency question CQ$q answered" grep -qE "^ok CQ0?$q\b" "$WORK/cq.log"
  done
  check "check_competency.py ran (exit 0 or 1, got $rc)" [ $rc -le 1 ]
else
  fail "tests/integration/check_competency.py is missing: CQ1, CQ14, CQ15 not checked"
fi

finish
