#!/usr/bin/python3
"""Check the answers to the competency questions (tests/queries/cqNN.rq).

Usage:
  check_competency.py GRAPH.ttl [GRAPH2.ttl ...] [N ...] [--texts DIR] [--results-dir DIR]
  check_competency.py --results-dir DIR [N ...] [--texts DIR]
  check_competency.py --self-test [N ...] [--results-dir DIR]
  check_competency.py --self-test --write-queries DIR

N are question numbers (3, 03 or cq3); all 15 when none is given.

GRAPH files are loaded into rdflib (Debian package python3-rdflib; run with /usr/bin/python3)
and every query runs there. --results-dir DIR reads DIR/cqNN.json instead: SPARQL 1.1 JSON
results that another engine (the project's own, over librdf/rasqal) produced for the same
queries (or DIR/cqNN.srx, SPARQL XML results, where there is no JSON file). With both, each
source is checked and the two must also give the same rows.

The expected answers are those of shared/seeds/competency.md and gold.json for the graph
built from the three example articles. Names compare after Unicode NFC, case folding,
curly-quote folding and dropping a leading "the"; documents compare on schema:identifier.
--texts DIR holds the articles as DIR/<id>.txt, so that CQ14's offsets are checked against
the text itself and not only against nif:anchorOf.

--self-test runs the same checks on a hand-written graph in the output profile
(fixtures/profile_sample.ttl, about invented articles), with the fixture's names put in place
of the seed names that some queries hold; --write-queries DIR writes those queries out so
that another engine can be run on the fixture.

Prints "ok CQn" or "FAIL CQn: why" for each question, then "N passed, N failed"; exits 1
when a check failed, 2 on a usage error.
"""
import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
QUERIES = REPO / "tests" / "queries"
FIXTURE = HERE / "fixtures" / "profile_sample.ttl"
FIXTURE_TEXTS = HERE / "fixtures" / "profile_sample"
ALL_CQS = list(range(1, 16))
INTEGER_TYPES = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long", "short",
              "unsignedInt", "unsignedLong")
}

# ---- normalization -----------------------------------------------------------------------

TRUE = {"true", "1"}  # lexical forms of xsd:boolean true
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
STOP = {"the", "of", "a", "an"}


def norm(s):
    """A name as compared: NFC, folded quotes and case, single spaces, no leading 'the'."""
    s = unicodedata.normalize("NFC", str(s)).translate(QUOTES).casefold()
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def words(s):
    return {w for w in re.findall(r"[\w'-]+", norm(s)) if w not in STOP}


def local(iri):
    return re.split(r"[#/]", str(iri))[-1]


# ---- expected answers ----------------------------------------------------------------------
# Entities by id: the names each may be written with (from gold.json; the foreign ministry
# gets the forms its canonical name may take, since the article only says "foreign ministry").

SEED_ENTITIES = {
    "khaled_mashaal": ["Khaled Mashaal", "Khalid Mashal", "Khaled Meshaal"],
    "sergei_lavrov": ["Sergei Lavrov"],
    "ehud_olmert": ["Ihud Olmert", "Ehud Olmert"],
    "omri_sharon": ["Omri Sharon"],
    "ariel_sharon": ["Ariel Sharon"],
    "tzachi_hanegbi": ["Tzachi Hanegbi"],
    "mahmoud_abbas": ["Mahmoud Abbas"],
    "vladimir_putin": ["Vladimir Putin"],
    "thabo_mbeki": ["Thabo Mbeki"],
    "hugo_chavez": ["Hugo Chavez", "Hugo Chávez"],
    "mark_regev": ["Mark Regev"],
    "sean_mccormack": ["Sean McCormack"],
    "kofi_annan": ["Kofi Annan"],
    "hamas": ["Hamas", "Islamic Resistance Movement"],
    "al_arabiya": ["Al-Arabiya", "Al Arabiya"],
    "kadima": ["Kadima"],
    "knesset": ["Knesset"],
    "quartet": ["Quartet", "Middle East Quartet"],
    "european_union": ["European Union", "EU"],
    "united_nations": ["United Nations", "UN"],
    "state_department": ["State Department"],
    "afp": ["AFP", "Agence France-Presse"],
    "israel_foreign_ministry": ["foreign ministry", "Israeli foreign ministry",
                                "Israel's foreign ministry", "Foreign Ministry of Israel",
                                "Israel Foreign Ministry"],
    "israel": ["Israel"],
    "russia": ["Russia"],
    "united_states": ["United States", "US"],
    "moscow": ["Moscow"],
    "jerusalem": ["Jerusalem"],
    "gaza_strip": ["Gaza Strip"],
    "west_bank": ["West Bank"],
    "spain": ["Spain"],
    "south_africa": ["South Africa"],
    "venezuela": ["Venezuela"],
}

