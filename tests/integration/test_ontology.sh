#!/bin/sh
# Checks ontology/newskg.ttl: it parses (raptor and rdflib); the ontology header is complete;
# every nkg: class and property has an English rdfs:label and rdfs:comment and refines a
# standard (non-nkg) term through rdfs:subClassOf / rdfs:subPropertyOf, directly or through
# other nkg terms; the terms the builder emits are all declared; and every nkg: term that the
# fixture graph (and any graph given as an argument) uses is declared.
#
# Usage: tests/integration/test_ontology.sh [GRAPH.ttl ...]
# Needs: raptor2-utils (rapper), python3-rdflib (/usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ontology=$here/../../ontology/newskg.ttl
fixture=$here/fixtures/profile_sample.ttl

command -v rapper >/dev/null 2>&1 || { echo "test_ontology: rapper not found (apt-get install raptor2-utils)"; exit 2; }
if ! out=$(rapper -q -i turtle -c "$ontology" 2>&1); then
  echo "FAIL: rapper cannot parse $ontology:"; echo "$out"; exit 1
fi

exec /usr/bin/python3 - "$ontology" "$fixture" "$@" <<'PY'
import sys

try:
    import rdflib
except ImportError:
    sys.exit("test_ontology: needs rdflib: apt-get install python3-rdflib")

NS = "https://w3id.org/newskg/ns#"
PREFIXES = f"""
PREFIX nkg: <{NS}>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
"""
TERMS = """
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
  ?term a ?kind .
  FILTER (STRSTARTS(STR(?term), STR(nkg:)))
"""
CHECKS = {
    "has no English rdfs:label": f"""
SELECT DISTINCT ?term WHERE {{ {TERMS}
  FILTER NOT EXISTS {{ ?term rdfs:label ?l . FILTER (LANGMATCHES(LANG(?l), "en")) }}
}}""",
    "has no English rdfs:comment": f"""
SELECT DISTINCT ?term WHERE {{ {TERMS}
  FILTER NOT EXISTS {{ ?term rdfs:comment ?c . FILTER (LANGMATCHES(LANG(?c), "en")) }}
}}""",
    "refines no standard term (rdfs:subClassOf / rdfs:subPropertyOf to a non-nkg IRI)": f"""
SELECT DISTINCT ?term WHERE {{ {TERMS}
  FILTER NOT EXISTS {{
    ?term (rdfs:subClassOf|rdfs:subPropertyOf)+ ?super .
    FILTER (isIRI(?super) && !STRSTARTS(STR(?super), STR(nkg:)))
  }}
}}""",
    "is an event class but not a subclass of sem:Event": f"""
SELECT DISTINCT ?term WHERE {{
  ?term a owl:Class ; nkg:cameoCode ?code .
  FILTER NOT EXISTS {{ ?term rdfs:subClassOf+ sem:Event }}
}}""",
    "is an individual without an English rdfs:label and rdfs:comment": f"""
SELECT DISTINCT ?term WHERE {{
  ?term a owl:NamedIndividual .
  FILTER (STRSTARTS(STR(?term), STR(nkg:)))
  FILTER NOT EXISTS {{
    ?term rdfs:label ?l ; rdfs:comment ?c .
    FILTER (LANGMATCHES(LANG(?l), "en") && LANGMATCHES(LANG(?c), "en"))
  }}
}}""",
}

# the terms the builder writes (see the graph profile); a typo on either side shows here
EMITTED = """
Invitation Meeting Visit Withdrawal Election Statement Interview PressConference Investigation
Recognition Negotiation Appeal Agreement Acquisition Merger Attack Release Arrest Resignation
Appointment Lawsuit Protest Sanction Support Criticism Warning Sale Launch Conviction Ban
PoliticalParty Legislature InternationalOrganization ArmedGroup NewsAgency Company Territory Region
Modality Asserted Planned Conditional Hypothetical Reported Build
agent patient recipient participant host winner origin destination
negated modality condition conditionText trigger evidence cameoCode
former titleAsWritten qualifier channel addressee speakerMention
matchKey mergedName mergeEvidence basedIn governmentOf spouse sibling relatedTo toolVersion
""".split()

ontology_path, graph_paths = sys.argv[1], sys.argv[2:]
failures = []
g = rdflib.Graph()
try:
    g.parse(ontology_path, format="turtle")
except Exception as exc:
    print(f"FAIL: rdflib cannot parse {ontology_path}: {exc}")
    sys.exit(1)

header = g.query(PREFIXES + """
SELECT ?version ?title ?description ?license WHERE {
  <https://w3id.org/newskg/ns> a owl:Ontology ;
      owl:versionInfo ?version ; dcterms:title ?title ;
      dcterms:description ?description ; dcterms:license ?license .
}""")
if not len(header):
    failures.append("the ontology <https://w3id.org/newskg/ns> lacks owl:versionInfo, dcterms:title, "
                    "dcterms:description or dcterms:license")

for problem, query in CHECKS.items():
    for (term,) in g.query(PREFIXES + query):
        failures.append(f"{term.n3(g.namespace_manager)} {problem}")

declared = {str(s) for s in g.subjects() if str(s).startswith(NS)}
for name in EMITTED:
    if NS + name not in declared:
        failures.append(f"nkg:{name} is written by the builder but not declared")

for path in graph_paths:
    data = rdflib.Graph()
    try:
        data.parse(path, format=rdflib.util.guess_format(path) or "turtle")
    except Exception as exc:
        failures.append(f"cannot parse {path}: {exc}")
        continue
    used = set()
    for s, p, o in data:
        if str(p).startswith(NS):
            used.add(str(p))
        if (p == rdflib.RDF.type or str(p) == NS + "modality") and str(o).startswith(NS):
            used.add(str(o))
    for term in sorted(used - declared):
        failures.append(f"{path}: uses {term}, which the ontology does not declare")

terms = len(list(g.query(PREFIXES + f"SELECT DISTINCT ?term WHERE {{ {TERMS} }}")))
for f in failures:
    print("FAIL: " + f)
if failures:
    print(f"test_ontology: {len(failures)} problem(s)")
    sys.exit(1)
print(f"test_ontology: ok ({terms} nkg terms, {len(g)} triples; checked {len(graph_paths)} graph(s))")
PY
