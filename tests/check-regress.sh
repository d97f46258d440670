#!/bin/sh
# tests/check-regress.sh - every input the fuzzer ever crashed on stays fixed.
#
#   tests/check-regress.sh [-v]
#
# Runs ./medexport over every file in tests/fuzz/regress/ through each format
# on its own (--txt, --txt --ascii --width 20, --xml, --pdf, --tree), all of
# them at once, and an XML --feed, each under `timeout`.  A run passes when medexport exits 0 or 1
# (converted, or refused with a message); a signal (status >= 128), a
# timeout (124), a usage error (2) or a sanitizer report fails it.  With a
# SANITIZE=1 build, sanitizer errors abort so that they cannot pass as exit
# status 1.  -v prints medexport's stderr for every run.

cd "$(dirname "$0")/.." || exit 2
ME=$PWD/medexport
LIMIT=${LIMIT:-30} # seconds for each run
VERBOSE=0
[ "${1:-}" = -v ] && VERBOSE=1

if [ ! -x "$ME" ]; then
	echo "FAIL: $ME not built (run make)" >&2
	exit 1
fi
set -- tests/fuzz/regress/*
if [ ! -e "$1" ]; then
	echo "check-regress: no inputs in tests/fuzz/regress/"
	exit 77
fi

ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}abort_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
ulimit -c 0 2>/dev/null

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-regress.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

pass=0 fail=0
for input in "$@"; do
	[ -f "$input" ] || continue
	for run in --txt "--txt --ascii --width 20" --xml --pdf --tree \
	    "--txt --xml --pdf --tree" feed; do
		rm -rf "$TMP/out" "$TMP/feed.xml"
		if [ "$run" = feed ]; then
			# shellcheck disable=SC2086
			timeout "$LIMIT" "$ME" -q --xml --feed "$TMP/feed.xml" \
				"$input" >"$TMP/stdout" 2>"$TMP/stderr"
		else
			# shellcheck disable=SC2086
			timeout "$LIMIT" "$ME" -q $run -o "$TMP/out" \
				"$input" >"$TMP/stdout" 2>"$TMP/stderr"
		fi
		rc=$?
		why=
		if [ "$rc" -eq 124 ]; then
			why="timed out after ${LIMIT}s"
		elif [ "$rc" -ge 128 ]; then
			why="killed by signal $((rc - 128))"
		elif [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
			why="exit status $rc"
		elif grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$TMP/stderr"; then
			why="sanitizer report"
		fi
		if [ -n "$why" ]; then
			echo "FAIL $input ($run): $why"
			sed 's/^/    /' "$TMP/stderr" | head -40
			fail=$((fail + 1))
		else
			[ "$VERBOSE" -eq 1 ] && sed "s|^|    |" "$TMP/stderr"
			pass=$((pass + 1))
		fi
	done
done
echo "check-regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
