#!/usr/bin/env bash
# Quick start: install the dependencies, build newskg, and build the graph of
# the example articles into graphs/examples.ttl.
#   sudo bash scripts/quickstart.sh
# NKG_BUILD_DIR picks the build folder (default: build). The graph is built
# with SOURCE_DATE_EPOCH=0, so it carries no timestamps and only changes
# when the extractor or the examples do.
set -eu -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${NKG_BUILD_DIR:-build}

bash scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"

mkdir -p graphs
export SOURCE_DATE_EPOCH=0 NEWSKG_DATA="$root/data"
"$build/newskg" extract examples/*.txt -o graphs/examples.ttl
# pictures for graph tools: GraphViz (rendered to SVG) and GraphML
"$build/newskg" export -q -f dot graphs/examples.ttl -o graphs/examples.dot
dot -Tsvg graphs/examples.dot -o graphs/examples.svg
"$build/newskg" export -q -f graphml graphs/examples.ttl -o graphs/examples.graphml
echo
echo "quickstart: graphs/examples.ttl: $(rapper -i turtle -c graphs/examples.ttl 2>&1 |
  sed -n 's/.*returned \([0-9]*\) .*/\1 triples/p')"
echo "quickstart: try  $build/newskg extract --help   or   bash scripts/test.sh"
