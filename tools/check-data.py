#!/usr/bin/env python3
"""Sanity-check the knowledge files in data/.

Checks, per file: UTF-8, TAB-separated column count, no empty fields (an
empty field must be written `-`), allowed values in enumerated columns, no
duplicate keys, no stray spaces around fields or `|` values, and that the
`# ambiguous` markers are present where the extractor expects them.
Also reports (as warnings) names that appear in more than one file.

Usage:  tools/check-data.py [DATA_DIR]      exit status 1 on errors
"""
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), "data")

ORG_KINDS = {"government", "party", "media", "newsagency", "international",
             "legislature", "armedgroup", "company", "sport", "court",
             "education", "police", "other"}
PLACE_KINDS = {"city", "region", "territory", "continent", "state", "province",
               "county", "area"}
TITLE_KINDS = {"office", "modifier", "honorific"}
TITLE_CLASSES = {"head_of_state", "government", "legislature", "diplomacy",
                 "spokesperson", "party", "military", "judiciary", "business",
                 "sport", "media", "religion", "royalty", "academia", "generic",
                 "-"}
STOP_CATS = {"function", "adverb", "weekday", "month", "verb", "other"}
CUE_TYPES = {"ORG", "LOC", "ORGPREFIX", "LOCPREFIX"}
EVENT_POS = {"verb", "noun", "phrase"}
EVENT_CLASSES = {"Invitation", "Meeting", "Visit", "Withdrawal", "Election",
                 "Statement", "Interview", "PressConference", "Investigation",
                 "Recognition", "Negotiation", "Appeal", "Agreement",
                 "Acquisition", "Merger", "Attack", "Release", "Arrest",
                 "Resignation", "Appointment", "Lawsuit", "Protest", "Sanction",
                 "Support", "Criticism", "Warning", "Sale", "Launch",
                 "Conviction", "Ban"}
SPEECH_KINDS = {"speech", "ask", "write", "addressee", "source", "channel"}
TEMPORAL_KINDS = {"day", "week", "month", "year", "approx", "vague"}

errors = 0
warnings = 0


def err(fn, n, msg):
    global errors
    errors += 1
    print("%s:%d: error: %s" % (fn, n, msg))


def warn(msg):
    global warnings
    warnings += 1
    print("warning: " + msg)


def read(fn, ncols):
    """Yield (lineno, fields, ambiguous) for data lines of a TSV file."""
    path = os.path.join(DATA, fn)
    amb = False
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(fn, 0, "not UTF-8: %s" % e)
        return
    if not text.endswith("\n"):
        err(fn, 0, "no newline at end of file")
    markers = 0
    for n, line in enumerate(text.split("\n"), 1):
        # the extractor treats every line starting "# ambiguous" as the
        # marker, so there must be at most one such line
        if line.startswith("# ambiguous"):
            amb = True
            markers += 1
            if markers > 1:
                err(fn, n, "second line starting with '# ambiguous'")
        if not line.strip() or line.startswith("#"):
            continue
        if line != line.rstrip() or "\r" in line:
            err(fn, n, "trailing white space or CR")
        cols = line.split("\t")
        if len(cols) != ncols:
            err(fn, n, "expected %d columns, got %d: %r" % (ncols, len(cols), line))
            continue
        for c in cols:
            if c == "":
                err(fn, n, "empty field (write `-`)")
            elif c != c.strip() or "  " in c:
                err(fn, n, "stray spaces in field %r" % c)
            elif "|" in c and any(v != v.strip() or v == "" for v in c.split("|")):
                err(fn, n, "bad multi-value field %r" % c)
        yield n, cols, amb


def multi(field):
    return [] if field == "-" else field.split("|")


def check_unique(fn, keyed):
    seen = {}
    for key, n in keyed:
        if key in seen:
            err(fn, n, "duplicate %r (first on line %d)" % (key, seen[key]))
        else:
            seen[key] = n


