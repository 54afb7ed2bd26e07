#!/usr/bin/python3
"""Cross-article merges in a graph built by newskg: how many entities join
mentions from more than one document, and which of them join different
spellings. Usage: tools/merge-report.py GRAPH.nt [--sample N]"""
import random
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^<([^>]*)> <([^>]*)> (.*) \.$')
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITS = "http://www.w3.org/2005/11/its/rdf#taIdentRef"


def main(path, sample):
    anchor, ref, ctx = {}, {}, {}
    names = defaultdict(set)
    for line in open(path, encoding="utf-8"):
        m = LINE.match(line.strip())
        if not m:
            continue
        s, p, o = m.groups()
        if p == ITS:
            ref[s] = o.strip("<>")
        elif p == NIF + "anchorOf":
            anchor[s] = o
        elif p in ("http://schema.org/name", "http://schema.org/alternateName"):
            names[s].add(o.strip('"'))
    docs = defaultdict(set)
    spellings = defaultdict(lambda: defaultdict(set))
    for mention, entity in ref.items():
        doc = mention.split("#")[0]
        docs[entity].add(doc)
    for entity, ns in names.items():
        for n in ns:
            spellings[entity][n]
    cross = [e for e, d in docs.items() if len(d) > 1]
    persons = [e for e in cross if "/entity/person/" in e]
    variants = [e for e in cross if len(names[e]) > 1 and "/entity/person/" in e]
    print(f"entities in more than one document: {len(cross)} "
          f"(people {len(persons)}); people joined under more than one "
          f"full name: {len(variants)}")
    random.seed(1)
    pick = random.sample(sorted(variants), min(sample, len(variants)))
    for e in sorted(pick):
        print(f"  {e.rsplit('/entity/', 1)[1]}: {' | '.join(sorted(names[e]))} "
              f"({len(docs[e])} documents)")


if __name__ == "__main__":
    n = 30
    if "--sample" in sys.argv:
        n = int(sys.argv[sys.argv.index("--sample") + 1])
    main(sys.argv[1], n)
