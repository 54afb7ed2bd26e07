#!/usr/bin/env bash
# newskg export: the DOT renders with GraphViz's dot -Tsvg without a single
# warning; the GraphML validates against the GraphML 1.0 structure
# (tests/fixtures/graphml.xsd) and loads in networkx with the node and edge
# counts that the documented drawing rules give when applied to the RDF
# independently (rdflib); labels are names, never IRIs; text that needs
# escaping survives both formats; the same graph gives the same bytes from
# Turtle, N-Quads or a store.
. "$(dirname "$0")/lib.sh"
# Under the sanitizers, leaks inside librdf/rasqal/raptor are suppressed by
# the functions that make them (tests/lsan.supp); the fast unwinder stops at
# the libraries' first frame, so the full stack is taken (here only: it is
# slower).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}fast_unwind_on_malloc=0"

XSD=$NKG_SRC/tests/fixtures/graphml.xsd
SEEDS=$NKG_SHARED/seeds
mapfile -t seeds < <(ls "$SEEDS"/*.txt | sort)
for tool in dot xmllint; do
  command -v "$tool" >/dev/null || { fail "$tool not found (graphviz, libxml2-utils)"; finish; }
done

status_says() { [ "$1" -eq "$2" ] && has "$3" "$4"; }

"$NEWSKG" extract -q "${seeds[@]}" -o "$WORK/seeds.ttl"
"$NEWSKG" extract -q -f nquads "${seeds[@]}" -o "$WORK/seeds.nq"

# --- DOT ------------------------------------------------------------------------------
run dot "$NEWSKG" export -f dot "$WORK/seeds.ttl" -o "$WORK/seeds.dot"
check "export -f dot: exit 0 ($(cat "$WORK/dot.err"))" [ "$RC" -eq 0 ]
dot -Tsvg "$WORK/seeds.dot" -o "$WORK/seeds.svg" 2>"$WORK/dot-render.err"
rendered=$?
check "dot -Tsvg renders it (exit $rendered)" [ "$rendered" -eq 0 ]
check "dot -Tsvg prints no warning ($(head -c 200 "$WORK/dot-render.err"))" \
  [ ! -s "$WORK/dot-render.err" ]
check "the SVG is well-formed XML" xmllint --noout "$WORK/seeds.svg"
check "the SVG shows names (Sergei Lavrov)" grep -q "Sergei Lavrov" "$WORK/seeds.svg"

# --- GraphML ---------------------------------------------------------------------------
run graphml "$NEWSKG" export -f graphml "$WORK/seeds.ttl" -o "$WORK/seeds.graphml"
check "export -f graphml: exit 0 ($(cat "$WORK/graphml.err"))" [ "$RC" -eq 0 ]
xmllint --noout --schema "$XSD" "$WORK/seeds.graphml" 2>"$WORK/xsd.err"
valid=$?
check "the GraphML validates against the GraphML schema ($(tail -n 1 "$WORK/xsd.err"))" \
  [ "$valid" -eq 0 ]
# the schema has teeth: an edge to a missing node, a data element of an
# undeclared key, and a graph without edgedefault are refused
sed '0,/target="n[0-9]*"/s//target="n999999"/' "$WORK/seeds.graphml" >"$WORK/dangling.graphml"
check "the schema refuses an edge to a node that does not exist" \
  bash -c "! xmllint --noout --schema '$XSD' '$WORK/dangling.graphml' 2>/dev/null"
sed '0,/<data key="label">/s//<data key="nolabel">/' "$WORK/seeds.graphml" >"$WORK/nokey.graphml"
check "the schema refuses data of an undeclared key" \
  bash -c "! xmllint --noout --schema '$XSD' '$WORK/nokey.graphml' 2>/dev/null"
sed 's/ edgedefault="directed"//' "$WORK/seeds.graphml" >"$WORK/noedge.graphml"
check "the schema refuses a graph without edgedefault" \
  bash -c "! xmllint --noout --schema '$XSD' '$WORK/noedge.graphml' 2>/dev/null"

# networkx, against the drawing rules applied to the RDF by rdflib
"$PY" - "$WORK/seeds.ttl" "$WORK/seeds.graphml" "$WORK/seeds.dot" >"$WORK/nx.txt" 2>&1 <<'PY'
import re, sys
from collections import defaultdict
import networkx as nx
from rdflib import Graph, RDF, URIRef
SCHEMA, SEM, ORG = "http://schema.org/", "http://semanticweb.cs.vu.nl/2009/11/sem/", "http://www.w3.org/ns/org#"
NKG, RDFS = "https://w3id.org/newskg/ns#", "http://www.w3.org/2000/01/rdf-schema#"
rank = {SCHEMA + "Place": 1, SCHEMA + "Organization": 2, SCHEMA + "Person": 3, ORG + "Post": 4, SEM + "Event": 5}
names = {1: "Place", 2: "Organization", 3: "Person", 4: "Post", 5: "Event"}
g = Graph().parse(sys.argv[1], format="turtle")
kind = {}
for s, t in g.subject_objects(RDF.type):
    if str(t) in rank and isinstance(s, URIRef):
        kind[s] = max(kind.get(s, 0), rank[str(t)])
inverse = {ORG + "heldBy", ORG + "hasMember", SCHEMA + "children", SCHEMA + "subOrganization"}
pairs = defaultdict(set)
for s, p, o in g:
    if s in kind and o in kind and s != o and p != RDF.type and str(p) not in inverse:
        pairs[(s, o)].add(str(p))
edges = 0
for ps in pairs.values():
    generic = {SEM + "hasActor", SEM + "hasPlace"}
    if ps - generic:
        ps = ps - generic
    if NKG + "winner" in ps:
        ps = ps - {NKG + "agent"}
    edges += len(ps)
want_types = defaultdict(int)
for k in kind.values():
    want_types[names[k]] += 1
x = nx.read_graphml(sys.argv[2])
problems = []
if x.number_of_nodes() != len(kind):
    problems.append(f"networkx: {x.number_of_nodes()} nodes, the rules give {len(kind)}")
if x.number_of_edges() != edges:
    problems.append(f"networkx: {x.number_of_edges()} edges, the rules give {edges}")
got_types = defaultdict(int)
for n, d in x.nodes(data=True):
    got_types[d.get("type")] += 1
    label = d.get("label", "")
    iri = URIRef(d.get("iri", ""))
    want = g.value(iri, URIRef(SCHEMA + "name")) or g.value(iri, URIRef(RDFS + "label"))
    if want is None or str(want) != label:
        problems.append(f"{iri}: label {label!r}, want {want!r}")
    if label.startswith("http"):
        problems.append(f"{n}: an IRI as label")
if dict(got_types) != dict(want_types):
    problems.append(f"types {dict(got_types)} != {dict(want_types)}")
dot = open(sys.argv[3]).read()
dn = len(re.findall(r"^  n\d+ \[label=", dot, re.M))
de = len(re.findall(r"^  n\d+ -> n\d+ ", dot, re.M))
if (dn, de) != (x.number_of_nodes(), x.number_of_edges()):
    problems.append(f"dot has {dn} nodes, {de} edges")
print("; ".join(problems[:5]) if problems else
      f"{x.number_of_nodes()} nodes ({', '.join(f'{v} {k}' for k, v in sorted(want_types.items()))}), {edges} edges")
sys.exit(1 if problems else 0)
PY
st=$?
check "networkx reads the GraphML: the counts and labels the rules give ($(head -c 300 "$WORK/nx.txt"))" \
  [ "$st" -eq 0 ]
check "the summary counts agree with the file" \
  grep -q "newskg: [0-9]* nodes, [0-9]* edges" "$WORK/graphml.err"

# --- the same graph gives the same bytes -------------------------------------------------
"$NEWSKG" export -q -f graphml "$WORK/seeds.nq" -o "$WORK/from-nq.graphml"
check "from N-Quads: the same GraphML" cmp -s "$WORK/seeds.graphml" "$WORK/from-nq.graphml"
"$NEWSKG" extract -q --store "$WORK/seeds.db" "${seeds[@]}"
"$NEWSKG" export -q -f dot --store "$WORK/seeds.db" -o "$WORK/from-store.dot"
check "from the store: the same DOT" cmp -s "$WORK/seeds.dot" "$WORK/from-store.dot"
"$NEWSKG" export -q -f dot "$WORK/seeds.ttl" >"$WORK/again.dot"
check "a second export to standard output: the same DOT" cmp -s "$WORK/seeds.dot" "$WORK/again.dot"

# --- text that needs escaping ------------------------------------------------------------
cat >"$WORK/odd.ttl" <<'TTL'
@prefix schema: <http://schema.org/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix nkg: <https://w3id.org/newskg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://x.example/p1> a schema:Person ; schema:name "Anne \"Nan\" O'Brien & <Sons> \\ back" .
<http://x.example/o1> a schema:Organization ; schema:name "Ünïcödé Größe — 東京" .
<http://x.example/e1> a sem:Event ; rdfs:label "a meeting with a long label that has to wrap over several lines in the picture" ;
  nkg:agent <http://x.example/p1> ; sem:hasActor <http://x.example/p1> ; nkg:recipient <http://x.example/o1> ; sem:hasActor <http://x.example/o1> .
TTL
run odd "$NEWSKG" export -f dot "$WORK/odd.ttl" -o "$WORK/odd.dot"
dot -Tsvg "$WORK/odd.dot" -o "$WORK/odd.svg" 2>"$WORK/odd-render.err"
rendered=$?
check "quotes, backslashes, markup and non-ASCII: dot renders without warnings" \
  [ "$RC" -eq 0 -a "$rendered" -eq 0 -a ! -s "$WORK/odd-render.err" ]
"$NEWSKG" export -q -f graphml "$WORK/odd.ttl" -o "$WORK/odd.graphml"
check "... and the GraphML validates" xmllint --noout --schema "$XSD" "$WORK/odd.graphml"
"$PY" - "$WORK/odd.graphml" >"$WORK/odd.txt" 2>&1 <<'PY'
import sys
import networkx as nx
x = nx.read_graphml(sys.argv[1])
labels = sorted(d["label"] for _, d in x.nodes(data=True))
want = sorted(["Anne \"Nan\" O'Brien & <Sons> \\ back", "Ünïcödé Größe — 東京",
               "a meeting with a long label that has to wrap over several lines in the picture"])
edges = sorted(d["label"] for _, _, d in x.edges(data=True))
ok = labels == want and edges == ["agent", "recipient"]
print("ok" if ok else f"labels {labels}, edges {edges}")
sys.exit(0 if ok else 1)
PY
st=$?
check "... and networkx reads every label back exactly, role edges without sem:hasActor ($(cat "$WORK/odd.txt"))" \
  [ "$st" -eq 0 ]

# --- usage ----------------------------------------------------------------------------------
run noformat "$NEWSKG" export "$WORK/seeds.ttl"
check "no -f: exit 2" [ "$RC" -eq 2 ]
run badformat "$NEWSKG" export -f png "$WORK/seeds.ttl"
check "an unknown format: exit 2" [ "$RC" -eq 2 ]
run nofile "$NEWSKG" export -f dot "$WORK/none.ttl"
check "a missing graph: exit 1, names it" status_says "$RC" 1 "none.ttl" "$WORK/nofile.err"

finish
