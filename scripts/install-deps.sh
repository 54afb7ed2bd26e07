#!/usr/bin/env bash
# Installs what newskg needs on Debian 12 (bookworm) or a close relative:
#   bash scripts/install-deps.sh        build, run and test
#   bash scripts/install-deps.sh --ci   also valgrind, Node.js and the rest CI uses
# Runs apt-get as root (through sudo when not root). Packages already
# installed are not fetched again; set NKG_FORCE_APT=1 to refresh anyway.
set -eu -o pipefail

packages=(
  # build
  build-essential cmake pkg-config
  libraptor2-dev librdf0-dev librasqal3-dev libutf8proc-dev libstemmer-dev
  libcmocka-dev libsqlite3-dev
  # RDF tools: rapper, rdfproc, roqet; the SQLite store of librdf
  raptor2-utils redland-utils rasqal-utils librdf-storage-sqlite
  # tests, data generation and graph drawing
  python3 python3-rdflib python3-networkx iso-codes graphviz groff-base
)
ci_packages=(valgrind libxml2-utils nodejs npm git)

for arg in "$@"; do
  case $arg in
    --ci) packages+=("${ci_packages[@]}") ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "install-deps: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  # a Node.js installed otherwise (nodesource's bundles npm and conflicts
  # with Debian's npm) will do
  case $p in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ] && [ -z "${NKG_FORCE_APT:-}" ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi
[ "${#missing[@]}" -eq 0 ] && missing=("${packages[@]}")

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: not root and no sudo; please install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=600)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"
