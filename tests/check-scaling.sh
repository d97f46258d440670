#!/bin/sh
# tests/check-scaling.sh - time and memory grow linearly with the input.
#
# For each shape of input that once made medexport quadratic (a paragraph
# of soft line breaks, one huge paragraph of words, one unbreakable word, a
# long code line, many sections, many list items, many files of one name
# in a feed), the input is made at size S and 2S; each format converts
# both (best CPU time of three runs, peak memory), and the larger must take
# at most SCALE_MAX (2.8) times the time and memory of the smaller, where
# linear is 2.  Quadratic growth gives 4.  Sizes are chosen so that a run
# takes long enough to time (tenths of a second), and stay far under the
# 64 MiB input limit.
#
#   tests/check-scaling.sh [-v] [PATTERN]
cd "$(dirname "$0")/.." || exit 2
ME=${MEDEXPORT:-$PWD/medexport}
PY=${PYTHON:-python3}
MAX=${SCALE_MAX:-2.8}
VERBOSE=0
[ "${1:-}" = -v ] && { VERBOSE=1; shift; }
ONLY=${1:-}
if [ "${MX_CHECK_ALL:-1}" = 0 ]; then
	echo "skip: the scaling test runs in make check-all"
	exit 77
fi
command -v /usr/bin/time >/dev/null || { echo "skip: GNU time missing"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-scaling.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
fail=0 n=0

# make SHAPE N FILE: an input of shape SHAPE and about N units.
make_input() {
	"$PY" - "$@" <<'EOF'
import sys
shape, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = "---\ntitle: Scaling\n---\n\n# Scaling\n\n### Usage\n\n"
if shape == "soft-breaks":      # a table-like paragraph: one soft break a row
    body = "".join("| %d | dose %d mg | twice daily |\n" % (i, i) for i in range(n))
elif shape == "one-paragraph":  # one paragraph of words
    body = "take the tablet with water " * n + "\n"
elif shape == "long-word":      # one unbreakable run
    body = "x" * (n * 25) + "\n"
elif shape == "code-line":      # one long line of code
    body = "```\n" + "a\tb = c(d); " * (n * 2) + "\n```\n"
elif shape == "sections":       # many headings, each with a line
    body = "".join("### Section %d\n\nText of section %d.\n\n" % (i, i) for i in range(n // 4))
elif shape == "list-items":
    body = "".join("* **Label %d:** item %d\n" % (i, i) for i in range(n // 2))
else:
    raise SystemExit("unknown shape " + shape)
open(path, "w", encoding="utf-8").write(head + body)
EOF
}

# measure ARGS...: best user+sys seconds of three runs, and peak KiB.
measure() {
	best= mem=
	for _ in 1 2 3; do
		timeout -k 5 ${SCALE_TIMEOUT:-60} /usr/bin/time -f '%U %S %M' -o "$TMP/t" "$ME" -q "$@" >/dev/null 2>"$TMP/err" ||
			{ echo "FAIL medexport $*: exit $?: $(head -c 200 "$TMP/err")" >&2; return 1; }
		read -r u s m <"$TMP/t"
		t=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
		if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
		if [ -z "$mem" ] || [ "$m" -lt "$mem" ]; then mem=$m; fi
	done
	echo "$best $mem"
}

# ratio A B: B / A, with a floor on A so that tiny times do not blow up.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / (a + 0.02) }'
}

# over X: X is above the limit.
over() {
	awk -v x="$1" -v m="$MAX" 'BEGIN { exit !(x > m) }'
}

check() {
	shape=$1 size=$2 format=$3
	case "$shape $format" in *"$ONLY"*) ;; *) return 0 ;; esac
	n=$((n + 1))
	make_input "$shape" "$size" "$TMP/small.md"
	make_input "$shape" $((size * 2)) "$TMP/large.md"
	a=$(measure "--$format" -o "$TMP/out-s" "$TMP/small.md") || { fail=1; return; }
	b=$(measure "--$format" -o "$TMP/out-l" "$TMP/large.md") || { fail=1; return; }
	set -- $a $b
	rt=$(ratio "$1" "$3")
	# Memory: the process's own baseline (libraries, fonts) does not
	# double; compare what grows.
	rm=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", b / a }')
	line="$shape ($(wc -c <"$TMP/small.md") / $(wc -c <"$TMP/large.md") bytes) --$format: time ${1}s -> ${3}s (x$rt), memory ${2} -> ${4} KiB (x$rm)"
	if over "$rt" || over "$rm"; then
		echo "FAIL $line"
		fail=1
	elif [ "$VERBOSE" = 1 ]; then
		echo "ok   $line"
	fi
}

for format in txt xml pdf; do
	check soft-breaks 40000 $format
	check one-paragraph 60000 $format
	check long-word 40000 $format
	check code-line 20000 $format
	check sections 40000 $format
	# A tagged PDF takes a list of up to about 20,000 items (libharu's
	# arrays stop at 8191 entries; README, limits): the PDF's list is
	# measured at 10,000 and 20,000.
	if [ "$format" = pdf ]; then
		check list-items 10000 $format
	else
		check list-items 40000 $format
	fi
done

# Ids in a feed: many files (each id is checked against the others before
# anything is written), and many files of one name, which the feed refuses
# (exit 1) after reading them all once.
if [ -z "$ONLY" ] || [ "$ONLY" = feed ]; then
	for k in 2000 4000; do
		mkdir -p "$TMP/feed$k" "$TMP/same$k"
		i=0
		while [ $i -lt $k ]; do
			mkdir -p "$TMP/same$k/d$i"
			printf '# M\n\n### Usage\n\nText.\n' >"$TMP/feed$k/m$i.md"
			printf '# M\n\n### Usage\n\nText.\n' >"$TMP/same$k/d$i/monograph.md"
			i=$((i + 1))
		done
	done
	a=$(measure --xml --no-validate --feed "$TMP/f1.xml" "$TMP/feed2000") &&
		b=$(measure --xml --no-validate --feed "$TMP/f2.xml" "$TMP/feed4000") || fail=1
	set -- $a $b
	rt=$(ratio "$1" "$3")
	n=$((n + 1))
	line="feed of 2000 / 4000 files: time ${1}s -> ${3}s (x$rt)"
	if over "$rt"; then
		echo "FAIL $line"
		fail=1
	elif [ "$VERBOSE" = 1 ]; then
		echo "ok   $line"
	fi
	for k in 2000 4000; do
		/usr/bin/time -f '%U %S' -o "$TMP/t$k" "$ME" -q --xml --feed "$TMP/s$k.xml" \
			"$TMP/same$k" >/dev/null 2>"$TMP/err"
		rc=$?
		if [ "$rc" -ne 1 ] || [ -e "$TMP/s$k.xml" ]; then
			echo "FAIL a feed of $k files named monograph.md: exit $rc, or written"
			fail=1
		fi
	done
	# time(1) says first that the command failed.
	rt=$(ratio "$(tail -1 "$TMP/t2000" | awk '{ print $1 + $2 }')" \
		"$(tail -1 "$TMP/t4000" | awk '{ print $1 + $2 }')")
	n=$((n + 1))
	line="refused feed of 2000 / 4000 files named monograph.md: x$rt"
	if over "$rt"; then
		echo "FAIL $line"
		fail=1
	elif [ "$VERBOSE" = 1 ]; then
		echo "ok   $line"
	fi
fi
echo "check-scaling: $n shapes x formats, largest/smallest within x$MAX: $([ $fail = 0 ] && echo all || echo NOT all)"
exit $fail
