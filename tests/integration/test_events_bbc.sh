#!/usr/bin/env bash
# Events over the BBC corpus (2,089 articles): every event is well formed
# (one class, a label, polarity, modality, its document and evidence span);
# participants and places are typed entities; times have their words and
# valid dates; conditions point to events; and the counts by class, by
# modality and of negated events stay in a plausible range. Prints the
# counts (docs/events.md quotes them).
. "$(dirname "$0")/lib.sh"

BBC=$NKG_SHARED/corpora/bbc/news
if [ ! -d "$BBC" ]; then
  fail "no BBC corpus at $BBC"
  finish
fi

run bbc "$NEWSKG" extract "$BBC" -o "$WORK/bbc.ttl"
check "extract exits 0 (got $RC: $(head -c 300 "$WORK/bbc.err"))" [ "$RC" -eq 0 ]
check "summary names 2089 documents" grep -q '2089 documents' "$WORK/bbc.err"
printf '    extraction: %s s wall, %s s CPU\n' "$SECS" "$CPU"

rapper -q -i turtle -o ntriples "$WORK/bbc.ttl" >"$WORK/bbc.nt" 2>"$WORK/rapper.err"
check "rapper reads the graph" [ $? -eq 0 ]

"$PY" - "$WORK/bbc.nt" >"$WORK/report.txt" <<'PY'
import re
import sys
from collections import Counter, defaultdict

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "http://schema.org/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
NKG = "https://w3id.org/newskg/ns#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
ROLES = {NKG + r for r in ("agent", "patient", "recipient", "participant", "host", "winner")}
PLACES = {SEM + "hasPlace", NKG + "origin", NKG + "destination"}

line_re = re.compile(r'^(\S+) <([^>]*)> (.*) \.\s*$')
types = defaultdict(set)
props = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1], encoding="utf-8"):
    m = line_re.match(line)
    if not m:
        continue
    s, p, o = m.groups()
    if p == RDF + "type":
        types[s].add(o.strip("<>"))
    props[s][p].append(o)

events = [s for s, t in types.items() if SEM + "Event" in t]
docs = {s for s, t in types.items() if SCHEMA + "NewsArticle" in t}
by_class, by_modality = Counter(), Counter()
problems = Counter()
negated = timed = dated = with_actor = 0
for e in events:
    pr = props[e]
    classes = [c for c in types[e] if c.startswith(NKG)]
    if len(classes) != 1:
        problems["not exactly one project class"] += 1
    for c in classes:
        by_class[c[len(NKG):]] += 1
    for need in (RDFS + "label", NKG + "negated", NKG + "modality", PROV + "wasDerivedFrom", NKG + "evidence"):
        if not pr.get(need):
            problems["no " + need.rsplit("/", 1)[-1].rsplit("#", 1)[-1]] += 1
    if not any(d in docs for d in pr.get(PROV + "wasDerivedFrom", [])):
        problems["derived from no document"] += 1
    mod = pr.get(NKG + "modality", ["?"])[0].strip("<>")
    by_modality[mod.rsplit("#", 1)[-1]] += 1
    if any(v.startswith('"true"') for v in pr.get(NKG + "negated", [])):
        negated += 1
    actors = set(pr.get(SEM + "hasActor", []))
    with_actor += bool(actors)
    for role in ROLES:
        for o in pr.get(role, []):
            if not types[o] & {SCHEMA + "Person", SCHEMA + "Organization", SCHEMA + "Place"}:
                problems["participant not a typed entity"] += 1
            if o not in actors:
                problems["role without sem:hasActor"] += 1
    for role in PLACES:
        for o in pr.get(role, []):
            if SCHEMA + "Place" not in types[o] and role == SEM + "hasPlace":
                problems["sem:hasPlace not a schema:Place"] += 1
    for t in pr.get(SEM + "hasTime", []):
        timed += 1
        if not props[t].get(RDFS + "label"):
            problems["time without its words"] += 1
        for d in props[t].get(TIME + "inXSDDate", []):
            dated += 1
            if not re.match(r'^"\d{4}-\d{2}-\d{2}"\^\^<http://www.w3.org/2001/XMLSchema#date>$', d):
                problems["malformed date " + d] += 1
    for c in pr.get(NKG + "condition", []):
        if SEM + "Event" not in types[c]:
            problems["condition is not an event"] += 1

print(f"events {len(events)} documents {len(docs)} negated {negated} with-actor {with_actor} "
      f"with-time {timed} with-date {dated}")
print("modality " + " ".join(f"{k}={v}" for k, v in sorted(by_modality.items())))
print("classes " + " ".join(f"{k}={v}" for k, v in by_class.most_common()))
for k, v in sorted(problems.items()):
    print(f"problem {k}: {v}")
PY
check "the report was written" [ -s "$WORK/report.txt" ]
sed 's/^/    /' "$WORK/report.txt"

read -r _ nev _ ndocs _ nneg _ nact _ _ _ _ < <(grep '^events ' "$WORK/report.txt")
check "events found (${nev:-0}), about 0.5 to 10 per article" \
  [ "${nev:-0}" -ge 1000 ] && [ "${nev:-0}" -le 20000 ]
# the others have a place or a time but no named participant ("he was
# arrested on Saturday"): kept, each its own node
check "most events have a named participant (${nact:-0} of ${nev:-0})" \
  [ $(( ${nact:-0} * 10 )) -ge $(( ${nev:-1} * 6 )) ]
check "negated events are kept (${nneg:-0})" [ "${nneg:-0}" -ge 20 ]
nclasses=$(grep '^classes ' "$WORK/report.txt" | wc -w)
check "events of many classes ($((nclasses - 1)))" [ "$nclasses" -ge 16 ]
for m in Planned:50 Hypothetical:50 Conditional:3; do
  n=$(grep '^modality ' "$WORK/report.txt" | grep -o "${m%:*}=[0-9]*" | cut -d= -f2)
  check "some events are ${m%:*} (${n:-0})" [ "${n:-0}" -ge "${m#*:}" ]
done
check "no malformed event, participant, place, time or condition" \
  bash -c "! grep -q '^problem ' '$WORK/report.txt'"

finish
