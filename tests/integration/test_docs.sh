#!/usr/bin/env bash
# The documentation keeps up with the tool: the man page renders without a
# warning and names every command and every option that `newskg --help` and
# `newskg COMMAND --help` list; the README names every command too, and the
# scripts its quick start runs exist.
. "$(dirname "$0")/lib.sh"

man=$NKG_SRC/docs/newskg.1
readme=$NKG_SRC/README.md
check "docs/newskg.1 exists" [ -f "$man" ]
warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
[ -n "$warnings" ] && printf '    %s\n' "$warnings" | head -n 10
check "the man page renders without warnings" [ -z "$warnings" ]
# plain text, wide lines, no hyphenation: every word whole
groff -man -Tascii -rHY=0 -rLL=250n -P-cbou "$man" >"$WORK/man.txt" 2>/dev/null

"$NEWSKG" --help >"$WORK/help.txt"
mapfile -t commands < <(sed -n '/^Commands:/,/^$/p' "$WORK/help.txt" |
  sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
check "--help lists commands (${commands[*]:-none})" [ "${#commands[@]}" -gt 0 ]
for c in "${commands[@]}"; do
  check "man page: command $c" grep -qE "newskg $c|^       $c " "$WORK/man.txt"
  check "README: command $c" grep -qE "newskg $c" "$readme"
  "$NEWSKG" "$c" --help >>"$WORK/help.txt" 2>&1
done
mapfile -t options < <(grep -oE -- '--[a-z][a-z-]+' "$WORK/help.txt" | sort -u)
check "--help lists options (${#options[@]})" [ "${#options[@]}" -gt 5 ]
for o in "${options[@]}"; do
  check "man page: option $o" grep -qF -- "$o" "$WORK/man.txt"
done

for f in scripts/quickstart.sh .ci/run scripts/install-deps.sh scripts/test.sh; do
  check "README: $f exists and is named" \
    bash -c "[ -f '$NKG_SRC/$f' ] && grep -qF '$f' '$readme'"
done

finish
