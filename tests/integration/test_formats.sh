#!/usr/bin/env bash
# Output syntaxes, input forms and the command line: every syntax parses
# back to the same graph as Turtle; standard input and JSON Lines (with date
# and source) are read; --base moves every minted IRI; --help, --version
# and usage errors give their documented exit statuses.
. "$(dirname "$0")/lib.sh"

SEEDS=$NKG_SHARED/seeds
mapfile -t inputs < <(ls "$SEEDS"/*.txt | sort)
check "three seed articles" [ "${#inputs[@]}" -eq 3 ]

# --- syntaxes -----------------------------------------------------------------
run turtle "$NEWSKG" extract "${inputs[@]}" -o "$WORK/g.ttl"
check "turtle: exit 0 (got $RC)" [ "$RC" -eq 0 ]
n_ttl=$(rapper_count "$WORK/g.ttl" turtle)
check "turtle parses (${n_ttl:-0} triples)" [ "${n_ttl:-0}" -gt 0 ]
summary_triples=$(sed -n 's/^newskg: [0-9]* documents.* \([0-9]*\) triples.*/\1/p' "$WORK/turtle.err")
check "the summary counts the triples written (${summary_triples:-none} vs ${n_ttl:-0})" \
  [ "${summary_triples:-x}" = "${n_ttl:-y}" ]
# ... and gives the process's peak memory, as the kernel counts it (GNU
# time, where there is one, reads the same count when the process ends)
peak=$(sed -n 's/^newskg: .* triples; peak memory \([0-9.]*\) MB.*/\1/p' "$WORK/turtle.err")
check "the summary gives the peak memory (${peak:-none} MB)" \
  "$PY" -c "import sys; sys.exit(not 1 <= float('${peak:-0}') <= 4000)"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f 'time-rss-kb=%M' "$NEWSKG" extract "${inputs[@]}" \
    -o "$WORK/g2.ttl" 2>"$WORK/time.err"
  peak2=$(sed -n 's/^newskg: .* triples; peak memory \([0-9.]*\) MB.*/\1/p' "$WORK/time.err")
  kb=$(sed -n 's/^time-rss-kb=\([0-9]*\)$/\1/p' "$WORK/time.err")
  check "the peak memory agrees with GNU time (${peak2:-none} MB, ${kb:-none} KB)" \
    "$PY" -c "import sys; sys.exit(not abs(float('${peak2:-0}') * 1024 - float('${kb:-1e9}')) <= 0.05 * float('${kb:-1}'))"
fi

run ntriples "$NEWSKG" extract "${inputs[@]}" -f ntriples -o "$WORK/g.nt"
check "ntriples: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "ntriples: rapper, same count as turtle" \
  [ "$(rapper_count "$WORK/g.nt" ntriples)" = "$n_ttl" ]
check "ntriples: one statement per line" [ "$(grep -c ' \.$' "$WORK/g.nt")" = "$n_ttl" ]

run rdfxml "$NEWSKG" extract "${inputs[@]}" --format rdfxml -o "$WORK/g.rdf"
check "rdfxml: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "rdfxml: rapper, same count as turtle" \
  [ "$(rapper_count "$WORK/g.rdf" rdfxml)" = "$n_ttl" ]
check "rdfxml: rdflib, same count as turtle" \
  [ "$(rdflib_count "$WORK/g.rdf" xml)" = "$n_ttl" ]

run nquads "$NEWSKG" extract "${inputs[@]}" -f nquads -o "$WORK/g.nq"
check "nquads: exit 0 (got $RC)" [ "$RC" -eq 0 ]
n_nq=$(rapper_count "$WORK/g.nq" nquads)
check "nquads: rapper parses (${n_nq:-0} quads)" [ "${n_nq:-0}" -gt 0 ]
check "nquads: rdflib, same count as rapper" \
  [ "$(rdflib_count "$WORK/g.nq" nquads)" = "$n_nq" ]

# The same graph in every syntax: isomorphic to Turtle (the union of the
# named graphs for N-Quads), and each article's facts in its own graph.
"$PY" - "$WORK" >"$WORK/iso.log" 2>&1 <<'PY'
import sys
import rdflib
from rdflib.compare import isomorphic
w = sys.argv[1]
def load(name, fmt):
    g = rdflib.Graph()
    g.parse(f"{w}/{name}", format=fmt)
    return g
ttl = load("g.ttl", "turtle")
ok = True
for name, fmt in (("g.nt", "nt"), ("g.rdf", "xml")):
    if not isomorphic(ttl, load(name, fmt)):
        print(f"{name} is not the Turtle graph"); ok = False
ds = rdflib.Dataset()
ds.parse(f"{w}/g.nq", format="nquads")
union = rdflib.Graph()
graphs = set()
for s, p, o, c in ds.quads((None, None, None, None)):
    union.add((s, p, o))
    graphs.add(str(c))
if not isomorphic(ttl, union):
    print(f"nquads without graphs: {len(union)} triples, turtle {len(ttl)}")
    ok = False
docs = [str(d) for d in ttl.subjects(rdflib.RDF.type, rdflib.URIRef("http://schema.org/NewsArticle"))]
missing = [d for d in docs if not any(g.startswith(d) for g in graphs)]
if missing:
    print(f"no named graph for {missing}; graphs: {sorted(graphs)[:5]}")
    ok = False
print(f"{len(graphs)} named graphs")
sys.exit(0 if ok else 1)
PY
rc=$?
sed 's/^/    /' "$WORK/iso.log"
check "ntriples, rdfxml and nquads (ignoring graphs) hold the Turtle graph" [ $rc -eq 0 ]

run badfmt "$NEWSKG" extract "${inputs[0]}" -f jsonld -o "$WORK/bad.out"
check "unknown format: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "unknown format: named in the message" grep -q "jsonld" "$WORK/badfmt.err"
check "unknown format: no output file" [ ! -e "$WORK/bad.out" ]

# --- standard input -------------------------------------------------------------
"$NEWSKG" extract - -o "$WORK/stdin.ttl" <"${inputs[1]}" 2>"$WORK/stdin.err"
RC=$?
check "stdin: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "stdin: one document called stdin" \
  [ "$(doc_ids "$WORK/stdin.ttl" turtle)" = "stdin" ]
run file1 "$NEWSKG" extract "${inputs[1]}" -o "$WORK/file1.ttl"
id1=$(basename "${inputs[1]}" .txt)
# the IRIs of the build and of an article's events hash the article's name
same_build='s,/build/[0-9a-f]*,/build/ID,g; s,(/event/[a-z-]+)-[0-9a-f]+,\1-ID,g'
check "stdin: the same mentions as the file" \
  [ "$(grep -c 'a nif:Phrase' "$WORK/stdin.ttl")" = "$(grep -c 'a nif:Phrase' "$WORK/file1.ttl")" ]
check "stdin: the same graph as the file, but for the document's name" \
  cmp -s <(sed -E "s/stdin/DOC/g; $same_build" "$WORK/stdin.ttl" | sort) \
         <(sed -E "s/$id1/DOC/g; $same_build" "$WORK/file1.ttl" | sort)

# --- a feed: articles one at a time on a pipe ------------------------------------
# Each article's facts come out before the next article is sent (the
# output is flushed when reading would wait), with one job and with two.
for jobs in 1 2; do
  feed=$("$PY" - "$NEWSKG" "$jobs" "${inputs[0]}" "${inputs[1]}" <<'PY'
import json, os, select, subprocess, sys, time
newskg, jobs, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.Popen([newskg, "extract", "-q", "-j", jobs, "-f", "ntriples",
                      "--jsonl", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
got, report = b"", []
for i, path in enumerate(paths):
    text = open(path, encoding="utf-8").read()
    p.stdin.write((json.dumps({"id": f"feed-{i}", "text": text}) + "\n").encode())
    p.stdin.flush()
    want, deadline = f"/doc/feed-{i}>".encode(), time.time() + 15
    while want not in got and time.time() < deadline:
        if select.select([p.stdout], [], [], 0.2)[0]:
            chunk = os.read(p.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            got += chunk
    report.append("out" if want in got else "late")
p.stdin.close()
got += p.stdout.read()
print(" ".join(report), p.wait(), got.count(b"\n"))
PY
)
  check "feed, $jobs job(s): each article's facts before the next (${feed:-none})" \
    [ "${feed%% [0-9]* [0-9]*}" = "out out" ]
  check "feed, $jobs job(s): exit 0 and output (${feed:-none})" \
    bash -c "[[ '${feed:-}' =~ ^out\ out\ 0\ [1-9][0-9]*$ ]]"
done

# --- JSON Lines with date and source ----------------------------------------------
"$PY" - "${inputs[0]}" "${inputs[1]}" >"$WORK/two.jsonl" <<'PY'
import json, sys
for i, (path, date, source) in enumerate(((sys.argv[1], "2006-02-13", "Wire Service One"),
                                          (sys.argv[2], "2006-02-10", None))):
    rec = {"id": f"wire-{i + 1}", "text": open(path, encoding="utf-8").read(), "date": date}
    if source:
        rec["source"] = source
    print(json.dumps(rec, ensure_ascii=(i == 0)))
PY
run jsonl "$NEWSKG" extract "$WORK/two.jsonl" -f ntriples -o "$WORK/jsonl.nt"
check "jsonl: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "jsonl: both records are documents" \
  [ "$(doc_ids "$WORK/jsonl.nt" ntriples | tr '\n' ' ')" = "wire-1 wire-2 " ]
check "jsonl: the date is the document's schema:datePublished" \
  grep -qF '/doc/wire-1> <http://schema.org/datePublished> "2006-02-13"^^<http://www.w3.org/2001/XMLSchema#date>' "$WORK/jsonl.nt"
check "jsonl: the source is the document's schema:publisher" \
  grep -qF '/doc/wire-1> <http://schema.org/publisher> "Wire Service One"' "$WORK/jsonl.nt"
check "jsonl: no publisher where none is given" \
  bash -c "! grep -qF '/doc/wire-2> <http://schema.org/publisher>' '$WORK/jsonl.nt'"
# \u escapes (record 1) and raw UTF-8 (record 2) give the same code point
# offsets as the text files
check "jsonl: the same mentions as the text files" \
  [ "$(grep -c 'nif-core#Phrase' "$WORK/jsonl.nt")" = \
    "$("$NEWSKG" extract -q "${inputs[0]}" "${inputs[1]}" -f ntriples | grep -c 'nif-core#Phrase')" ]
"$NEWSKG" extract --jsonl - -q -f ntriples <"$WORK/two.jsonl" >"$WORK/jsonl-stdin.nt" 2>/dev/null
check "jsonl on standard input (--jsonl -): the same graph" \
  cmp -s <(sort "$WORK/jsonl.nt") <(sort "$WORK/jsonl-stdin.nt")

# --- --base ------------------------------------------------------------------------
base=https://news.example.net/kg/
run base "$NEWSKG" extract "${inputs[@]}" --base "$base" -f ntriples -o "$WORK/base.nt"
check "--base: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "--base: documents under the base" grep -qF "<${base}doc/" "$WORK/base.nt"
check "--base: nothing left under the default base" \
  bash -c "! grep -q 'http://example.org/newskg/' '$WORK/base.nt'"
check "--base: the same number of triples" \
  [ "$(rapper_count "$WORK/base.nt" ntriples)" = "$n_ttl" ]
run badbase "$NEWSKG" extract "${inputs[0]}" --base "https://news.example.net/kg"
check "--base without a trailing / or #: exit 2 (got $RC)" [ "$RC" -eq 2 ]

# --- command line ---------------------------------------------------------------------
run help "$NEWSKG" --help
check "--help: exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "--help: usage on standard output" has "Usage: newskg" "$WORK/help.out"
check "--help: names the exit statuses" has "Exit status" "$WORK/help.out"
run xhelp "$NEWSKG" extract --help
check "extract --help: exit 0" [ "$RC" -eq 0 ]
run version "$NEWSKG" --version
check "--version: exit 0, 'newskg X.Y.Z'" \
  bash -c "[ $RC -eq 0 ] && grep -qE '^newskg [0-9]+\.[0-9]+\.[0-9]+' '$WORK/version.out'"
run noargs "$NEWSKG"
check "no arguments: exit 2 (got $RC)" [ "$RC" -eq 2 ]
run nocmd "$NEWSKG" frobnicate
check "unknown command: exit 2 (got $RC)" [ "$RC" -eq 2 ]
run noinput "$NEWSKG" extract
check "extract without input: exit 2 (got $RC)" [ "$RC" -eq 2 ]
run badopt "$NEWSKG" extract --no-such-option "${inputs[0]}"
check "unknown option: exit 2 (got $RC)" [ "$RC" -eq 2 ]
run baddate "$NEWSKG" extract --date 2006-02-30x "${inputs[0]}"
check "malformed --date: exit 2 (got $RC)" [ "$RC" -eq 2 ]

finish