D0, D1, D2 = "000_a922ab2efeb8798d", "001_cdf57f2bfdd5a2eb", "002_6fe1d82189966668"

SEEDS = {
    "entities": SEED_ENTITIES,
    "substitutions": {},
    1: {"people": ["khaled_mashaal", "sergei_lavrov", "ehud_olmert", "omri_sharon",
                   "ariel_sharon", "tzachi_hanegbi", "mahmoud_abbas", "vladimir_putin",
                   "thabo_mbeki", "hugo_chavez", "mark_regev", "sean_mccormack", "kofi_annan"]},
    2: {"person": "khaled_mashaal",
        "names": ["Khaled Mashaal", "Khalid Mashal", "Khaled Meshaal"], "docs": [D0, D1, D2]},
    3: {"person": "ehud_olmert", "names": ["Ihud Olmert", "Ehud Olmert"], "docs": [D0, D1]},
    # the rows of gold.json "positions" marked required; "of" is None where the gold names
    # no entity (Abbas's "Palestinian (Authority)", Hanegbi's minister without portfolio)
    4: {"positions": [
        {"person": "khaled_mashaal", "title": "head of the political bureau", "of": "hamas", "doc": D0},
        {"person": "khaled_mashaal", "title": "leader-in-exile", "of": "hamas", "doc": D1},
        {"person": "khaled_mashaal", "title": "political leader", "of": "hamas", "doc": D2},
        {"person": "sergei_lavrov", "title": "Foreign Minister", "of": "russia", "doc": D0},
        {"person": "ehud_olmert", "title": "Acting Prime Minister", "of": "israel", "doc": D0},
        {"person": "omri_sharon", "title": "member of Knesset", "of": "knesset", "former": True, "doc": D0},
        {"person": "tzachi_hanegbi", "title": "minister without portfolio", "of": None, "doc": D0},
        {"person": "mahmoud_abbas", "title": "President", "of": None, "doc": D1},
        {"person": "vladimir_putin", "title": "President", "of": "russia", "doc": D1},
        {"person": "thabo_mbeki", "title": "President", "of": "south_africa", "doc": D1},
        {"person": "hugo_chavez", "title": "President", "of": "venezuela", "doc": D1},
        {"person": "mark_regev", "title": "spokesman", "of": "israel_foreign_ministry", "doc": D2},
        {"person": "sean_mccormack", "title": "spokesman", "of": "state_department", "doc": D2},
        {"person": "kofi_annan", "title": "Secretary General", "of": "united_nations", "doc": D2},
    ]},
    5: {"members": ["russia", "united_states", "european_union", "united_nations"]},
    6: {"agent": "vladimir_putin", "recipient": "hamas", "place": "moscow", "docs": [D1, D2]},
    7: {"agent": "israel", "from": ["gaza_strip", "west_bank"], "docs": [D0]},
    8: {"people": ["omri_sharon", "ehud_olmert", "tzachi_hanegbi"], "docs": [D0]},
    9: {"parents": ["ariel_sharon"]},
    10: {"winner": "hamas", "time": "January 25th"},
    11: {"who": "khaled_mashaal", "whom": "sergei_lavrov"},
    12: {"speakers": {"khaled_mashaal": [D0, D1, D2], "ehud_olmert": [D1],
                      "vladimir_putin": [D2], "mark_regev": [D2], "sean_mccormack": [D2],
                      "kofi_annan": [D2]},
         "channels": [("khaled_mashaal", D0, "al_arabiya")]},
    13: {"events": [
        {"class": "Recognition", "negated": True, "agent": "hamas", "patient": "israel", "doc": D0},
        {"class": "Withdrawal", "modality": ["Planned", "Conditional"], "agent": "ehud_olmert",
         "place": "west_bank", "doc": D0},
    ]},
    14: {"doc": D0, "contains": ["Lavrov", "Foreign Minister"]},
    # at least as many mentions as the name is written in full or in short there
    15: {"counts": {D1: 1, D2: 5}},
}

