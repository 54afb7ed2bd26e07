#!/usr/bin/env bash
# Bad inputs: each is reported with its file and position, the other inputs
# still reach the output, the exit status says some failed, and no
# half-written output is ever left behind. Plus one very large article.
. "$(dirname "$0")/lib.sh"

D=$WORK/in
mkdir -p "$D"
cat >"$D/good_a.txt" <<'EOF'
Harbour workers in Gdansk ended a three-day strike on Thursday after the port
authority agreed to review night-shift pay, union leader Tomasz Wrobel said.
EOF
cat >"$D/good_b.txt" <<'EOF'
The mayor of Tartu, Kristjan Saar, opened a new river bridge on Friday and
said the city would repaint two older crossings before the summer festival.
EOF

# expect_input_failure CASE BAD_INPUT POSITION_PATTERN: the run over
# good_a, BAD_INPUT, good_b exits 1, names BAD_INPUT (and the position, an
# extended regex on the same line), keeps both good documents, and leaves a
# parsable output and no temporary file.
expect_input_failure() {
  local case=$1 bad=$2 pattern=$3 out=$WORK/$1.ttl
  run "$case" "$NEWSKG" extract "$D/good_a.txt" "$bad" "$D/good_b.txt" -o "$out"
  check "$case: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
  if ! grep -qE -- "$pattern" "$WORK/$case.err"; then
    sed 's/^/    stderr: /' "$WORK/$case.err"
  fi
  check "$case: message matches /$pattern/" grep -qE -- "$pattern" "$WORK/$case.err"
  check "$case: the other documents are in the output" \
    [ "$(doc_ids "$out" turtle | grep -c '^good_[ab]$')" -eq 2 ]
  check "$case: output parses" [ "$(rapper_count "$out" turtle)" -gt 0 ]
  check "$case: no temporary file left" no_tmp_left "$WORK"
}

# 1. a missing file
expect_input_failure missing "$D/missing.txt" \
  "^newskg: [^ ]*/in/missing\.txt: .*No such file"

# 2. invalid UTF-8: a lone continuation byte after 30 good bytes
printf 'Prices rose in S\xc3\xa3o Paulo and \x80 fell elsewhere.\n' >"$D/latin1.txt"
expect_input_failure invalid_utf8 "$D/latin1.txt" \
  "^newskg: [^ ]*/in/latin1\.txt: invalid UTF-8: at byte 30$"

# 3. a NUL byte at byte 12
printf 'Ministers me\0t in Riga on Monday.\n' >"$D/nul.txt"
expect_input_failure nul_byte "$D/nul.txt" \
  "^newskg: [^ ]*/in/nul\.txt: binary data.*: at byte 12$"

# 4. an empty file
: >"$D/empty.txt"
expect_input_failure empty "$D/empty.txt" "^newskg: [^ ]*/in/empty\.txt: empty"

# 5. a binary file: a PNG header and 4 KB of noise
{ printf '\211PNG\r\n\032\n'; head -c 4096 /dev/urandom; } >"$D/photo.png"
expect_input_failure binary "$D/photo.png" \
  "^newskg: [^ ]*/in/photo\.png: .*at byte 0$"

# 6. a broken JSON line between two good ones: line 2, column 39
cat >"$D/wire.jsonl" <<'EOF'
{"id": "j1", "text": "Chancellor Olaf Brandt arrived in Vienna for talks.", "date": "2024-05-02"}
{"id": "j2", "text": "Talks resumed." "date": "2024-01-01"}
{"id": "j3", "text": "The ferry to Visby was cancelled because of high winds."}
{"id": "j4", "text": "Wrong date.", "date": "2024-13-45"}
EOF
run jsonl "$NEWSKG" extract "$D/good_a.txt" "$D/wire.jsonl" -o "$WORK/jsonl.ttl"
check "jsonl: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
check "jsonl: the broken record is named by line and column" \
  grep -qE "^newskg: [^ ]*/wire\.jsonl:2:39: .*JSON" "$WORK/jsonl.err"
check "jsonl: the bad date is named by line" \
  grep -qE "^newskg: [^ ]*/wire\.jsonl:4: .*2024-13-45" "$WORK/jsonl.err"
check "jsonl: the good records and the other input are in the output" \
  [ "$(doc_ids "$WORK/jsonl.ttl" turtle | tr '\n' ' ')" = "good_a j1 j3 " ]
if [ "$RC" -ne 1 ]; then sed 's/^/    stderr: /' "$WORK/jsonl.err"; fi

# 7. the output path cannot be created: fatal, nothing written
run no_dir "$NEWSKG" extract "$D/good_a.txt" -o "$WORK/no/such/dir/out.ttl"
check "unwritable output: exit status 3 (got $RC)" [ "$RC" -eq 3 ]
check "unwritable output: the message names the path" \
  grep -q "no/such/dir/out.ttl" "$WORK/no_dir.err"

