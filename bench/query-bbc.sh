#!/usr/bin/env bash
# The query path on the graph of the whole BBC corpus (2,089 articles):
# two-pattern joins through `newskg query`, over the Turtle file (loaded into
# librdf's in-memory "hashes" storage) and over a store (librdf's SQLite
# storage), and what building and adding to the store costs.
#   bash bench/query-bbc.sh [BUILD_DIR] [WORK_DIR]
# Prints one line per measurement: wall seconds, CPU seconds, peak memory,
# and newskg's own split (loading or opening / query).
set -eu
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/newskg-bench-query.XXXXXX")}
N=$build/newskg
BBC=${NKG_SHARED:-$root/../shared}/corpora/bbc/news
export NEWSKG_DATA=${NEWSKG_DATA:-$root/data} SOURCE_DATE_EPOCH=0
mkdir -p "$work"

measure() { # measure LABEL COMMAND...: one line of numbers
  local label=$1
  shift
  /usr/bin/time -f "%e %U %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" ||
    { echo "$label: failed: $(tail -n 2 "$work/err")"; return 1; }
  read -r wall cpu mem <"$work/time"
  printf '%-44s %7.2f s wall %7.2f s CPU %6d MB  %s\n' "$label" "$wall" "$cpu" \
    $((mem / 1024)) "$(grep -o '[0-9]* rows;.*' "$work/err" || true)"
}

P='PREFIX schema: <http://schema.org/> PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#> PREFIX org: <http://www.w3.org/ns/org#>'
Q1="$P SELECT ?person ?name WHERE { ?person a schema:Person . ?person schema:name ?name }"
Q2="$P SELECT ?mention ?name WHERE { ?mention itsrdf:taIdentRef ?entity . ?entity schema:name ?name }"
Q3="$P SELECT ?name WHERE { ?entity schema:name ?name . ?mention itsrdf:taIdentRef ?entity } LIMIT 10"

measure "extract the corpus to Turtle" "$N" extract -q "$BBC" -o "$work/bbc.ttl"
echo "    $(rapper -c -i turtle "$work/bbc.ttl" 2>&1 | sed -n 's/.*returned \([0-9]*\) .*/\1 triples/p')"
rm -f "$work/bbc.db" "$work/bbc.db.lock"
measure "extract --store: the corpus into a new store" "$N" extract -q --store "$work/bbc.db" "$BBC"
echo "    store file: $(du -m "$work/bbc.db" | cut -f1) MB"
measure "extract --store: the corpus again (unchanged)" "$N" extract -q --store "$work/bbc.db" "$BBC"
for q in 1 2 3; do
  eval "query=\$Q$q"
  measure "Q$q file  (load + query)" "$N" query -c -r csv "$work/bbc.ttl" "$query"
  measure "Q$q store (open + query)" "$N" query -c -r csv --store "$work/bbc.db" "$query"
done
measure "extract --store: one more article" "$N" extract -q --store "$work/bbc.db" \
  "$root/examples/$(ls "$root/examples" | grep '\.txt$' | head -n 1)"
echo "Q1: $Q1"
echo "Q2: $Q2"
echo "Q3: $Q3"
echo "(work files in $work)"