F1, F2 = "fx01_norvalia_talks", "fx02_norvalia_vote"
FIXTURE_EXPECT = {
    "entities": {
        "ilse_varnak": ["Ilse Varnak"], "tomas_reyko": ["Tomas Reyko", "Tomasz Rejko"],
        "marek_holm": ["Marek Holm"], "pavel_holm": ["Pavel Holm"],
        "lena_ostrova": ["Lena Ostrova"], "dara_quell": ["Dara Quell", "Darah Quell"],
        "green_front": ["Green Front"], "radio_estrel": ["Radio Estrel"],
        "harbour_group": ["Harbour Group"], "coastal_union": ["Coastal Union"],
        "norvalia": ["Norvalia"], "ostmark": ["Ostmark"], "estrel": ["Estrel"],
        "vell_valley": ["Vell Valley"], "pine_coast": ["Pine Coast"],
    },
    # the seed names some queries hold, and the fixture's names put in their place
    "substitutions": {
        2: [('"Khalid Mashal"', '"Tomasz Rejko"')],
        3: [('"Ehud Olmert"', '"Darah Quell"')],
        5: [('"quartet"', '"harbour group"')],
        9: [('"Omri Sharon"', '"Pavel Holm"')],
        14: [('"Sergei Lavrov"', '"Ilse Varnak"'), ('"Russia"', '"Norvalia"')],
        15: [('"Vladimir Putin"', '"Marek Holm"')],
    },
    1: {"people": ["ilse_varnak", "tomas_reyko", "marek_holm", "pavel_holm", "lena_ostrova",
                   "dara_quell"]},
    2: {"person": "tomas_reyko", "names": ["Tomas Reyko", "Tomasz Rejko"], "docs": [F1, F2]},
    3: {"person": "dara_quell", "names": ["Dara Quell", "Darah Quell"], "docs": [F1, F2]},
    4: {"positions": [
        {"person": "ilse_varnak", "title": "Foreign Minister", "of": "norvalia", "doc": F1},
        {"person": "tomas_reyko", "title": "head", "of": "green_front", "doc": F1},
        {"person": "tomas_reyko", "title": "leader", "of": "green_front", "doc": F2},
        {"person": "marek_holm", "title": "President", "of": None, "doc": F2},
        {"person": "dara_quell", "title": "deputy", "of": None, "former": True, "doc": F1},
        {"person": "dara_quell", "title": "envoy", "of": "coastal_union", "doc": F2},
    ]},
    5: {"members": ["norvalia", "ostmark", "coastal_union"]},
    6: {"agent": "marek_holm", "recipient": "green_front", "place": "estrel", "docs": [F1, F2]},
    7: {"agent": "ostmark", "from": ["vell_valley", "pine_coast"], "docs": [F1]},
    8: {"people": ["pavel_holm", "lena_ostrova"], "docs": [F1]},
    9: {"parents": ["marek_holm"]},
    10: {"winner": "green_front", "time": "March 3rd", "date": "2024-03-03"},
    11: {"who": "ilse_varnak", "whom": "tomas_reyko"},
    12: {"speakers": {"tomas_reyko": [F1], "marek_holm": [F2]},
         "channels": [("tomas_reyko", F1, "radio_estrel")]},
    13: {"events": [
        {"class": "Recognition", "negated": True, "agent": "green_front", "patient": "ostmark", "doc": F1},
        {"class": "Withdrawal", "modality": ["Planned", "Conditional"], "agent": "marek_holm",
         "place": "vell_valley", "doc": F1},
    ]},
    14: {"doc": F1, "contains": ["Varnak", "Foreign Minister"]},
    15: {"counts": {F1: 3, F2: 2}},
}