# 8. the output is a directory: the rename fails, the temporary file goes
mkdir "$WORK/outdir"
run to_dir "$NEWSKG" extract "$D/good_a.txt" -o "$WORK/outdir"
check "output onto a directory: exit status 3 (got $RC)" [ "$RC" -eq 3 ]
check "output onto a directory: named in the message" grep -q "outdir" "$WORK/to_dir.err"
check "output onto a directory: no temporary file left" no_tmp_left "$WORK"
check "output onto a directory: the directory is untouched" \
  [ -d "$WORK/outdir" -a -z "$(ls -A "$WORK/outdir")" ]

# 9. a fatal run leaves a previous output file as it was
printf 'previous graph\n' >"$WORK/keep.ttl"
run fatal "$NEWSKG" extract "$D/good_a.txt" --data "$WORK/no-data" -o "$WORK/keep.ttl"
check "missing data folder: exit status 3 (got $RC)" [ "$RC" -eq 3 ]
check "missing data folder: the previous output is untouched" \
  [ "$(cat "$WORK/keep.ttl")" = "previous graph" ]
check "missing data folder: no temporary file left" no_tmp_left "$WORK"

# 9b. a data file missing from each part of the lexicon (the names, the
# lists, the event tables; loaded on two threads where there are two
# processors, on one here if taskset can pin it): that file is named
for missing in places.tsv stopwords.tsv event_roles.tsv; do
  rm -rf "$WORK/part-data"
  cp -r "$NEWSKG_DATA" "$WORK/part-data"
  rm "$WORK/part-data/$missing"
  pins=("")
  command -v taskset >/dev/null && pins+=("taskset -c $(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')")
  for pin in "${pins[@]}"; do
    run "no-$missing" $pin "$NEWSKG" extract "$D/good_a.txt" --data "$WORK/part-data" -f none
    check "data without $missing${pin:+ ($pin)}: exit status 3 (got $RC)" [ "$RC" -eq 3 ]
    check "data without $missing${pin:+ ($pin)}: the file is named" \
      grep -q "part-data/$missing" "$WORK/no-$missing.err"
  done
done

# 10. a successful run replaces it atomically, as an ordinary file
(umask 022 && "$NEWSKG" extract -q "$D/good_a.txt" -o "$WORK/keep.ttl")
check "a good run replaces the output" has "good_a" "$WORK/keep.ttl"
check "the output file gets the umask's mode (0644)" \
  [ "$(stat -c %a "$WORK/keep.ttl")" = 644 ]

# 10b. an output that is no regular file is written in place, never
# replaced: a named pipe stays a pipe (and /dev/null a device); a link to a
# file stays a link, and the file it names gets the graph
mkfifo "$WORK/pipe"
cat "$WORK/pipe" >"$WORK/from_pipe" &
reader=$!
"$NEWSKG" extract -q -f ntriples "$D/good_a.txt" -o "$WORK/pipe"
RC=$?
wait $reader
check "output to a named pipe: exit status 0 (got $RC)" [ "$RC" -eq 0 ]
check "output to a named pipe: the pipe is still a pipe" [ -p "$WORK/pipe" ]
check "output to a named pipe: the graph came through it" \
  has "good_a" "$WORK/from_pipe"
"$NEWSKG" extract -q -f ntriples "$D/good_a.txt" -o /dev/null
check "output to /dev/null: still a character device" [ -c /dev/null ]
echo "old" >"$WORK/real.nt"
ln -s real.nt "$WORK/link.nt"
"$NEWSKG" extract -q -f ntriples "$D/good_a.txt" -o "$WORK/link.nt"
check "output to a link: still a link" [ -L "$WORK/link.nt" ]
check "output to a link: the file it names has the graph" \
  has "good_a" "$WORK/real.nt"

# 11. standard output that cannot be written: fatal and said so
"$NEWSKG" extract "$D/good_a.txt" >/dev/full 2>"$WORK/full.err"
RC=$?
check "full standard output: exit status 3 (got $RC)" [ "$RC" -eq 3 ]
check "full standard output: said so" grep -q "standard output" "$WORK/full.err"
# the same when a thread of its own writes the lines (--jobs 2)
"$NEWSKG" extract -j 2 -f ntriples "$D/good_a.txt" "$D/good_b.txt" \
  >/dev/full 2>"$WORK/full2.err"
RC=$?
check "full standard output, two jobs: exit status 3 (got $RC)" [ "$RC" -eq 3 ]
check "full standard output, two jobs: said so" \
  grep -q "standard output" "$WORK/full2.err"
# ... with many articles in flight when the write fails: the workers are
# stopped before the process frees what they read (it crashed)
"$PY" - "$D/good_a.txt" >"$WORK/many.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
for i in range(150):
    print(json.dumps({"id": f"many-{i}", "text": text}))
