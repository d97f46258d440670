#!/bin/sh
# Batch behaviour: -j N gives the same bytes as -j 1, --shard I/N splits the
# inputs into disjoint parts that together are all of them, --update skips
# what is up to date, and a bad input is counted without stopping the rest.
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "$*"; }
bad() { echo "FAIL $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

# Inputs: content/, the goldens, and a sample of the corpus when present.
mkdir -p "$tmp/in/content" "$tmp/in/golden"
cp content/*.md "$tmp/in/content/"
cp tests/golden/*.md "$tmp/in/golden/"
if [ -d "$CORPUS" ]; then
	mkdir -p "$tmp/in/corpus"
	ls "$CORPUS"/*/*.md | awk 'NR % 50 == 1' | while read -r f; do
		cp "$f" "$tmp/in/corpus/"
	done
fi
n=$(find "$tmp/in" -name '*.md' | wc -l)

# -j 1 and -j 2 (and -j 7, more workers than cores) give identical outputs.
for j in 1 2 7; do
	./medexport -q -j $j --txt --xml --pdf -o "$tmp/j$j" "$tmp/in" ||
		bad "-j $j exited $?"
done
diff -r "$tmp/j1" "$tmp/j2" >/dev/null || bad "-j 2 differs from -j 1"
diff -r "$tmp/j1" "$tmp/j7" >/dev/null || bad "-j 7 differs from -j 1"
got=$(find "$tmp/j1" -type f | wc -l)
[ "$got" -eq $((n * 3)) ] || bad "-j 1 wrote $got files for $n inputs x 3 formats"
say "ok: -j 1, 2, 7 identical over $n inputs"

# Shards: disjoint, complete, deterministic.
for i in 0 1 2; do
	./medexport -q --txt --shard $i/3 -o "$tmp/s$i" "$tmp/in" || bad "--shard $i/3"
	(cd "$tmp/s$i" 2>/dev/null && find . -type f | sort) >"$tmp/list$i"
done
cat "$tmp/list0" "$tmp/list1" "$tmp/list2" | sort >"$tmp/all-shards"
(cd "$tmp/j1" && find . -name '*.txt' | sort) >"$tmp/all"
cmp -s "$tmp/all" "$tmp/all-shards" || bad "shards do not add up to all inputs"
[ "$(sort "$tmp/all-shards" | uniq -d | wc -l)" -eq 0 ] || bad "shards overlap"
for i in 0 1 2; do
	[ -s "$tmp/list$i" ] || bad "shard $i/3 is empty"
done
./medexport -q --txt --shard 1/3 -o "$tmp/s1again" "$tmp/in"
diff -r "$tmp/s1" "$tmp/s1again" >/dev/null || bad "--shard is not deterministic"
for badshard in 3/3 -1/3 1/0 x; do
	./medexport -q --txt --shard "$badshard" "$tmp/in" 2>/dev/null
	[ $? -eq 2 ] || bad "--shard $badshard is not a usage error"
done
say "ok: --shard 0/3 1/3 2/3 are disjoint and complete"

# --update: nothing is rewritten when up to date; a touched input is.
./medexport -q --txt -o "$tmp/u" "$tmp/in/content"
sleep 1
./medexport --txt --update -o "$tmp/u" "$tmp/in/content" 2>"$tmp/err"
grep -q "0 converted, 6 up to date" "$tmp/err" ||
	bad "--update rewrote up-to-date outputs: $(cat "$tmp/err")"
touch "$tmp/in/content/paracetamol.md"
./medexport --txt --update -o "$tmp/u" "$tmp/in/content" 2>"$tmp/err"
grep -q "1 converted, 5 up to date" "$tmp/err" ||
	bad "--update missed a newer input: $(cat "$tmp/err")"
say "ok: --update"

# One bad input is reported and counted; the others are still written.
mkdir -p "$tmp/mixed"
cp content/paracetamol.md content/salbutamol.md "$tmp/mixed/"
printf '\000\001binary' >"$tmp/mixed/broken.md"
./medexport --txt -o "$tmp/mixed-out" "$tmp/mixed" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || bad "a bad input in a batch gave exit $rc, want 1"
grep -q "broken.md:1: error: NUL byte" "$tmp/err" || bad "no message naming broken.md"
grep -q "2 converted, 1 failed" "$tmp/err" || bad "no summary: $(cat "$tmp/err")"
[ -f "$tmp/mixed-out/paracetamol.txt" ] && [ -f "$tmp/mixed-out/salbutamol.txt" ] ||
	bad "good inputs of a failing batch were not written"
[ ! -e "$tmp/mixed-out/broken.txt" ] || bad "a failed input left an output"
say "ok: a bad input fails alone"

# Usage errors that protect outputs: several XML or PDF documents into one
# stream, two inputs writing the same file, a style that does not exist.
./medexport --xml -o - content/paracetamol.md content/salbutamol.md \
	>"$tmp/two.xml" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--feed" "$tmp/err" ||
	bad "-o - with two XML documents is not refused: $(cat "$tmp/err")"
[ -s "$tmp/two.xml" ] && bad "-o - wrote XML before refusing"
mkdir -p "$tmp/dup/a" "$tmp/dup/b"
cp content/paracetamol.md "$tmp/dup/a/" && cp content/paracetamol.md "$tmp/dup/b/"
./medexport --txt -o "$tmp/dup-out" "$tmp/dup/a/paracetamol.md" \
	"$tmp/dup/b/paracetamol.md" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "two inputs would write" "$tmp/err" ||
	bad "two inputs for one output are not refused: $(cat "$tmp/err")"
[ -e "$tmp/dup-out" ] && bad "outputs were written before refusing"
./medexport --pdf --style no-such-style content/paracetamol.md 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "leaflet-a4" "$tmp/err" ||
	bad "an unknown style is not a usage error listing the styles"
./medexport --txt -o - content/paracetamol.md content/salbutamol.md >"$tmp/two.txt"
{ ./medexport --txt -o - content/paracetamol.md; echo; \
  ./medexport --txt -o - content/salbutamol.md; } >"$tmp/two-expected.txt"
cmp -s "$tmp/two.txt" "$tmp/two-expected.txt" ||
	bad "text documents on one stream are not set apart by a blank line"
say "ok: usage errors protect outputs"

# Two folders holding files of one name give two monographs of one id:
# never renumbered, the feed is refused (exit 1) naming both files, and
# nothing is written, not even the run's other outputs.
./medexport -q --xml --txt -o "$tmp/dup-txt" --feed "$tmp/dup.xml" "$tmp/dup" 2>"$tmp/err"
[ $? -eq 1 ] || bad "two monographs of one id in a feed: not exit 1"
grep -q "dup/b/paracetamol.md: error: the id 'paracetamol' is also that of $tmp/dup/a/paracetamol.md" "$tmp/err" ||
	bad "the duplicate id does not name both files: $(cat "$tmp/err")"
[ -e "$tmp/dup.xml" ] && bad "a feed with a duplicate id was written"
[ -e "$tmp/dup-txt" ] && bad "outputs were written beside a refused feed"
./medexport -q --json --feed - "$tmp/dup" >"$tmp/dup.out" 2>/dev/null
[ $? -eq 1 ] && [ ! -s "$tmp/dup.out" ] || bad "--feed - with a duplicate id wrote to standard output"
# An id in the front matter sets two files apart; and a file's id never
# depends on the others: adding 0/x.md leaves a/x's id alone.
mkdir -p "$tmp/ids/a" "$tmp/ids/0"
cp content/paracetamol.md "$tmp/ids/a/x.md"
./medexport -q --xml --feed "$tmp/ids1.xml" "$tmp/ids" || bad "--feed over ids/"
sed '1a id: x-zero' content/paracetamol.md >"$tmp/ids/0/x.md"
./medexport -q --xml --feed "$tmp/ids2.xml" "$tmp/ids" || bad "--feed over ids/ with 0/x.md"
ids=$(grep -o '<monograph [^>]*id="[^"]*" source="[^"]*"' "$tmp/ids2.xml" | sed 's/.*id="\([^"]*\)" source="\([^"]*\)"/\1=\2/' | tr '\n' ' ')
[ "$ids" = "x-zero=0/x.md x=a/x.md " ] || bad "ids changed with the files beside them: $ids"
grep -q 'id="x" source="a/x.md"' "$tmp/ids1.xml" || bad "a/x.md's id is not x"
say "ok: ids are stable, and a feed refuses one id twice"

# No progress bar when standard error is not a terminal.
grep -q "$(printf '\r')" "$tmp/err" && bad "progress bar written to a file"
exit $fail