# ---- the checks: each takes the result rows and the expectation, returns the problems -----


class Check:
    def __init__(self, expect, texts):
        self.expect = expect
        self.names = {k: {norm(n) for n in v} for k, v in expect["entities"].items()}
        self.texts = texts

    def who(self, value):
        """The entity ids a name stands for."""
        if value is None:
            return set()
        v = norm(value)
        return {k for k, ns in self.names.items() if v in ns}

    def is_(self, value, eid):
        return value is not None and norm(value) in self.names[eid]

    def show(self, eid):
        return self.expect["entities"][eid][0]

    # CQ1: the people, each once and none else
    def cq1(self, rows, exp):
        nodes = defaultdict(set)
        for r in rows:
            nodes[r.get("person") or r.get("name")].add(r.get("name"))
        problems = []
        for eid in exp["people"]:
            hits = [n for n, names in nodes.items() if any(self.is_(x, eid) for x in names)]
            if not hits:
                problems.append(f"missing {self.show(eid)}")
            elif len(hits) > 1:
                problems.append(f"{self.show(eid)} is {len(hits)} nodes")
        wanted = set(exp["people"])
        extra = sorted(str(n) for names in nodes.values()
                       if not any(self.who(x) & wanted for x in names) for n in names)
        if extra:
            problems.append("not expected: " + ", ".join(extra))
        return problems

    # CQ2, CQ3: one person, all its names, all its documents
    def names_and_docs(self, rows, exp):
        if not rows:
            return ["no rows"]
        problems = []
        people = {r.get("person") for r in rows}
        if len(people) != 1:
            problems.append(f"{len(people)} person nodes carry the name")
        got = {norm(r[k]) for r in rows for k in ("name", "alternateName") if r.get(k) is not None}
        want = {norm(n) for n in exp["names"]}
        if want - got:
            problems.append("names missing: " + ", ".join(sorted(want - got)))
        if got - want:
            problems.append("names not expected: " + ", ".join(sorted(got - want)))
        docs = {r["docid"] for r in rows if r.get("docid") is not None}
        if set(exp["docs"]) - docs:
            problems.append("documents missing: " + ", ".join(sorted(set(exp["docs"]) - docs)))
        if docs - set(exp["docs"]):
            problems.append("documents not expected: " + ", ".join(sorted(map(str, docs - set(exp["docs"])))))
        return problems

    cq2 = cq3 = names_and_docs

    # CQ4: every expected position: person, title, organization, document, former
    def cq4(self, rows, exp):
        posts = self.group(rows, "post")
        problems = []
        for want in exp["positions"]:
            # how far the closest post got: person, title, document, organization, former
            reached, why = 0, "no post held by that person"
            for p in posts.values():
                if not any(self.is_(n, want["person"]) for n in p["personName"]):
                    continue
                quals = " ".join(p["qualifier"])
                candidates = [t + " " + quals for t in p["title"]] + list(p["label"]) + list(p["written"])
                steps = [
                    (any(words(want["title"]) <= words(c) for c in candidates), "no post with that title"),
                    (want["doc"] in p["docid"], "not derived from " + want["doc"]),
                    (not want.get("of") or self.any_is(p["orgName"] | p["orgAlternateName"], want["of"]),
                     "post not in " + (self.show(want["of"]) if want.get("of") else "")),
                    (not want.get("former") or p["former"] & TRUE, "not marked former"),
                ]
                failing = next((i for i, (ok, _) in enumerate(steps) if not ok), None)
                if failing is None:
                    reached = None
                    break
                if failing + 1 > reached:
                    reached, why = failing + 1, steps[failing][1]
            if reached is not None:
                problems.append(f'{self.show(want["person"])}, {want["title"]}: {why}')
        return problems

    # CQ5: the members of the group, none else
    def cq5(self, rows, exp):
        nodes = defaultdict(set)
        for r in rows:
            nodes[r.get("member")].add(r.get("memberName"))
        found = set().union(*[self.who(n) for ns in nodes.values() for n in ns]) if nodes else set()
        problems = ["missing " + self.show(m) for m in exp["members"] if m not in found]
        extra = sorted(str(n) for ns in nodes.values() for n in ns if not self.who(n) & set(exp["members"]))
        if extra:
            problems.append("not expected: " + ", ".join(extra))
        return problems

    @staticmethod
    def group(rows, key="event"):
        """The rows merged per value of key: {key value: {variable: set of values}}. The queries
        give the facts about one node in several rows (one UNION branch each)."""
        groups = defaultdict(lambda: defaultdict(set))
        for r in rows:
            g = groups[r.get(key)]
            for k, v in r.items():
                if v is not None:
                    g[k].add(v)
        return groups

    def any_is(self, values, eid):
        return any(self.is_(v, eid) for v in values)

    # CQ6: one invitation node: agent, recipient, place, reported by every document
    def cq6(self, rows, exp):
        events = self.group(rows)
        same = [e for e in events.values()
                if self.any_is(e["agentName"], exp["agent"]) and self.any_is(e["recipientName"], exp["recipient"])]
        if not same:
            return [f'no invitation by {self.show(exp["agent"])} to {self.show(exp["recipient"])}'
                    f' (invitations: {len(events)})']
        problems = []
        if len(same) > 1:
            problems.append(f"the invitation is split over {len(same)} event nodes")
        if not any(self.any_is(e["placeName"], exp["place"]) for e in same):
            problems.append("place is not " + self.show(exp["place"]))
        if not any(set(exp["docs"]) <= e["docid"] for e in same):
            got = set().union(*[e["docid"] for e in same])
            problems.append("reported by " + ", ".join(sorted(got)) + ", not by all of " + ", ".join(exp["docs"]))
        return problems

    # CQ7: a withdrawal by the agent from every expected place
    def cq7(self, rows, exp):
        events = self.group(rows)
        mine = [e for e in events.values() if self.any_is(e["agentName"], exp["agent"])]
        if not mine:
            return [f'no stated withdrawal by {self.show(exp["agent"])} (withdrawals: {len(events)})']
        for e in mine:
            places = e["originName"] | e["placeName"]
            if all(self.any_is(places, p) for p in exp["from"]) and set(exp["docs"]) <= e["docid"]:
                return []
        places = sorted(set().union(*[e["originName"] | e["placeName"] for e in mine]))
        return [f'withdrawals by {self.show(exp["agent"])} are from {places}, '
                f'not from all of {[self.show(p) for p in exp["from"]]} in one event of {exp["docs"]}']

    # CQ8: the people investigated, none else
    def cq8(self, rows, exp):
        problems = self.cq1([{"person": r.get("person"), "name": r.get("name")} for r in rows], exp)
        docs = {r.get("docid") for r in rows}
        if set(exp["docs"]) - docs:
            problems.append("not derived from " + ", ".join(sorted(set(exp["docs"]) - docs)))
        return problems

    # CQ9: the parents, none else
    def cq9(self, rows, exp):
        return self.cq5([{"member": r.get("parent"), "memberName": r.get("parentName")} for r in rows],
                        {"members": exp["parents"]})

    # CQ10: an election won by the winner, at the time as written
    def cq10(self, rows, exp):
        events = self.group(rows)
        won = [e for e in events.values() if self.any_is(e["winnerName"], exp["winner"])]
        if not won:
            return [f'no election won by {self.show(exp["winner"])} (elections with a winner: {len(events)})']
        want = norm(exp["time"])
        for e in won:
            labels = {norm(t) for t in e["timeLabel"]}
            if any(want in t for t in labels) and (not exp.get("date") or exp["date"] in e["date"]):
                return []
        times = sorted(set().union(*[e["timeLabel"] | e["date"] for e in won]))
        return [f'election won by {self.show(exp["winner"])} has time {times or "none"}, not {exp["time"]}']

    # CQ11: a meeting of "who" (agent or participant) with "whom" (recipient or participant)
    def cq11(self, rows, exp):
        events = self.group(rows)
        for e in events.values():
            side_a = e["agentName"] | e["participantName"]
            side_b = e["recipientName"] | e["participantName"] | e["hostName"]
            if self.any_is(side_a, exp["who"]) and self.any_is(side_b, exp["whom"]):
                return []
        return [f'no meeting of {self.show(exp["who"])} (agent or participant) with '
                f'{self.show(exp["whom"])} (recipient or participant) among {len(events)} meetings']

    # CQ12: the speakers, each in its documents, and the named channels
    def cq12(self, rows, exp):
        docs = defaultdict(set)
        problems, extra = [], set()
        for r in rows:
            ids = self.who(r.get("speakerName")) & set(exp["speakers"])
            if not ids:
                extra.add(str(r.get("speakerName")))
            for i in ids:
                docs[i].add(r.get("docid"))
        for sid, want in exp["speakers"].items():
            if sid not in docs:
                problems.append(f"{self.show(sid)} not quoted")
            elif set(want) != docs[sid]:
                problems.append(f"{self.show(sid)} quoted in {sorted(docs[sid])}, expected {sorted(want)}")
        if extra:
            problems.append("speakers not expected: " + ", ".join(sorted(extra)))
        for sid, doc, cid in exp["channels"]:
            if not any(self.is_(r.get("speakerName"), sid) and r.get("docid") == doc
                       and self.is_(r.get("channelName"), cid) for r in rows):
                problems.append(f"{self.show(sid)} in {doc[:3]}: channel {self.show(cid)} missing")
        return problems

    # CQ13: each expected negated or planned event is there
    def cq13(self, rows, exp):
        events = self.group(rows)
        problems = []
        for want in exp["events"]:
            ok = False
            for e in events.values():
                if want["class"] not in {local(c) for c in e["class"]}:
                    continue
                if want.get("negated") and not e["negated"] & TRUE:
                    continue
                if want.get("modality") and not set(want["modality"]) & {local(m) for m in e["modality"]}:
                    continue
                if want.get("agent") and not self.any_is(e["agentName"], want["agent"]):
                    continue
                if want.get("patient") and not self.any_is(e["patientName"], want["patient"]):
                    continue
                if want.get("place") and not self.any_is(e["originName"] | e["placeName"], want["place"]):
                    continue
                if want["doc"] not in e["docid"]:
                    continue
                ok = True
                break
            if not ok:
                what = "negated" if want.get("negated") else "/".join(want["modality"]).lower()
                problems.append(f'no {what} {want["class"]} by {self.show(want["agent"])}'
                                + (f' of {self.show(want["patient"])}' if want.get("patient") else "")
                                + (f' from {self.show(want["place"])}' if want.get("place") else "")
                                + f' in {want["doc"][:3]}')
        return problems

    # CQ14: the evidence span is in the document and its characters state the fact
    def cq14(self, rows, exp):
        if not rows:
            return ["no evidence span"]
        problems, good = [], 0
        for r in rows:
            doc, b, e, anchor = r.get("docid"), r.get("begin"), r.get("end"), r.get("anchor")
            where = f"{doc}#char={b},{e}"
            if doc != exp["doc"]:
                problems.append(f"evidence in another document: {where}")
                continue
            if not isinstance(b, int) or not isinstance(e, int) or not 0 <= b < e:
                problems.append(f"bad offsets {where}")
                continue
            text = self.texts.get(doc)
            if text is not None:
                span = text[b:e]
                if anchor is not None and span != anchor:
                    problems.append(f"{where} is {span!r} in the text but anchorOf {anchor!r}")
                    continue
            elif anchor is None:
                problems.append(f"{where}: no nif:anchorOf and no text to check it against (--texts)")
                continue
            else:
                span = anchor
                if len(anchor) != e - b:
                    problems.append(f"{where}: anchorOf has {len(anchor)} characters, not {e - b}")
                    continue
            missing = [w for w in exp["contains"] if norm(w) not in norm(span)]
            if missing:
                problems.append(f"{where} {span!r} does not name {', '.join(missing)}")
                continue
            good += 1
        if not good and not problems:
            problems.append("no evidence span in " + exp["doc"])
        return problems

    # CQ15: the documents that mention the person, with at least the expected counts
    def cq15(self, rows, exp):
        got = {}
        for r in rows:
            got[r.get("docid")] = r.get("mentions")
        problems = []
        for doc, least in exp["counts"].items():
            n = got.get(doc)
            if n is None:
                problems.append(f"{doc[:3]} missing")
            elif not isinstance(n, int) or n < least:
                problems.append(f"{doc[:3]}: {n} mentions, expected at least {least}")
        extra = sorted(str(d) for d in got if d not in exp["counts"])
        if extra:
            problems.append("documents not expected: " + ", ".join(extra))
        return problems


