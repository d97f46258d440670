#!/bin/sh
# tests/check-corpus-txt.sh - the plain-text backend loses no word.
#
# 1. content/ and tests/golden/ convert to text (and to --ascii text).
# 2. The whole corpus ($CORPUS, default ../shared/corpus/rxhive) converts with
#    `./medexport --txt -q -o OUT CORPUS`: exit 0, one .txt per .md with the
#    sub-folders mirrored and nothing else left in OUT, no line wider than 72
#    display columns unless it is one unbreakable word, and every word of each
#    source in its output (tests/txtwords.py).  Then again with --ascii: no
#    byte above 0x7F, and every pure-ASCII word kept.
# 3. The text backend's fast path for plain words breaks lines exactly where
#    libunibreak alone does (MEDEXPORT_FULL_UNIBREAK=1), at two widths.
# Exits 77 (skip) when the corpus is absent.

cd "$(dirname "$0")/.." || exit 2
CORPUS=${CORPUS:-../shared/corpus/rxhive}
ME=./medexport
PY=${PYTHON:-python3}
WIDTH=72

if [ ! -x "$ME" ]; then
	echo "FAIL: $ME not built (run make)" >&2
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-corpus-txt.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
status=0

fail() {
	echo "FAIL: $*" >&2
	status=1
}

# convert NAME SRC OUTDIR [medexport options]: convert SRC (a directory) into
# OUTDIR and check the exit status and the file list.
convert() {
	name=$1 src=$2 out=$3
	shift 3
	start=$(date +%s)
	"$ME" --txt -q "$@" -o "$out" "$src" 2>"$TMP/$name.err"
	rc=$?
	echo "$name: medexport exit $rc in $(($(date +%s) - start))s"
	if [ "$rc" -ne 0 ]; then
		fail "$name: medexport exited $rc (want 0); stderr:"
		head -20 "$TMP/$name.err" >&2
	fi
	# One .txt per .md, mirroring sub-folders, and nothing else.
	(cd "$src" && find . -name '*.md' -type f | sed 's/\.md$/.txt/' | LC_ALL=C sort) >"$TMP/$name.want"
	if [ -d "$out" ]; then
		(cd "$out" && find . ! -type d | LC_ALL=C sort) >"$TMP/$name.have"
	else
		: >"$TMP/$name.have"
	fi
	if ! cmp -s "$TMP/$name.want" "$TMP/$name.have"; then
		fail "$name: output files do not mirror the .md files (- missing, + unexpected):"
		diff "$TMP/$name.want" "$TMP/$name.have" | grep '^[<>]' | sed 's/^</-/; s/^>/+/' | head -20 >&2
	fi
}

words() {
	name=$1
	shift
	if ! "$PY" tests/txtwords.py -q --max-width "$WIDTH" "$@" >"$TMP/$name.words"; then
		fail "$name: tests/txtwords.py $* found problems:"
		head -40 "$TMP/$name.words" >&2
		echo "($(grep -c '' "$TMP/$name.words") lines in all)" >&2
	else
		echo "$name: no word lost, no line over $WIDTH columns"
	fi
}

# Our own documents first: they need no corpus.
mkdir -p "$TMP/own"
cp -R content "$TMP/own/content"
mkdir -p "$TMP/own/golden"
cp tests/golden/*.md "$TMP/own/golden/"
convert own "$TMP/own" "$TMP/own.out"
words own --dirs "$TMP/own" "$TMP/own.out"
convert own-ascii "$TMP/own" "$TMP/own-ascii.out" --ascii
words own-ascii --ascii --ascii-bytes --dirs "$TMP/own" "$TMP/own-ascii.out"

if [ ! -d "$CORPUS" ]; then
	echo "skip: corpus not found at $CORPUS"
	[ "$status" -ne 0 ] && exit "$status"
	exit 77
fi

convert corpus "$CORPUS" "$TMP/corpus.out"
words corpus --dirs "$CORPUS" "$TMP/corpus.out"
convert corpus-ascii "$CORPUS" "$TMP/corpus-ascii.out" --ascii
words corpus-ascii --ascii --ascii-bytes --dirs "$CORPUS" "$TMP/corpus-ascii.out"

# The text backend's fast path for plain words must break lines exactly
# where libunibreak would, at any width.
for w in 72 31; do
	"$ME" --txt -q --width $w -o "$TMP/fast$w" "$CORPUS" "$TMP/own" 2>/dev/null
	MEDEXPORT_FULL_UNIBREAK=1 "$ME" --txt -q --width $w -o "$TMP/full$w" \
		"$CORPUS" "$TMP/own" 2>/dev/null
	if diff -r "$TMP/fast$w" "$TMP/full$w" >"$TMP/fast.diff"; then
		echo "fast-path: same lines as libunibreak alone at width $w"
	else
		fail "fast-path: lines differ from libunibreak alone at width $w:"
		head -20 "$TMP/fast.diff" >&2
	fi
done

exit "$status"
