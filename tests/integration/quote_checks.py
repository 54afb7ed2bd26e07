#!/usr/bin/python3
"""Checks every schema:Quotation of a graph against the articles it came from.

Usage: quote_checks.py GRAPH.nt TEXTS_DIR [--min-quotes N] [--min-speaker-share F]
                       [--max-org-share F] [--expect-quotes N] [--sample N [--seed S]]

GRAPH.nt is N-Triples (convert Turtle with rapper first: it reads faster than rdflib reads
Turtle). TEXTS_DIR holds the articles, as <id>.txt at any depth.

Every quotation must: have one schema:text, equal to the article's characters at the span its
IRI names (.../quote/B-E, Unicode code points); hold no line break (a quote never runs past its
paragraph); be prov:wasDerivedFrom exactly one schema:NewsArticle; have a schema:creator, when
it has one, typed schema:Person or schema:Organization; a channel typed
schema:Organization; a speaker mention whose itsrdf:taIdentRef is the creator.

Prints the counts (quotations, with and without a speaker, with a channel), then one line per
problem (at most 20 of each kind), and exits 1 when a check failed. --sample N also prints N
quotations drawn at random (--seed S), each with its speaker, channel and the text around it,
for checking by hand (docs/quotations.md).
"""
import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
NKG = "https://w3id.org/newskg/ns#"
ITSRDF = "http://www.w3.org/2005/11/its/rdf#"

LINE = re.compile(r'^(<[^>]*>|_:\S+) <([^>]*)> (.*) \.\s*$')
LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"')


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == "u":
            out.append(chr(int(s[i + 2:i + 6], 16)))
            i += 6
        elif n == "U":
            out.append(chr(int(s[i + 2:i + 10], 16)))
            i += 10
        else:
            out.append({"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}.get(n, n))
            i += 2
    return "".join(out)


def node(term):
    if term.startswith("<"):
        return term[1:-1]
    m = LITERAL.match(term)
    return unescape(m.group(1)) if m else term


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("graph")
    ap.add_argument("texts")
    ap.add_argument("--min-quotes", type=int, default=1)
    ap.add_argument("--expect-quotes", type=int)
    ap.add_argument("--min-speaker-share", type=float, default=0.0)
    ap.add_argument("--max-org-share", type=float, default=1.0)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    types = defaultdict(set)
    props = defaultdict(lambda: defaultdict(list))
    wanted = {SCHEMA + "text", SCHEMA + "creator", PROV + "wasDerivedFrom", NKG + "channel",
              NKG + "speakerMention", ITSRDF + "taIdentRef", SCHEMA + "identifier",
              SCHEMA + "name"}
    with open(args.graph, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            s, p, o = node(m.group(1)), m.group(2), node(m.group(3))
            if p == RDF_TYPE:
                types[s].add(o)
            elif p in wanted:
                props[s][p].append(o)

    texts = {p.stem: p for p in Path(args.texts).rglob("*.txt")}
    cache = {}

    def text_of(ident):
        if ident not in cache:
            cache[ident] = texts[ident].read_text(encoding="utf-8") if ident in texts else None
        return cache[ident]

    problems = defaultdict(list)
    counts = Counter()
    quotes = [s for s, t in types.items() if SCHEMA + "Quotation" in t]
    for q in sorted(quotes):
        counts["quotations"] += 1
        pr = props[q]
        m = re.search(r"/quote/(\d+)-(\d+)$", q)
        if not m:
            problems["IRI names no span"].append(q)
            continue
        b, e = int(m.group(1)), int(m.group(2))
        docs = [d for d in pr[PROV + "wasDerivedFrom"] if SCHEMA + "NewsArticle" in types[d]]
        if len(docs) != 1:
            problems["not derived from exactly one article"].append(q)
            continue
        ident = (props[docs[0]][SCHEMA + "identifier"] or [None])[0]
        text = text_of(ident) if ident else None
        said = pr[SCHEMA + "text"]
        if len(said) != 1:
            problems["not exactly one schema:text"].append(q)
        elif text is None:
            problems["article text not found"].append(f"{q} ({ident})")
        elif said[0] != text[b:e]:
            problems["schema:text is not the text of its span"].append(
                f"{q}: {said[0][:60]!r} vs {text[b:e][:60]!r}")
        if said and ("\n" in said[0] or "\r" in said[0]):
            problems["runs past its paragraph"].append(q)
        creators = pr[SCHEMA + "creator"]
        if len(creators) > 1:
            problems["more than one creator"].append(q)
        if creators:
            counts["with a speaker"] += 1
            ct = types[creators[0]]
            if SCHEMA + "Organization" in ct:
                counts["speaker is an organization"] += 1
            elif SCHEMA + "Person" not in ct:
                problems["creator is neither a Person nor an Organization"].append(q)
        else:
            counts["without a speaker"] += 1
        for ch in pr[NKG + "channel"]:
            counts["with a channel"] += 1
            if SCHEMA + "Organization" not in types[ch]:
                problems["channel is not an Organization"].append(q)
        for sm in pr[NKG + "speakerMention"]:
            if props[sm][ITSRDF + "taIdentRef"] != creators:
                problems["speaker mention names another entity than the creator"].append(q)

    if args.sample:
        import random
        random.seed(args.seed)
        for q in sorted(random.sample(sorted(quotes), min(args.sample, len(quotes)))):
            pr = props[q]
            b, e = map(int, re.search(r"/quote/(\d+)-(\d+)$", q).groups())
            doc = pr[PROV + "wasDerivedFrom"][0]
            ident = props[doc][SCHEMA + "identifier"][0]
            text = text_of(ident) or ""

            def name(node_list):
                return props[node_list[0]][SCHEMA + "name"][0] if node_list else "-"
            print(f"== {ident} [{b}-{e}] speaker: {name(pr[SCHEMA + 'creator'])}"
                  f" channel: {name(pr[NKG + 'channel'])}")
            flat = lambda s: s.replace("\n", " / ")
            print(f"   ...{flat(text[max(0, b - 200):b])}<<{flat(text[b:e])}>>"
                  f"{flat(text[e:e + 100])}")

    n = counts["quotations"]
    with_speaker = counts["with a speaker"]
    for k in ("quotations", "with a speaker", "without a speaker", "speaker is an organization",
              "with a channel"):
        print(f"{k}: {counts[k]}")
    failed = False
    for kind, items in sorted(problems.items()):
        failed = True
        print(f"FAIL {kind}: {len(items)}")
        for it in items[:20]:
            print(f"    {it}")
    if n < args.min_quotes:
        print(f"FAIL {n} quotations, expected at least {args.min_quotes}")
        failed = True
    if args.expect_quotes is not None and n != args.expect_quotes:
        print(f"FAIL {n} quotations, expected {args.expect_quotes}")
        failed = True
    share = with_speaker / n if n else 0.0
    if share < args.min_speaker_share:
        print(f"FAIL speaker share {share:.3f} < {args.min_speaker_share}")
        failed = True
    org_share = counts["speaker is an organization"] / with_speaker if with_speaker else 0.0
    if org_share > args.max_org_share:
        print(f"FAIL organization speaker share {org_share:.3f} > {args.max_org_share}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