# ---- running queries and reading results ---------------------------------------------------


def query_text(cq, expect):
    path = QUERIES / f"cq{cq:02d}.rq"
    text = path.read_text(encoding="utf-8")
    for old, new in expect["substitutions"].get(cq, []):
        if old not in text:
            raise ValueError(f"{path.name} no longer holds {old}, which the self-test replaces")
        text = text.replace(old, new)
    return text


def term_value(term):
    """An rdflib term as compared: integers as int, everything else its lexical form."""
    if term is None:
        return None
    dt = getattr(term, "datatype", None)
    if dt is not None and str(dt) in INTEGER_TYPES:
        try:
            return int(str(term))
        except ValueError:
            return str(term)
    if type(term).__name__ == "BNode":
        return "_:" + str(term)
    return str(term)


def load_graph(paths):
    import rdflib
    from rdflib.util import guess_format
    quads = any((guess_format(str(p)) or "") in ("nquads", "trig") for p in paths)
    g = rdflib.ConjunctiveGraph() if quads else rdflib.Graph()
    for p in paths:
        g.parse(str(p), format=guess_format(str(p)) or "turtle")
    return g


def rdflib_rows(graph, text):
    result = graph.query(text)
    names = [str(v) for v in result.vars]
    return [{n: term_value(row[i]) for i, n in enumerate(names)} for row in result]


