#!/usr/bin/env bash
# newskg query: every competency query (tests/queries/cqNN.rq) runs through
# newskg query (librdf/rasqal) and through rdflib (check_competency.py, an
# independent SPARQL 1.1 engine) with the same rows: on the hand-written
# fixture, where the answers are known and asserted, and on the graph of the
# seed articles, from the Turtle file and from a store. The result formats
# parse as their standards say (JSON, XML, CSV, TSV read back by Python's
# own readers give the same rows); bad queries and bad graphs give clear
# messages and exit 1; queries/ ships the same queries as tests/queries.
. "$(dirname "$0")/lib.sh"
# Under the sanitizers, leaks inside librdf/rasqal/raptor are suppressed by
# the functions that make them (tests/lsan.supp); the fast unwinder stops at
# the libraries' first frame, so the full stack is taken (here only: it is
# slower).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}fast_unwind_on_malloc=0"

CHECK="$PY $NKG_SRC/tests/integration/check_competency.py"
FIXTURE=$NKG_SRC/tests/integration/fixtures/profile_sample.ttl
SEEDS=$NKG_SHARED/seeds
mapfile -t seeds < <(ls "$SEEDS"/*.txt | sort)

# status_says RC WANT TEXT FILE: the exit status is WANT and FILE says TEXT.
status_says() { [ "$1" -eq "$2" ] && has "$3" "$4"; }

# answers DIR FORMAT GRAPH-ARGS... QUERIES: runs every query into DIR.
answers() {
  local dir=$1 fmt=$2 ext=$2 queries=${!#} q n bad=0
  [ "$fmt" = xml ] && ext=srx
  mkdir -p "$dir"
  set -- "${@:3:$#-3}"
  for q in "$queries"/cq*.rq; do
    n=$(basename "$q" .rq)
    if ! "$NEWSKG" query "$@" -q "$q" -r "$fmt" >"$dir/$n.$ext" 2>"$dir/$n.err"; then
      echo "    $n: $(head -c 200 "$dir/$n.err")"
      bad=1
    fi
  done
  return $bad
}

# --- the fixture: known answers, both engines --------------------------------------
$CHECK --self-test --write-queries "$WORK/fq" >/dev/null
check "newskg query runs the 15 queries on the fixture (JSON)" \
  answers "$WORK/fjson" json "$FIXTURE" "$WORK/fq"
$CHECK --self-test --results-dir "$WORK/fjson" >"$WORK/fixture.txt"
st=$?
check "fixture: newskg query and rdflib both give the expected answers, same rows ($(tail -n 1 "$WORK/fixture.txt"))" \
  [ "$st" -eq 0 ]
grep FAIL "$WORK/fixture.txt" | head -n 5 | sed 's/^/    /'
check "newskg query runs the 15 queries on the fixture (XML)" \
  answers "$WORK/fxml" xml "$FIXTURE" "$WORK/fq"
$CHECK --self-test --results-dir "$WORK/fxml" >"$WORK/fixture-xml.txt"
st=$?
check "fixture, XML results: expected answers, same rows as rdflib ($(tail -n 1 "$WORK/fixture-xml.txt"))" \
  [ "$st" -eq 0 ]

# --- the seed articles: the same rows from both engines, file and store -------------
"$NEWSKG" extract -q "${seeds[@]}" -o "$WORK/seeds.ttl"
check "newskg query runs the 15 queries on the seeds' Turtle" \
  answers "$WORK/sjson" json "$WORK/seeds.ttl" "$NKG_SRC/tests/queries"
$CHECK "$WORK/seeds.ttl" --results-dir "$WORK/sjson" --texts "$SEEDS" >"$WORK/seeds.txt"
echo "    competency on the seeds: $(tail -n 1 "$WORK/seeds.txt") (answers are test_competency's to assert)"
check "seeds: newskg query and rdflib give the same rows for every query" \
  bash -c "! grep -q 'engines differ' '$WORK/seeds.txt'"
grep 'engines differ' "$WORK/seeds.txt" | head -n 3 | sed 's/^/    /'

"$NEWSKG" extract -q --store "$WORK/seeds.db" "${seeds[@]}"
check "newskg query --store runs the 15 queries" \
  answers "$WORK/store" json --store "$WORK/seeds.db" "$NKG_SRC/tests/queries"
$CHECK "$WORK/seeds.ttl" --results-dir "$WORK/store" --texts "$SEEDS" >"$WORK/store.txt"
check "store: the same rows as rdflib on the batch Turtle for every query" \
  bash -c "! grep -q 'engines differ' '$WORK/store.txt'"
# same_rows DIR1 DIR2: every cqNN.json holds the same rows (as a multiset:
# rows tied under ORDER BY may come in another order).
same_rows() {
  "$PY" - "$1" "$2" <<'PY'
import json, sys
from collections import Counter
from pathlib import Path
bad = []
for a in sorted(Path(sys.argv[1]).glob("cq*.json")):
    rows = []
    for f in (a, Path(sys.argv[2]) / a.name):
        j = json.load(open(f))
        rows.append(Counter(tuple(sorted((k, v["type"], v["value"]) for k, v in b.items()))
                            for b in j["results"]["bindings"]))
    if rows[0] != rows[1]:
        bad.append(a.stem)
print("    differ: " + " ".join(bad) if bad else "", end="")
sys.exit(1 if bad else 0)
PY
}
check "store and file give the same rows for every query" same_rows "$WORK/sjson" "$WORK/store"

# --- result formats read back by standard readers ---------------------------------------
Q=$NKG_SRC/tests/queries/cq02.rq
for f in json xml csv tsv table; do
  "$NEWSKG" query "$WORK/seeds.ttl" -q "$Q" -r "$f" >"$WORK/cq02.$f" 2>"$WORK/cq02.$f.err"
done
"$PY" - "$WORK/cq02" >"$WORK/formats.txt" 2>&1 <<'PY'
import csv, io, json, sys
import xml.etree.ElementTree as ET
base = sys.argv[1]
NS = "{http://www.w3.org/2005/sparql-results#}"
j = json.load(open(base + ".json"))
names = j["head"]["vars"]
want = sorted(tuple(b.get(v, {}).get("value", "") for v in names) for b in j["results"]["bindings"])
problems = []
x = ET.parse(base + ".xml").getroot()
xrows = []
for r in x.iter(NS + "result"):
    vals = {b.get("name"): "".join(b.itertext()) for b in r.iter(NS + "binding")}
    xrows.append(tuple(vals.get(v, "") for v in names))
if sorted(xrows) != want: problems.append("xml rows differ from json")
raw = open(base + ".csv", newline="").read()
if raw and not raw.endswith("\r\n"): problems.append("csv lines do not end in CRLF")
c = list(csv.reader(io.StringIO(raw)))
if c[0] != names: problems.append(f"csv header {c[0]} != {names}")
if sorted(tuple(r) for r in c[1:]) != want: problems.append("csv rows differ from json")
t = open(base + ".tsv").read().split("\n")
if t[-1] != "": problems.append("tsv does not end with a newline")
if t[0].split("\t") != ["?" + v for v in names]: problems.append(f"tsv header {t[0]!r}")
def term(s):  # a TSV term back to its value
    if s.startswith("<"): return s[1:-1]
    if s.startswith('"'):
        end = s.rindex('"')
        return s[1:end].replace('\\"', '"').replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")
    return s
if sorted(tuple(term(v) for v in r.split("\t")) for r in t[1:-1]) != want: problems.append("tsv rows differ from json")
tab = open(base + ".table").read().splitlines()
if tab[0].split() != names: problems.append(f"table header {tab[0]!r}")
if tab[-1] != f"({len(want)} row{'s' if len(want) != 1 else ''})": problems.append(f"table footer {tab[-1]!r}")
if not set(tab[1]) <= {"-", " "}: problems.append("no rule under the table header")
from rdflib.query import Result  # rdflib's own readers of both standards
for fmt, ext in (("json", ".json"), ("xml", ".xml")):
    try:
        n = len(list(Result.parse(open(base + ext, "rb"), format=fmt)))
        if n != len(want): problems.append(f"rdflib reads {n} rows from the {fmt}")
    except Exception as exc:
        problems.append(f"rdflib cannot read the {fmt}: {exc}")
print("; ".join(problems) if problems else f"{len(want)} rows in every format, rdflib reads the JSON and XML")
sys.exit(1 if problems else 0)
PY
st=$?
check "json, xml, csv, tsv and table hold the same rows ($(cat "$WORK/formats.txt"))" [ "$st" -eq 0 ]
check "json parses with a final newline" bash -c "tail -c 1 '$WORK/cq02.json' | od -c | grep -q '\\\\n'"

run ask "$NEWSKG" query "$WORK/seeds.ttl" -r tsv 'ASK { ?s a <http://schema.org/Person> }'
check "ASK in tsv: true" [ "$RC" -eq 0 -a "$(cat "$WORK/ask.out")" = true ]
run construct "$NEWSKG" query "$WORK/seeds.ttl" -r turtle \
  'CONSTRUCT { ?p a <http://schema.org/Person> } WHERE { ?p a <http://schema.org/Person> }'
check "CONSTRUCT as Turtle parses with rapper" \
  [ "$RC" -eq 0 -a "$(rapper_count "$WORK/construct.out" turtle)" -gt 0 ]
run cjson "$NEWSKG" query "$WORK/seeds.ttl" -r json 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }'
check "CONSTRUCT with -r json: exit 1, says to use turtle" \
  status_says "$RC" 1 "turtle" "$WORK/cjson.err"

# --- errors: clear messages, non-zero exits ------------------------------------------------
run syntax "$NEWSKG" query "$WORK/seeds.ttl" 'SELECT ?x WHERE { ?x ?y }'
check "a syntax error: exit 1 with the line ($(head -c 120 "$WORK/syntax.err"))" \
  status_says "$RC" 1 "line 1" "$WORK/syntax.err"
printf 'SELECT ?x WHERE {\n  ?x ?y ?z .\n  ?x <p> \n}\n' >"$WORK/bad.rq"
run syntax2 "$NEWSKG" query "$WORK/seeds.ttl" -q "$WORK/bad.rq"
check "a bad query file: exit 1, names the file" \
  status_says "$RC" 1 "bad.rq" "$WORK/syntax2.err"
printf '@prefix s: <http://schema.org/> .\n<a:x> s:name "ok" .\n<a:y> s:name "broken .\n' >"$WORK/bad.ttl"
run badttl "$NEWSKG" query "$WORK/bad.ttl" 'ASK { ?s ?p ?o }'
grep -q "bad.ttl: line [0-9]" "$WORK/badttl.err"
located=$?
check "a broken Turtle file: exit 1, names the file and line ($(head -c 150 "$WORK/badttl.err"))" \
  [ "$RC" -eq 1 -a "$located" -eq 0 ]
run nofile "$NEWSKG" query "$WORK/none.ttl" 'ASK { ?s ?p ?o }'
check "a missing graph file: exit 1, names it" \
  status_says "$RC" 1 "none.ttl" "$WORK/nofile.err"
run badfmt "$NEWSKG" query "$WORK/seeds.ttl" -r yaml 'ASK { ?s ?p ?o }'
check "an unknown result format: exit 2" [ "$RC" -eq 2 ]
run noquery "$NEWSKG" query
check "no arguments: exit 2" [ "$RC" -eq 2 ]

# --- other syntaxes load; named graphs of N-Quads are queryable -----------------------------
"$NEWSKG" extract -q -f nquads "${seeds[@]}" -o "$WORK/seeds.nq"
run graphs "$NEWSKG" query "$WORK/seeds.nq" -r tsv \
  'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g'
check "N-Quads: GRAPH ?g finds the 3 articles' graphs and the merged graph" \
  [ "$(tail -n +2 "$WORK/graphs.out" | tr '\n' ' ')" = "<http://example.org/newskg/doc/000_a922ab2efeb8798d> <http://example.org/newskg/doc/001_cdf57f2bfdd5a2eb> <http://example.org/newskg/doc/002_6fe1d82189966668> <http://example.org/newskg/graph/merged> " ]
run ingraph "$NEWSKG" query "$WORK/seeds.nq" -r csv \
  'SELECT ?p WHERE { GRAPH <http://example.org/newskg/graph/merged> { ?p a <http://schema.org/Person> } }'
run inunion "$NEWSKG" query "$WORK/seeds.ttl" -r csv \
  'SELECT ?p WHERE { ?p a <http://schema.org/Person> }'
check "the people are in the merged graph: as many as in the Turtle ($(($(wc -l <"$WORK/ingraph.out") - 1)))" \
  [ "$(wc -l <"$WORK/ingraph.out")" -eq "$(wc -l <"$WORK/inunion.out")" -a "$(wc -l <"$WORK/inunion.out")" -gt 1 ]

# --- queries/ ships the competency queries ---------------------------------------------------
same_queries() {
  local q n=0
  for q in "$NKG_SRC"/tests/queries/cq*.rq; do
    cmp -s "$q" "$NKG_SRC/queries/$(basename "$q")" || { echo "    differs: $(basename "$q")"; return 1; }
    n=$((n + 1))
  done
  [ "$n" -eq 15 ] && [ "$(ls "$NKG_SRC"/queries/cq*.rq | wc -l)" -eq 15 ]
}
check "queries/ holds the 15 queries of tests/queries, byte for byte" same_queries

finish
