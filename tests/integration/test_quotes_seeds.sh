#!/usr/bin/env bash
# Quotations of the three seed articles: CQ12 (who is quoted, in which
# document, through which channel) answered by tests/queries/cq12.rq as
# check_competency.py expects, every gold quotation found by kgscore with
# its speaker in each of its documents, and every quotation's text the text
# of its span.
. "$(dirname "$0")/lib.sh"

SEEDS=$NKG_SHARED/seeds
run seeds "$NEWSKG" extract "$SEEDS"/*.txt -o "$WORK/seeds.ttl"
check "extract exits 0 (got $RC: $(head -c 300 "$WORK/seeds.err"))" [ "$RC" -eq 0 ]

"$PY" "$NKG_SRC/tests/integration/check_competency.py" "$WORK/seeds.ttl" 12 \
  >"$WORK/cq12.log" 2>&1
status=$?
sed 's/^/    /' "$WORK/cq12.log"
check "CQ12: the six speakers, their documents, Al-Arabiya in 000" [ "$status" -eq 0 ]

"$PY" "$NKG_SHARED/tools/kgscore" "$SEEDS/gold.json" "$WORK/seeds.ttl" --verbose \
  >"$WORK/kgscore.txt" 2>&1
grep '^quotes' "$WORK/kgscore.txt" | sed 's/^/    /'
n_found=$(grep -c '^quotes  *found ' "$WORK/kgscore.txt")
n_rows=$(grep -c '^quotes ' "$WORK/kgscore.txt")
check "kgscore: every gold quotation found ($n_found of $n_rows)" \
  [ "$n_rows" -gt 0 ] && [ "$n_found" -eq "$n_rows" ]

rapper -q -i turtle -o ntriples "$WORK/seeds.ttl" >"$WORK/seeds.nt" 2>"$WORK/rapper.err"
check "rapper reads the graph" [ $? -eq 0 ]
"$PY" "$NKG_SRC/tests/integration/quote_checks.py" "$WORK/seeds.nt" "$SEEDS" \
  --min-quotes 10 >"$WORK/checks.log" 2>&1
status=$?
sed 's/^/    /' "$WORK/checks.log"
check "every quotation is the text of its span, in its paragraph" [ "$status" -eq 0 ]

# The scare quote of 001 (a quoted name after "so-called") is no quotation.
check "no quotation of the quoted name after so-called" \
  bash -c "! grep -qi '<http://schema.org/text> \"roadmap to peace' '$WORK/seeds.nt'"
finish