PY
for jobs in 2 3 8; do
  for run in 1 2 3; do
    "$NEWSKG" extract -j "$jobs" -f ntriples "$WORK/many.jsonl" >/dev/full \
      2>"$WORK/full3.err"
    RC=$?
    check "full standard output, $jobs jobs, 150 articles (run $run): exit 3 (got $RC)" \
      [ "$RC" -eq 3 ]
  done
done
# the failure is the output's, said once, with the system's reason (not
# as an error of the article being added when it happened)
for jobs in 1 2; do
  for fmt in ntriples turtle; do
    LC_ALL=C "$NEWSKG" extract -q -j "$jobs" -f "$fmt" "$WORK/many.jsonl" \
      >/dev/full 2>"$WORK/full4.err"
    RC=$?
    check "full standard output, $fmt, $jobs jobs: exit 3 (got $RC)" [ "$RC" -eq 3 ]
    check "full standard output, $fmt, $jobs jobs: one line, with the reason" \
      [ "$(cat "$WORK/full4.err")" = \
        "newskg: standard output: write failed: No space left on device" ]
    LC_ALL=C "$NEWSKG" extract -q -j "$jobs" -f "$fmt" "$WORK/many.jsonl" \
      -o /dev/full 2>"$WORK/full5.err"
    RC=$?
    check "output /dev/full, $fmt, $jobs jobs: exit 3 (got $RC)" [ "$RC" -eq 3 ]
    check "output /dev/full, $fmt, $jobs jobs: one line, with the reason" \
      [ "$(cat "$WORK/full5.err")" = \
        "newskg: /dev/full: write failed: No space left on device" ]
  done
done

# 12. one very large article (default 50 MB): completes, parses, and the
# time grows linearly (a tenth of it is timed first).
big_mb=${NKG_BIG_MB:-50}
paragraph='Officials in Valletta said on Tuesday that the harbour project, led by
engineer Miriam Camilleri of the Maltese Ports Authority, would add two deep-water
berths by next spring. Critics on Gozo argued that the cost had doubled since the
first plans were drawn up, and asked the government to publish the contracts. "We
have nothing to hide," Ms Camilleri told reporters at the quay. Café owners along
the waterfront welcomed the work but feared months of noise and dust.'
make_big() { # make_big FILE MEGABYTES
  "$PY" - "$1" "$2" "$paragraph" <<'PY'
import sys
path, mb, para = sys.argv[1], int(sys.argv[2]), sys.argv[3] + "\n\n"
block = para.encode() * 64
with open(path, "wb") as f:
    f.write(b"Harbour expansion in Malta\n\n")
    written = 0
    while written < mb * 1000 * 1000:
        f.write(block)
        written += len(block)
PY
}
small_mb=$(( big_mb / 10 > 0 ? big_mb / 10 : 1 ))
make_big "$D/tenth.txt" "$small_mb"
make_big "$D/large.txt" "$big_mb"
# CPU time, not wall time: other jobs on the machine do not count.
run tenth "$NEWSKG" extract "$D/tenth.txt" -o "$WORK/tenth.ttl"
t_small=$CPU
check "a ${small_mb} MB article: exit 0 (got $RC) in ${t_small}s CPU, ${SECS}s" [ "$RC" -eq 0 ]
run large "$NEWSKG" extract "$D/large.txt" "$D/good_a.txt" -o "$WORK/large.ttl"
t_big=$CPU
check "a ${big_mb} MB article: exit 0 (got $RC) in ${t_big}s CPU, ${SECS}s" [ "$RC" -eq 0 ]
if [ "$RC" -ne 0 ]; then sed 's/^/    stderr: /' "$WORK/large.err" | head -n 5; fi
big_triples=$(rapper_count "$WORK/large.ttl" turtle)
check "a ${big_mb} MB article: output parses (${big_triples:-0} triples)" \
  [ "${big_triples:-0}" -gt 0 ]
check "a ${big_mb} MB article: both documents in the output" \
  [ "$(doc_ids "$WORK/large.ttl" turtle | tr '\n' ' ')" = "good_a large " ]
# Ten times the text may take at most 20 times as long (plus 5 s of
# start-up and noise); a quadratic step would take about 100 times.
check "linear time: ${big_mb} MB in ${t_big}s vs ${small_mb} MB in ${t_small}s (CPU)" \
  awk -v b="$t_big" -v s="$t_small" -v r=$((big_mb / small_mb)) \
  'BEGIN { exit !(b <= 2 * r * s + 5) }'
limit=${NKG_BIG_SECONDS:-600}
check "a ${big_mb} MB article within ${limit}s of CPU" \
  awk -v b="$t_big" -v l="$limit" 'BEGIN { exit !(b <= l) }'
rm -f "$D/large.txt" "$D/tenth.txt" "$WORK/large.ttl" "$WORK/tenth.ttl"

finish