def main():
    names_by_file = collections.defaultdict(set)

    # countries
    keyed = []
    codes = set()
    for n, c, _ in read("countries.tsv", 5):
        name, iso, adj, cap, ali = c
        if not re.fullmatch(r"[A-Z]{2}", iso):
            err("countries.tsv", n, "bad iso2 %r" % iso)
        if iso in codes:
            err("countries.tsv", n, "duplicate iso2 %s" % iso)
        codes.add(iso)
        for v in [name] + multi(ali) + multi(adj):
            keyed.append((v, n))
            names_by_file["countries"].add(v)
    check_unique("countries.tsv", keyed)

    # places
    keyed = []
    saw_amb = False
    for n, c, amb in read("places.tsv", 4):
        saw_amb |= amb
        name, kind, iso, ali = c
        if kind not in PLACE_KINDS:
            err("places.tsv", n, "bad kind %r" % kind)
        if iso != "-" and iso not in codes:
            err("places.tsv", n, "unknown country %r" % iso)
        for v in [name] + multi(ali):
            keyed.append((v, n))
            if not amb:
                names_by_file["places"].add(v)
    check_unique("places.tsv", keyed)
    if not saw_amb:
        err("places.tsv", 0, "no '# ambiguous' section")

    # organizations
    keyed = []
    saw_amb = False
    for n, c, amb in read("organizations.tsv", 4):
        saw_amb |= amb
        name, kind, ali, iso = c
        if kind not in ORG_KINDS:
            err("organizations.tsv", n, "bad kind %r" % kind)
        if iso != "-" and iso not in codes:
            err("organizations.tsv", n, "unknown country %r" % iso)
        for v in [name] + multi(ali):
            keyed.append((v, n))
            if not amb:
                names_by_file["organizations"].add(v)
    check_unique("organizations.tsv", keyed)
    if not saw_amb:
        err("organizations.tsv", 0, "no '# ambiguous' section")

    # titles (matched case-insensitively)
    keyed = []
    for n, c, _ in read("titles.tsv", 3):
        title, kind, cls = c
        if kind not in TITLE_KINDS:
            err("titles.tsv", n, "bad kind %r" % kind)
        if cls not in TITLE_CLASSES:
            err("titles.tsv", n, "bad class %r" % cls)
        if (kind == "modifier") != (cls == "-"):
            err("titles.tsv", n, "modifiers (and only they) have class `-`")
        keyed.append((title.casefold(), n))
        names_by_file["titles"].add(title)
    check_unique("titles.tsv", keyed)

    # given names
    path = os.path.join(DATA, "given_names.txt")
    keyed = []
    main_names = set()
    amb = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("# ambiguous"):
                if amb:
                    err("given_names.txt", n, "second '# ambiguous' marker")
                amb = True
            if not line or line.startswith("#"):
                continue
            if "\t" in line or line != line.strip() or " " in line:
                err("given_names.txt", n, "one name per line, no spaces: %r" % line)
            keyed.append((line, n))
            if not amb:
                main_names.add(line)
    check_unique("given_names.txt", keyed)
    if not amb:
        err("given_names.txt", 0, "no '# ambiguous' section")
    if len(keyed) < 2500:
        err("given_names.txt", 0, "only %d names" % len(keyed))

    # stopwords
    keyed = []
    for n, c, _ in read("stopwords.tsv", 2):
        if c[1] not in STOP_CATS:
            err("stopwords.tsv", n, "bad category %r" % c[1])
        keyed.append((c[0], n))
        names_by_file["stopwords"].add(c[0])
    check_unique("stopwords.tsv", keyed)

    # cues
    keyed = []
    for n, c, _ in read("cues.tsv", 3):
        word, typ, kind = c
        if typ not in CUE_TYPES:
            err("cues.tsv", n, "bad type %r" % typ)
        allowed = ORG_KINDS if typ.startswith("ORG") else PLACE_KINDS
        if kind not in allowed:
            err("cues.tsv", n, "kind %r does not fit type %s" % (kind, typ))
        keyed.append((word.casefold(), n))  # the extractor keys cues on the folded word
    check_unique("cues.tsv", keyed)

    # events
    keyed = []
    for n, c, _ in read("events.tsv", 4):
        word, pos, cls, cameo = c
        if pos not in EVENT_POS:
            err("events.tsv", n, "bad pos %r" % pos)
        if (pos == "phrase") != (" " in word):
            err("events.tsv", n, "phrases (and only they) contain spaces")
        if cls not in EVENT_CLASSES:
            err("events.tsv", n, "bad class %r" % cls)
        if cameo != "-" and not re.fullmatch(r"[012]\d{2,3}", cameo):
            err("events.tsv", n, "bad CAMEO code %r" % cameo)
        keyed.append(((word.casefold(), pos), n))
    check_unique("events.tsv", keyed)

    # speech
    keyed = []
    for n, c, _ in read("speech.tsv", 2):
        if c[1] not in SPEECH_KINDS:
            err("speech.tsv", n, "bad kind %r" % c[1])
        keyed.append((c[0].casefold(), n))
    check_unique("speech.tsv", keyed)

    # family
    keyed = []
    for n, c, _ in read("family.tsv", 3):
        if len(c[0].split()) > 2:
            err("family.tsv", n, "more than two words (the extractor reads at most two)")
        keyed.append((c[0].casefold(), n))
    check_unique("family.tsv", keyed)

    # temporal
    keyed = []
    for n, c, _ in read("temporal.tsv", 3):
        expr, kind, off = c
        if kind not in TEMPORAL_KINDS:
            err("temporal.tsv", n, "bad kind %r" % kind)
        if (kind == "vague") != (off == "-"):
            err("temporal.tsv", n, "vague (and only vague) has offset `-`")
        if off != "-" and not re.fullmatch(r"-?\d+", off):
            err("temporal.tsv", n, "bad offset %r" % off)
        if expr != expr.lower():
            err("temporal.tsv", n, "expressions are lower case")
        if len(expr.split()) > 4:
            err("temporal.tsv", n, "more than four words (the extractor reads at most four)")
        keyed.append((expr, n))
    check_unique("temporal.tsv", keyed)

    # cross-file overlaps (warnings only; entries in `# ambiguous` sections
    # are expected to overlap and are not reported)
    stop = names_by_file["stopwords"]
    for fn in ("countries", "places", "organizations"):
        for v in sorted(names_by_file[fn] & stop):
            warn("%r is in %s.tsv and stopwords.tsv" % (v, fn))
        for v in sorted(names_by_file[fn] & main_names):
            warn("%r is in %s.tsv and is an unambiguous given name" % (v, fn))
    for v in sorted(stop & main_names):
        warn("%r is a stopword and an unambiguous given name" % v)

    print("%d error(s), %d warning(s)" % (errors, warnings))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
