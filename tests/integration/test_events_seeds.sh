#!/usr/bin/env bash
# Events on the three seed articles: kgscore finds every required gold
# event with its participants, place and documents; the competency
# questions about events (CQ6, CQ7, CQ8, CQ10, CQ11, CQ13) are answered;
# negated and planned events are never also stated as plain facts; with an
# article date, "January 25th" becomes a calendar date.
. "$(dirname "$0")/lib.sh"

SEEDS=$NKG_SHARED/seeds
mapfile -t inputs < <(ls "$SEEDS"/*.txt | sort)
if [ "${#inputs[@]}" -ne 3 ]; then
  fail "expected 3 seed articles in $SEEDS, found ${#inputs[@]}"
  finish
fi

run seeds "$NEWSKG" extract "${inputs[@]}" -o "$WORK/seeds.ttl"
check "extract exits 0 (got $RC: $(head -c 300 "$WORK/seeds.err"))" [ "$RC" -eq 0 ]

# --- kgscore: every required event found (not "partly", not "missing")
"$PY" "$NKG_SHARED/tools/kgscore" "$SEEDS/gold.json" "$WORK/seeds.ttl" --json \
  >"$WORK/kgscore.json" 2>"$WORK/kgscore.err"
check "kgscore could score the graph" [ $? -eq 0 ]
"$PY" - "$WORK/kgscore.json" >"$WORK/event-rows.txt" <<'PY'
import json, sys
for area, status, text in json.load(open(sys.argv[1]))["rows"]:
    if area == "events":
        print(status, text)
PY
sed 's/^/    /' "$WORK/event-rows.txt"
required=$(grep -vc '(optional)' "$WORK/event-rows.txt")
found=$(grep -c '^found ' "$WORK/event-rows.txt")
check "kgscore lists the gold events ($required required)" [ "$required" -ge 10 ]
check "every required gold event found in full" \
  bash -c "! grep -v '(optional)' '$WORK/event-rows.txt' | grep -qv '^found '"
check "the optional gold events found too ($found rows found)" \
  bash -c "! grep '(optional)' '$WORK/event-rows.txt' | grep -qv '^found '"

# --- competency questions about events
cq=$NKG_SRC/tests/integration/check_competency.py
if [ -f "$cq" ]; then
  "$PY" "$cq" "$WORK/seeds.ttl" 6 7 8 10 11 13 --texts "$SEEDS" >"$WORK/cq.log" 2>&1
  sed 's/^/    /' "$WORK/cq.log" | tail -n 8
  for q in 6 7 8 10 11 13; do
    check "competency question CQ$q answered" grep -qE "^ok CQ0?$q\b" "$WORK/cq.log"
  done
else
  fail "tests/integration/check_competency.py is missing"
fi

# --- polarity and modality are stated, never turned into plain facts
"$PY" - "$WORK/seeds.ttl" >"$WORK/modality.txt" <<'PY'
import sys
import rdflib
from rdflib import RDF, Namespace
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NKG = Namespace("https://w3id.org/newskg/ns#")
SCHEMA = Namespace("http://schema.org/")
g = rdflib.Graph()
g.parse(sys.argv[1], format="turtle")
def name(n):
    return str(g.value(n, SCHEMA.name))
def events(cls):
    for e in g.subjects(RDF.type, NKG[cls]):
        yield (e, str(g.value(e, NKG.negated)), str(g.value(e, NKG.modality)).split("#")[-1],
               {name(a) for a in g.objects(e, NKG.agent)}, {name(p) for p in g.objects(e, NKG.patient)},
               {name(o) for o in g.objects(e, NKG.origin)})
# Hamas's recognition of Israel: negated, and never asserted as done
rec = list(events("Recognition"))
print("negated-recognition", any(n == "true" and "Hamas" in a and "Israel" in p for _, n, m, a, p, _ in rec))
print("asserted-recognition", any(n == "false" and m == "Asserted" and "Hamas" in a and "Israel" in p
                                  for _, n, m, a, p, _ in rec))
# Olmert's withdrawal from the West Bank: planned or conditional, with its condition
wd = [x for x in events("Withdrawal") if "Ehud Olmert" in x[3] or "Ihud Olmert" in x[3]]
print("olmert-withdrawal-not-done", bool(wd) and all(m in ("Planned", "Conditional") for _, n, m, a, p, o in wd))
print("olmert-withdrawal-condition", any(g.value(e, NKG.condition) is not None for e, *_ in wd))
# the negotiations Olmert rules out are negated
neg = [x for x in events("Negotiation") if x[1] == "true"]
print("negated-negotiation", any(("Ehud Olmert" in a or "Ihud Olmert" in a) for _, n, m, a, p, o in neg))
# every event: one class of ours, a label, polarity, modality, a document and evidence
bad = 0
for e in set(g.subjects(RDF.type, SEM.Event)):
    classes = [c for c in g.objects(e, RDF.type) if str(c).startswith(str(NKG))]
    if (len(classes) != 1 or g.value(e, rdflib.RDFS.label) is None or g.value(e, NKG.negated) is None
            or g.value(e, NKG.modality) is None or g.value(e, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) is None
            or g.value(e, NKG.evidence) is None):
        bad += 1
print("incomplete-events", bad)
PY
sed 's/^/    /' "$WORK/modality.txt"
check "Hamas's recognition of Israel is negated" grep -q '^negated-recognition True' "$WORK/modality.txt"
check "... and never stated as done" grep -q '^asserted-recognition False' "$WORK/modality.txt"
check "Olmert's withdrawal is planned or conditional, not done" \
  grep -q '^olmert-withdrawal-not-done True' "$WORK/modality.txt"
check "Olmert's withdrawal names the event it depends on" \
  grep -q '^olmert-withdrawal-condition True' "$WORK/modality.txt"
check "the negotiations Olmert rules out are negated" grep -q '^negated-negotiation True' "$WORK/modality.txt"
check "every event has its class, label, polarity, modality, document and evidence" \
  grep -q '^incomplete-events 0$' "$WORK/modality.txt"

# --- with the article date, times become dates
run dated "$NEWSKG" extract --date 2006-02-14 "${inputs[@]}" -o "$WORK/dated.ttl"
check "extract --date exits 0 (got $RC)" [ "$RC" -eq 0 ]
"$PY" - "$WORK/dated.ttl" >"$WORK/dates.txt" <<'PY'
import sys
import rdflib
g = rdflib.Graph()
g.parse(sys.argv[1], format="turtle")
q = """
PREFIX nkg: <https://w3id.org/newskg/ns#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?date WHERE { ?e a nkg:Election ; sem:hasTime ?t . ?t rdfs:label ?label .
  OPTIONAL { ?t time:inXSDDate ?date } }"""
for label, date in g.query(q):
    print(label, date)
q2 = """
PREFIX nkg: <https://w3id.org/newskg/ns#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?date WHERE { ?e a nkg:Appeal ; sem:hasTime ?t . ?t time:inXSDDate ?date }"""
for (date,) in g.query(q2):
    print("appeal", date)
PY
sed 's/^/    /' "$WORK/dates.txt"
check "the elections of January 25th are dated 2006-01-25" grep -q '2006-01-25' "$WORK/dates.txt"
# 2006-02-14 was a Tuesday: Annan's appeal "on Thursday" was 2006-02-09
check "Annan's appeal on Thursday is dated 2006-02-09" grep -q '^appeal 2006-02-09' "$WORK/dates.txt"

finish
