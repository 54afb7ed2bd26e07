#!/usr/bin/env bash
# The newskg benchmark in one command: builds newskg (Release, in
# build-bench/), installs compromise from npm into bench/node_modules, then
# times a corpus and the corpus repeated 10 times (bench/bench.py).
#
#   bench/run.sh [CORPUS] [bench.py options: --runs N --runs10 N
#                          --no-compromise --no-10x]
#
# CORPUS: a folder of *.txt articles (read recursively) or a JSON Lines
# file; default the BBC corpus. NEWSKG=path/to/newskg uses that binary
# instead of building one. Results go to bench/results/ (git-ignored).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=$(dirname "$root")/shared/corpora/bbc/news # ../shared beside the project
if [[ $# -gt 0 && $1 != --* ]]; then
  corpus=$1
  shift
fi

if [[ -z ${NEWSKG:-} ]]; then
  echo "bench: building newskg (Release) in $root/build-bench" >&2
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
    >/dev/null
  cmake --build "$root/build-bench" -j"$(nproc)" --target newskg >/dev/null
  NEWSKG=$root/build-bench/newskg
fi

if command -v npm >/dev/null && [[ ! -d $here/node_modules/compromise ]]; then
  echo "bench: npm install compromise into $here/node_modules" >&2
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error \
    >/dev/null)
fi

# reproducible output (no timestamps); a copy of the data files, so that
# every run of one benchmark reads the same knowledge
export SOURCE_DATE_EPOCH=0
mkdir -p "$here/results"
rm -rf "$here/results/data"
cp -r "${NEWSKG_DATA:-$root/data}" "$here/results/data"
export NEWSKG_DATA=$here/results/data

python=python3
[[ -x /usr/bin/python3 ]] && python=/usr/bin/python3
exec "$python" "$here/bench.py" --newskg "$NEWSKG" --corpus "$corpus" "$@"
