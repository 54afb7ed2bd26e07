#!/usr/bin/env bash
# Positions, memberships and ties over the whole BBC corpus: reports how
# many were found and asserts the floors measured and justified in
# docs/relations.md, and checks that every post, membership and tie is well
# formed in the graph profile (a post is held by a person, its role is an
# office and not an honorific, its organization is an organization or a
# place, its evidence span names the person; family ties join people).
. "$(dirname "$0")/lib.sh"

# Floors (docs/relations.md, "Over the BBC corpus"): about 80% of what was
# measured when they were set, so that changes in the mention stage do not
# break the test while losing a whole construction does.
MIN_POSTS=2400           # distinct org:Post nodes (measured 2,976)
MIN_STATEMENTS=3250      # post statements: evidence spans (measured 4,060)
MIN_POSTS_IN=1250        # statements with org:postIn (measured 1,574)
MIN_MEMBERS=620          # org:memberOf triples (measured 773)
MIN_FORMER=160           # statements of former posts (measured 203)

CORPUS=$NKG_SHARED/corpora/bbc/news
run bbc "$NEWSKG" extract "$CORPUS" -o "$WORK/bbc.ttl"
check "extract exits 0 (got $RC) in ${SECS}s" [ "$RC" -eq 0 ]
printf '    %s\n' "$(tail -n 1 "$WORK/bbc.err")"
rapper -q -i turtle -o ntriples "$WORK/bbc.ttl" >"$WORK/bbc.nt" 2>"$WORK/rapper.err"
check "rapper reads the graph" [ $? -eq 0 ] && [ -s "$WORK/bbc.nt" ]

"$PY" - "$WORK/bbc.nt" "$NEWSKG_DATA/titles.tsv" >"$WORK/report.txt" 2>&1 <<'PY'
import collections, re, sys

nt_path, titles_path = sys.argv[1], sys.argv[2]
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NKG = "https://w3id.org/newskg/ns#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
PROV = "http://www.w3.org/ns/prov#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

line_re = re.compile(r'^(<[^>]*>|_:\S+) <([^>]*)> (.*) \.$')
out = collections.defaultdict(lambda: collections.defaultdict(list))


def literal(term):
    m = re.match(r'^"(.*)"', term)
    if not m:
        return None
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda x: chr(int(x.group(1), 16)),
                  m.group(1)).replace('\\"', '"')


for line in open(nt_path, encoding="utf-8"):
    m = line_re.match(line.rstrip("\n"))
    if m:
        s, p, o = m.groups()
        out[s][p].append(o)

not_offices = set()
for line in open(titles_path, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 2 and not f[0].startswith("#") and f[1].strip() != "office":
        not_offices.add(f[0].strip().lower())


def types(node):
    return set(out[node][RDF + "type"])


def names(node):
    return [literal(x) for x in out[node][SCHEMA + "name"] + out[node][SCHEMA + "alternateName"]]


problems = collections.Counter()
examples = collections.defaultdict(list)


def problem(kind, text):
    problems[kind] += 1
    if len(examples[kind]) < 3:
        examples[kind].append(text)


posts = [s for s, ps in out.items() if "<" + ORG + "Post>" in ps[RDF + "type"]]
statements = posts_in = former = 0
roles = collections.Counter()
for post in posts:
    ps = out[post]
    held = ps[ORG + "heldBy"]
    if len(held) != 1 or "<" + SCHEMA + "Person>" not in types(held[0]):
        problem("post not held by one person", post)
        continue
    person_words = {w.lower() for n in names(held[0]) if n for w in re.findall(r"\w+", n)}
    role = ps[ORG + "role"]
    label = literal(out[role[0]][SKOS + "prefLabel"][0]) if role and out[role[0]][SKOS + "prefLabel"] else None
    if not label:
        problem("post without a role label", post)
    elif label.lower() in not_offices:
        problem("role is an honorific or a modifier", label)
    roles[label] += 1
    for org in ps[ORG + "postIn"]:
        if not types(org) & {"<" + SCHEMA + "Organization>", "<" + SCHEMA + "Place>"}:
            problem("postIn is not an organization or place", org)
    if not ps[RDFS + "label"] or not ps[PROV + "wasDerivedFrom"] or not ps[NKG + "former"]:
        problem("post without label, document or former flag", post)
    spans = ps[NKG + "evidence"]
    if not spans:
        problem("post without evidence", post)
    for span in spans:
        anchor = literal(out[span][NIF + "anchorOf"][0]) if out[span][NIF + "anchorOf"] else ""
        if not person_words & {w.lower() for w in re.findall(r"\w+", anchor)}:
            problem("evidence does not name the person", anchor)
        statements += 1
        posts_in += bool(ps[ORG + "postIn"])
        former += "true" in ps[NKG + "former"][0]

members = 0
for s, ps in out.items():
    for group in ps[ORG + "memberOf"]:
        members += 1
        if "<" + SCHEMA + "Organization>" not in types(group):
            problem("member of something not an organization", group)
family = 0
for s, ps in out.items():
    for pred in ("parent", "children", "spouse", "sibling", "relatedTo"):
        for o in ps[SCHEMA + pred]:
            family += 1
            if "<" + SCHEMA + "Person>" not in types(s) or "<" + SCHEMA + "Person>" not in types(o):
                problem("family tie between non-people", f"{s} {pred} {o}")
org_ties = sum(len(ps[p]) for ps in out.values() for p in (
    SCHEMA + "parentOrganization", NKG + "basedIn", NKG + "ownedBy", NKG + "governmentOf"))

print(f"posts {len(posts)}")
print(f"statements {statements}")
print(f"posts_in {posts_in}")
print(f"former {former}")
print(f"members {members}")
print(f"family {family}")
print(f"org_ties {org_ties}")
print("roles " + ", ".join(f"{r} {n}" for r, n in roles.most_common(12)))
for kind, n in sorted(problems.items()):
    print(f"problem {n} {kind}: " + " | ".join(map(str, examples[kind])))
PY
check "the report script ran" [ $? -eq 0 ]
sed 's/^/    /' "$WORK/report.txt"

value() { sed -n "s/^$1 \([0-9]*\)\$/\1/p" "$WORK/report.txt"; }
posts=$(value posts)
statements=$(value statements)
posts_in=$(value posts_in)
former=$(value former)
members=$(value members)
check "posts found: ${posts:-0} (floor $MIN_POSTS)" [ "${posts:-0}" -ge "$MIN_POSTS" ]
check "post statements: ${statements:-0} (floor $MIN_STATEMENTS)" \
  [ "${statements:-0}" -ge "$MIN_STATEMENTS" ]
check "post statements with an organization or country: ${posts_in:-0} (floor $MIN_POSTS_IN)" \
  [ "${posts_in:-0}" -ge "$MIN_POSTS_IN" ]
check "former posts: ${former:-0} (floor $MIN_FORMER)" [ "${former:-0}" -ge "$MIN_FORMER" ]
check "memberships: ${members:-0} (floor $MIN_MEMBERS)" [ "${members:-0}" -ge "$MIN_MEMBERS" ]
check "every post, membership and tie is well formed" \
  bash -c "! grep -q '^problem ' '$WORK/report.txt'"

finish
