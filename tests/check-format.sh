#!/bin/sh
# The C sources follow the checked-in .clang-format, and build without a
# warning under -Wall -Wextra -Wpedantic (the Makefile's flags).
cd "$(dirname "$0")/.." || exit 2
command -v clang-format >/dev/null || { echo "skip: clang-format missing"; exit 77; }
fail=0
for f in $(find src -name '*.[ch]' | sort) tests/unit/*.c tests/unit/*.h tests/fuzz/*.c scripts/*.c examples/*.c; do
	[ -f "$f" ] || continue
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "FAIL $f is not formatted (clang-format -i $f)"
		fail=1
	fi
done
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
for f in $(find src -name '*.c' | sort); do
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
		-Wpedantic -fsyntax-only -DMX_DATADIR='"."' -Isrc \
		$(pkg-config --cflags libcmark libxml-2.0 yaml-0.1 libutf8proc fontconfig libunibreak) \
		"$f" 2>"$tmp/err"
	if [ -s "$tmp/err" ]; then
		echo "FAIL $f builds with warnings:"; head -5 "$tmp/err"
		fail=1
	fi
done
# The backend contract: the command names no backend (docs/design.md).
if grep -nE '"(txt|xml|json|pdf|tree)"' src/cli/*.c; then
	echo "FAIL src/cli/ names a backend: the front end reads the backend table"
	fail=1
fi
# No function longer than 150 lines (a function's body runs from a line
# that starts with its name to the next line that is a lone brace).
long=$(for f in $(find src -name '*.c' | sort); do
	awk -v F="$f" '/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; start = NR }
		/^}/ && start { if (NR - start > 150) print F ": " NR - start " lines: " name; start = 0 }' "$f"
done)
if [ -n "$long" ]; then
	echo "FAIL functions over 150 lines:"; echo "$long"
	fail=1
fi
[ $fail -eq 0 ] && echo "ok: formatted and warning-free"
exit $fail
