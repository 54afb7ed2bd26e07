#!/bin/sh
# The competency queries (tests/queries/cqNN.rq) under both SPARQL engines the project meets:
# each must parse in rasqal 0.9.33 (Debian 12), and on the fixture graph librdf/rasqal
# (rdfproc over an indexed "hashes" store, as the project's engine runs them, and roqet over
# rasqal's own in-memory store) must give the expected answers and the same rows as rdflib.
# Needs: redland-utils (rdfproc), rasqal-utils (roqet), python3-rdflib (/usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
queries=$here/../queries
fixture=$here/fixtures/profile_sample.ttl
check="/usr/bin/python3 $here/check_competency.py"
for tool in rdfproc roqet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test_queries: $tool not found (apt-get install redland-utils rasqal-utils)"; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

echo "== the queries parse in rasqal"
for q in "$queries"/cq*.rq; do
  if ! roqet -q -i sparql -n "$q" >"$tmp/parse.err" 2>&1; then
    echo "FAIL $(basename "$q"): rasqal cannot parse it:"; cat "$tmp/parse.err"; status=1
  fi
done

echo "== rdflib on the fixture"
$check --self-test || status=1

# the queries as run on the fixture: its names in place of the seed names
$check --self-test --write-queries "$tmp/q"
mkdir "$tmp/librdf" "$tmp/roqet"
store="hash-type='bdb',dir='$tmp'"
rdfproc -q -n -s hashes -t "$store" fixture parse "$fixture" turtle 2>"$tmp/load.err" || {
  echo "FAIL: rdfproc could not load the fixture:"; cat "$tmp/load.err"; exit 1; }
for q in "$tmp"/q/cq*.rq; do
  n=$(basename "$q" .rq)
  rdfproc -q -s hashes -t "$store" -r json fixture query sparql - "$(cat "$q")" \
    >"$tmp/librdf/$n.json" 2>"$tmp/librdf/$n.err" || true
  roqet -q -i sparql -r xml -D "$fixture" "$q" >"$tmp/roqet/$n.srx" 2>"$tmp/roqet/$n.err" || true
done

echo "== librdf/rasqal (rdfproc, hashes store) on the fixture, against rdflib"
$check --self-test --results-dir "$tmp/librdf" || status=1
echo "== rasqal (roqet, in-memory store) on the fixture, against rdflib"
$check --self-test --results-dir "$tmp/roqet" || status=1

[ "$status" = 0 ] && echo "test_queries: all passed" || echo "test_queries: FAILED"
exit "$status"
