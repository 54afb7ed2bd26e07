#!/usr/bin/env bash
# The whole BBC corpus (2,089 articles) in one run: no error, the graph
# parses with rapper and rdflib, its N-Triples hold each statement once, and
# no person, organization or place is named by a weekday, a month, a
# function word or a sentence adverb (the lists of data/stopwords.tsv), nor
# starts with a weekday or a function word.
. "$(dirname "$0")/lib.sh"

CORPUS=$NKG_SHARED/corpora/bbc/news
n_files=$(find "$CORPUS" -name '*.txt' | wc -l)
check "the corpus is there ($n_files articles)" [ "$n_files" -eq 2089 ]

run bbc "$NEWSKG" extract "$CORPUS" -o "$WORK/bbc.ttl"
check "extract exits 0 (got $RC) in ${SECS}s" [ "$RC" -eq 0 ]
grep -v '^newskg: [0-9]* documents' "$WORK/bbc.err" | head -n 10 | sed 's/^/    stderr: /'
check "no message but the summary" \
  [ "$(grep -vc '^newskg: [0-9]* documents' "$WORK/bbc.err")" -eq 0 ]
check "the summary counts 2089 documents" grep -q '^newskg: 2089 documents' "$WORK/bbc.err"
printf '    %s\n' "$(tail -n 1 "$WORK/bbc.err")"

n=$(rapper_count "$WORK/bbc.ttl" turtle)
check "rapper parses the graph (${n:-0} triples)" [ "${n:-0}" -gt 0 ]

# N-Triples stream, so nothing but the build itself keeps a statement from
# being written twice (an entity in two roles of one event, a date shared
# by events)
"$NEWSKG" extract -q "$CORPUS" -f ntriples -o "$WORK/bbc.nt"
dups=$(LC_ALL=C sort "$WORK/bbc.nt" | uniq -d | wc -l)
check "no statement written twice in N-Triples ($dups)" [ "$dups" -eq 0 ]
check "the N-Triples hold the Turtle's triples ($(wc -l <"$WORK/bbc.nt"))" \
  [ "$(wc -l <"$WORK/bbc.nt")" -eq "${n:-0}" ]

stop=$NEWSKG_DATA/stopwords.tsv
if [ ! -f "$stop" ]; then
  fail "$stop is missing: cannot check entity names"
  finish
fi

"$PY" - "$WORK/bbc.ttl" "$stop" "${n:-0}" >"$WORK/names.log" 2>&1 <<'PY'
import collections, sys, time
import rdflib
from rdflib import RDF, Namespace

SCHEMA = Namespace("http://schema.org/")
path, stop_path, rapper_count = sys.argv[1], sys.argv[2], int(sys.argv[3])

words = collections.defaultdict(set)  # category -> words as listed ("Monday", "Us")
for line in open(stop_path, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    fields = line.split("\t")
    if len(fields) >= 2:
        words[fields[1].strip()].add(fields[0].strip())
for cat in ("weekday", "month", "function"):
    if not words[cat]:
        print(f"FAIL stopwords.tsv has no '{cat}' words")
        sys.exit(1)

def matcher(forms):
    """A word as listed ("Us") or in lower case ("us"); not "US"."""
    lower = {f.lower() for f in forms}
    return lambda w: w in forms or (w.islower() and w in lower)

# A name may not be one such word ("Monday", "However", "If")...
is_stop = matcher(words["weekday"] | words["month"] | words["function"] | words["adverb"])
# ...nor start with a function word other than an article ("If Blair";
# "The Guardian" is a name), nor, for a person or a place, with a weekday
# ("Monday Tony Blair"; the Sunday Times is a newspaper).
bad_first = {
    "Person": matcher(words["weekday"] | (words["function"] - {"The", "A", "An"})),
    "Place": matcher(words["weekday"] | (words["function"] - {"The", "A", "An"})),
    "Organization": matcher(words["function"] - {"The", "A", "An"}),
}

t0 = time.time()
g = rdflib.Graph()
g.parse(path, format="turtle")
print(f"rdflib read {len(g)} triples in {time.time() - t0:.1f}s")
failed = 0
if len(g) != rapper_count:
    print(f"FAIL rdflib read {len(g)} triples, rapper {rapper_count}")
    failed = 1
docs = set(g.subjects(RDF.type, SCHEMA.NewsArticle))
print(f"documents: {len(docs)}")
if len(docs) != 2089:
    print("FAIL expected 2089 documents")
    failed = 1
bad = []
for cls in ("Person", "Organization", "Place"):
    nodes = set(g.subjects(RDF.type, SCHEMA[cls]))
    names = collections.Counter()
    for node in nodes:
        for name in g.objects(node, SCHEMA.name):
            tokens = str(name).split()
            if not tokens:
                bad.append((cls, str(name), "empty name"))
            elif len(tokens) == 1 and is_stop(tokens[0]):
                bad.append((cls, str(name), "named by a stop word"))
            elif bad_first[cls](tokens[0]):
                bad.append((cls, str(name), "starts with a weekday or function word"))
            names[str(name)] += 1
    print(f"{cls}: {len(nodes)} entities, {sum(names.values())} names")
for cls, name, why in sorted(bad):
    print(f"FAIL {cls} '{name}': {why}")
print(f"bad names: {len(bad)}")
sys.exit(1 if failed or bad else 0)
PY
rc=$?
sed 's/^/    /' "$WORK/names.log" | head -n 60
check "rdflib parses the graph and no entity is named by a stop word" [ $rc -eq 0 ]

finish
