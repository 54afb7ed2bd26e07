#!/usr/bin/env bash
# Quotations over the BBC corpus: each is the text of its span, inside one
# paragraph, derived from its article, with a Person or Organization as
# speaker; the counts (docs/quotations.md) stay near what was measured.
# Then a 47 MB article whose 15,000 paragraphs each open a quote that never
# closes: one quotation per paragraph, none past its paragraph, in linear
# time.
. "$(dirname "$0")/lib.sh"

CORPUS=$NKG_SHARED/corpora/bbc/news
run bbc "$NEWSKG" extract "$CORPUS" -o "$WORK/bbc.ttl"
check "extract exits 0 (got $RC) in ${SECS}s" [ "$RC" -eq 0 ]
printf '    %s\n' "$(tail -n 1 "$WORK/bbc.err")"
rapper -q -i turtle -o ntriples "$WORK/bbc.ttl" >"$WORK/bbc.nt" 2>"$WORK/rapper.err"
check "rapper reads the graph" [ $? -eq 0 ]
# Measured (docs/quotations.md): about 8,800 quotations, three in four with
# a speaker, few of them organizations.
"$PY" "$NKG_SRC/tests/integration/quote_checks.py" "$WORK/bbc.nt" "$CORPUS" \
  --min-quotes 7500 --min-speaker-share 0.70 --max-org-share 0.10 \
  >"$WORK/checks.log" 2>&1
status=$?
sed 's/^/    /' "$WORK/checks.log"
check "BBC quotations: spans, paragraphs, speakers, counts" [ "$status" -eq 0 ]

# Pathological input: unbalanced quotes in a 47 MB article.
mkdir -p "$WORK/big"
"$PY" - "$WORK/big/unbalanced.txt" <<'PY'
import sys
para = ('Maria Okafor said: "the council will not move on this. '
        + 'The members met again on a wet Friday and argued about the budget for hours. ' * 40)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for _ in range(15000):
        f.write(para + "\n")
PY
# Linear stages take about 15 s here; a stage that rescans the text per
# quote (or per anything) does not finish: it is stopped after 180 s.
run big timeout 180 "$NEWSKG" extract "$WORK/big/unbalanced.txt" -o "$WORK/big.ttl"
check "the 47 MB article: exit 0 (got $RC; 124: timed out) in ${SECS}s, under 120s" \
  [ "$RC" -eq 0 ] && awk -v s="$SECS" 'BEGIN { exit !(s < 120) }'
rapper -q -i turtle -o ntriples "$WORK/big.ttl" >"$WORK/big.nt" 2>/dev/null
"$PY" "$NKG_SRC/tests/integration/quote_checks.py" "$WORK/big.nt" "$WORK/big" \
  --expect-quotes 15000 --min-speaker-share 1.0 >"$WORK/big.log" 2>&1
status=$?
sed 's/^/    /' "$WORK/big.log"
check "one quotation per paragraph, none past it, each with its speaker" \
  [ "$status" -eq 0 ]
finish