def xml_rows(path):
    """Rows of SPARQL XML results (what roqet writes; its JSON writer is refused in 0.9.33)."""
    import xml.etree.ElementTree as ET
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.parse(path).getroot()
    names = [v.get("name") for v in root.findall("r:head/r:variable", ns)]
    rows = []
    for result in root.findall("r:results/r:result", ns):
        row = {n: None for n in names}
        for b in result.findall("r:binding", ns):
            term = b[0]
            kind = term.tag.split("}")[-1]
            text = term.text or ""
            if kind == "unbound":  # rasqal writes <unbound/> for a variable left unbound
                continue
            if kind == "literal" and term.get("datatype") in INTEGER_TYPES:
                try:
                    text = int(text)
                except ValueError:
                    pass
            row[b.get("name")] = ("_:" + text) if kind == "bnode" else text
        rows.append(row)
    return rows


def result_rows(directory, cq):
    """Rows of DIR/cqNN.json, or of DIR/cqNN.srx when there is no JSON file."""
    base = Path(directory) / f"cq{cq:02d}"
    if not base.with_suffix(".json").exists() and base.with_suffix(".srx").exists():
        return xml_rows(base.with_suffix(".srx"))
    return json_rows(base.with_suffix(".json"))


def json_rows(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = []
    for b in data["results"]["bindings"]:
        row = {v: None for v in data["head"]["vars"]}
        for var, t in b.items():
            if t["type"] in ("literal", "typed-literal") and t.get("datatype") in INTEGER_TYPES:
                try:
                    row[var] = int(t["value"])
                    continue
                except ValueError:
                    pass
            row[var] = ("_:" + t["value"]) if t["type"] == "bnode" else t["value"]
        rows.append(row)
    return rows


def row_key(row):
    return tuple(sorted((k, "" if v is None else str(v)) for k, v in row.items() if v is not None))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("items", nargs="*", help="graph files and question numbers")
    ap.add_argument("--results-dir", help="read DIR/cqNN.json (SPARQL 1.1 JSON results)")
    ap.add_argument("--texts", help="DIR/<document id>.txt: the article texts, for CQ14")
    ap.add_argument("--self-test", action="store_true", help="check the fixture graph instead")
    ap.add_argument("--write-queries", metavar="DIR", help="write the queries as run to DIR and stop")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the rows of each answer")
    args = ap.parse_args(argv)

    cqs, graphs = [], []
    for item in args.items:
        m = re.fullmatch(r"(?i)(?:cq)?0*(\d+)", item)
        if m and not Path(item).exists():
            n = int(m.group(1))
            if n not in ALL_CQS:
                ap.error(f"no question CQ{n}")
            cqs.append(n)
        else:
            graphs.append(Path(item))
    cqs = sorted(set(cqs)) or ALL_CQS
    expect = FIXTURE_EXPECT if args.self_test else SEEDS
    texts_dir = Path(args.texts) if args.texts else (FIXTURE_TEXTS if args.self_test else None)
    if args.self_test and not graphs:
        graphs = [FIXTURE]

    if args.write_queries:
        out = Path(args.write_queries)
        out.mkdir(parents=True, exist_ok=True)
        for cq in cqs:
            (out / f"cq{cq:02d}.rq").write_text(query_text(cq, expect), encoding="utf-8")
        return 0
    if not graphs and not args.results_dir:
        ap.error("give a graph file, --results-dir or --self-test")

    texts = {}
    if texts_dir:
        for f in sorted(texts_dir.glob("*.txt")):
            texts[f.stem] = f.read_text(encoding="utf-8")
    check = Check(expect, texts)

    graph = None
    if graphs:
        try:
            graph = load_graph(graphs)
        except ImportError:
            sys.exit("check_competency: needs rdflib: apt-get install python3-rdflib; run it with /usr/bin/python3")
        except Exception as exc:  # an unreadable graph fails every question
            print(f"check_competency: could not read {', '.join(map(str, graphs))}: {exc}")
            return 2

    passed = failed = 0
    for cq in cqs:
        fn = getattr(check, f"cq{cq}")
        problems, answers = [], {}
        sources = []
        if graph is not None:
            sources.append(("rdflib", lambda: rdflib_rows(graph, query_text(cq, expect))))
        if args.results_dir:
            sources.append(("results", lambda: result_rows(args.results_dir, cq)))
        for name, get in sources:
            try:
                rows = get()
            except FileNotFoundError as exc:
                problems.append(f"[{name}] no {exc.filename}")
                continue
            except Exception as exc:  # a query error or a malformed results file
                problems.append(f"[{name}] {type(exc).__name__}: {exc}")
                continue
            answers[name] = rows
            if args.verbose:
                for r in rows:
                    print(f"  {name} CQ{cq}: " + "\t".join(f"{k}={v}" for k, v in r.items()))
            for p in fn(rows, expect[cq]):
                problems.append(f"[{name}] {p}" if len(sources) > 1 else p)
        if len(answers) == 2:
            a = Counter(row_key(r) for r in answers["rdflib"])
            b = Counter(row_key(r) for r in answers["results"])
            if a != b:
                problems.append(f"engines differ: {sum((a - b).values())} rows only from rdflib, "
                                f"{sum((b - a).values())} only from the results file")
        if problems:
            failed += 1
            print(f"FAIL CQ{cq}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok CQ{cq}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
