#!/bin/bash
# tests/check-bad-input.sh - bad input gets a clear error and nothing written,
# never a crash.  The cases and their expected outcomes are listed in
# tests/bad/README.  Inputs are generated in a temporary directory (the small
# front-matter cases are copied from tests/bad/).
#
#   tests/check-bad-input.sh [-v] [PATTERN]
#
# -v prints medexport's stderr for every case; PATTERN runs only the cases
# whose name contains it.  Exits 1 when any case failed.

cd "$(dirname "$0")/.." || exit 2
TOP=$PWD
ME=${MEDEXPORT:-$TOP/medexport}
PY=${PYTHON:-python3}
LIMIT=20 # seconds for each run
VERBOSE=0
if [ "${1:-}" = -v ]; then
	VERBOSE=1
	shift
fi
ONLY=${1:-}

if [ ! -x "$ME" ]; then
	echo "FAIL: $ME not built (run make)" >&2
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-bad-input.XXXXXX") || exit 1
cleanup() {
	chmod -R u+rwx "$TMP" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Root reads and writes anything: the permission cases then run medexport
# as the user nobody (setpriv), or are skipped when that is not possible.
ROOT=0
AS=
[ "$(id -u)" -eq 0 ] && ROOT=1
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$ROOT" = 1 ] && command -v setpriv >/dev/null 2>&1 &&
	$NOBODY test -x "$ME" 2>/dev/null; then
	chmod 755 "$TMP"
	CAN_DROP=1
else
	CAN_DROP=0
fi
SENTINEL='output of an earlier run'

npass=0 nfail=0 nskip=0 failed=()
CASE= C= cfail=0 SEEDED=() RC=0 STDIN=/dev/null STDOUT=

# begin NAME: starts a case in a fresh directory $C with in/ and out/.
# Returns 1 when the case is filtered out by PATTERN.
begin() {
	CASE=$1
	if [ -n "$ONLY" ] && [[ $CASE != *"$ONLY"* ]]; then
		return 1
	fi
	C=$TMP/$CASE
	mkdir -p "$C/in" "$C/out"
	cfail=0
	SEEDED=()
	STDIN=/dev/null
	STDOUT=
	AS=
	return 0
}

bad() {
	echo "    $CASE: $*"
	cfail=1
}

skip() {
	echo "  skip $1: $2"
	nskip=$((nskip + 1))
}

# run EXPECTED ARGS...: runs medexport in $C with a time limit.  EXPECTED is
# an exit status or several separated by '|'.
run() {
	local expected=$1 start end
	shift
	start=$(date +%s%N)
	(cd "$C" && exec $AS timeout -k 5 "$LIMIT" "$ME" "$@" <"$STDIN" >"${STDOUT:-$C/stdout}" 2>"$C/stderr")
	RC=$?
	end=$(date +%s%N)
	ELAPSED=$(((end - start) / 1000000))
	if [ "$VERBOSE" = 1 ]; then
		echo "    [$CASE] medexport $* -> exit $RC in ${ELAPSED}ms"
		sed 's/^/      | /' "$C/stderr" | head -10
	fi
	if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
		bad "medexport $* did not finish within ${LIMIT}s"
	elif [ "$RC" -ge 128 ]; then
		bad "medexport $* was killed by signal $((RC - 128)) (crash)"
	elif [[ "|$expected|" != *"|$RC|"* ]]; then
		bad "medexport $* exited $RC, want $expected; stderr: $(head -c 300 "$C/stderr" | tr '\n' ' ')"
	fi
	if grep -qiE 'AddressSanitizer|runtime error:|LeakSanitizer' "$C/stderr"; then
		bad "sanitizer report: $(grep -m1 -iE 'AddressSanitizer|runtime error:|LeakSanitizer' "$C/stderr")"
	fi
}

# stderr_has ERE DESCRIPTION: medexport's stderr matches ERE.
stderr_has() {
	if ! grep -qE -- "$1" "$C/stderr"; then
		bad "stderr does not name $2 (want /$1/): $(head -c 300 "$C/stderr" | tr '\n' ' ')"
	fi
}

stderr_nonempty() {
	[ -s "$C/stderr" ] || bad "no message on stderr"
}

# seed FILE: an output left by an earlier run.
seed() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$SENTINEL" >"$1"
	SEEDED+=("$1")
}

# exists FILE: an output that must have been written (and be non-empty).
exists() {
	[ -s "$1" ] || bad "expected output ${1#"$C"/} is missing or empty"
}

# absent FILE: nothing may be written there.
absent() {
	[ -e "$1" ] && bad "unexpected output ${1#"$C"/}"
}

# parses: every output the case wrote (below $C, not its inputs), and what
# it wrote to standard output, parses with a real parser
# (tests/outputcheck.py: expat for XML, json for JSON and JSON Lines,
# strict UTF-8 for text, qpdf for PDF).
parses() {
	local files
	files=$(find "$C" -path "$C/in" -prune -o -type f \( -name '*.xml' -o -name '*.json' \
		-o -name '*.jsonl' -o -name '*.txt' -o -name '*.tree' -o -name '*.pdf' \) -print 2>/dev/null |
		grep -v "^$C/ref/")
	# Earlier outputs (seed) are not medexport's.
	for f in "${SEEDED[@]}"; do
		files=$(echo "$files" | grep -vxF "$f")
	done
	if [ -n "$files" ]; then
		# shellcheck disable=SC2086
		echo "$files" | tr '\n' '\0' | xargs -0 "$PY" "$TOP/tests/outputcheck.py" -q >"$C/parsed" 2>&1 ||
			bad "an output does not parse: $(head -3 "$C/parsed" | tr '\n' ' ')"
	fi
	if [ -s "$C/stdout" ]; then
		"$PY" "$TOP/tests/outputcheck.py" -q --sniff "$C/stdout" >"$C/parsed" 2>&1 ||
			bad "standard output does not parse: $(head -3 "$C/parsed" | tr '\n' ' ')"
	fi
}

# end: the checks common to every case, then PASS/FAIL.
end() {
	local f leftovers
	parses
	for f in "${SEEDED[@]}"; do
		if [ ! -f "$f" ] || [ "$(cat "$f")" != "$SENTINEL" ]; then
			bad "the earlier output ${f#"$C"/} was changed or removed"
		fi
	done
	leftovers=$(find "$C" \( -name '*.tmp' -o -name '.*.??????' \) -print 2>/dev/null | head -5)
	[ -n "$leftovers" ] && bad "temporary files left: $(echo "$leftovers" | sed "s|$C/||" | tr '\n' ' ')"
	if [ "$cfail" = 0 ]; then
		echo "  ok   $CASE"
		npass=$((npass + 1))
	else
		echo "  FAIL $CASE"
		nfail=$((nfail + 1))
		failed+=("$CASE")
	fi
}

GOOD='---
layout: minimal-medicine
title: Good
---

# Good

### Usage
A good monograph that converts.
'

# fails_simply NAME FILE-CONTENT-COMMAND EXTRA-STDERR-ERE: one failing input
# in/NAME.md with an earlier out/NAME.txt, converted alone and beside a good
# file (which must still be written).
fails_simply() {
	local name=$1 make=$2 ere=${3:-}
	begin "$name" || return 0
	(cd "$C/in" && eval "$make") || {
		bad "could not generate the input"
		end
		return
	}
	seed "$C/out/$name.txt"
	run 1 --txt -o out "in/$name.md"
	stderr_has "$name\.md" "the file"
	[ -n "$ere" ] && stderr_has "$ere" "the position"
	# The same input beside a good one: the good one is still written.
	printf '%s' "$GOOD" >"$C/in/good.md"
	run 1 --txt -o out "in/$name.md" in/good.md
	exists "$C/out/good.txt"
	stderr_has "$name\.md" "the file"
	# And as part of a directory.
	seed "$C/dirout/$name.txt"
	run 1 --txt -o dirout in
	exists "$C/dirout/good.txt"
	stderr_has "$name\.md" "the file"
	end
}

# ---------------------------------------------------------------------
# Usage errors: exit 2.
usage_case() {
	local name=$1
	shift
	begin "usage-$name" || return 0
	printf '%s' "$GOOD" >"$C/in/good.md"
	run 2 "$@"
	stderr_nonempty
	absent "$C/out/good.txt"
	absent "$C/in/good.txt"
	end
}
usage_case no-arguments
usage_case unknown-option --txt --no-such-option in/good.md
usage_case width-not-a-number --txt --width abc -o out in/good.md
usage_case width-zero --txt --width 0 -o out in/good.md
usage_case width-negative --txt --width -5 -o out in/good.md
usage_case o-without-value --txt in/good.md -o
usage_case ambiguous-option --t in/good.md
usage_case flag-with-value --txt=1 in/good.md
usage_case bleed-too-big --pdf --bleed 22 -o out in/good.md
usage_case empty-feed-name --xml --feed '' in/good.md
usage_case xml-and-pdf-on-one-stream --xml --pdf -o - in/good.md
usage_case two-feed-formats --xml --json --feed out/feed in/good.md
if begin usage-messages; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	run 2 --t in/good.md
	stderr_has "ambiguous: --txt, --tree" "both options"
	run 2 --txt=1 in/good.md
	stderr_has "'--txt' takes no value" "the option"
	LC_ALL=C grep -q "$(printf '\001')" "$C/stderr" && bad "a control character in the message"
	tr -d '\n' <"$C/stderr" | LC_ALL=C grep -qa "$(printf '\\000')" && bad "a NUL in the message"
	run 2 --bleed 22 --pdf in/good.md
	stderr_has "from 0 to 20, not '22'" "the range"
	end
fi

# SOURCE_DATE_EPOCH that is not a date a PDF can carry: a warning, and the
# default date, in every backend alike.
if begin source-date-epoch; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	for v in 99999999999999 abc -5 1e9; do
		SOURCE_DATE_EPOCH=$v run 0 --pdf --xml --json -o "out/$v" in/good.md
		stderr_has "ignoring SOURCE_DATE_EPOCH=\"$v\"" "the bad value"
		exists "$C/out/$v/good.pdf"
	done
	end
fi

# The feed's name forgotten: the shell's first input would become the feed.
if begin feed-would-overwrite-input; then
	printf '%s' "$GOOD" >"$C/in/a.md"
	printf '%s' "$GOOD" >"$C/in/b.md"
	cp "$C/in/a.md" "$C/a.copy"
	run 2 --xml --feed in/a.md in/b.md
	stderr_has 'a\.md.*overwrite' "the input"
	cmp -s "$C/in/a.md" "$C/a.copy" || bad "the input was overwritten"
	end
fi

# A symbolic link named as the input directory is followed.
if begin symlink-to-input-dir; then
	mkdir -p "$C/real/sub"
	printf '%s' "$GOOD" >"$C/real/sub/good.md"
	ln -s real "$C/link"
	run 0 --txt -q -o out link
	exists "$C/out/sub/good.txt"
	end
fi

if begin help; then
	run 0 --help
	[ -s "$C/stdout" ] || bad "--help printed nothing on stdout"
	run 0 --version
	grep -q '[0-9]' "$C/stdout" || bad "--version printed no version"
	end
fi

# ---------------------------------------------------------------------
# Files that cannot be read.
if begin missing-file; then
	seed "$C/out/missing.txt"
	run 1 --txt -o out in/missing.md
	stderr_has 'missing\.md' "the file"
	printf '%s' "$GOOD" >"$C/in/good.md"
	run 1 --txt -o out in/missing.md in/good.md
	exists "$C/out/good.txt"
	stderr_has 'missing\.md' "the file"
	end
fi

# drop_root: in a case, run medexport as nobody when we are root.
drop_root() {
	if [ "$ROOT" = 1 ]; then
		chown -R 65534:65534 "$C"
		AS=$NOBODY
	fi
}

if [ "$ROOT" = 1 ] && [ "$CAN_DROP" = 0 ]; then
	skip unreadable-file "running as root, which can read any file, and cannot run as nobody"
elif begin unreadable-file; then
	printf '%s' "$GOOD" >"$C/in/secret.md"
	printf '%s' "$GOOD" >"$C/in/good.md"
	seed "$C/out/secret.txt"
	drop_root
	chmod 000 "$C/in/secret.md"
	run 1 --txt -o out in/secret.md
	stderr_has 'secret\.md' "the file"
	run 1 --txt -o out in
	stderr_has 'secret\.md' "the file"
	exists "$C/out/good.txt"
	mkdir -p "$C/in/locked"
	printf '%s' "$GOOD" >"$C/in/locked/hidden.md"
	chmod 000 "$C/in/locked"
	run 1 --txt -o out in
	stderr_has 'locked' "the unreadable directory"
	chmod 755 "$C/in/locked"
	# Listed but not entered (mode 444): every input in it is named.
	mkdir -p "$C/in/listed"
	printf '%s' "$GOOD" >"$C/in/listed/one.md"
	printf '%s' "$GOOD" >"$C/in/listed/two.md"
	chmod 444 "$C/in/listed"
	run 1 --txt -o out in
	stderr_has 'listed/one\.md' "the first input it could not read"
	stderr_has 'listed/two\.md' "the second input it could not read"
	chmod 755 "$C/in/listed"
	end
fi

if begin no-md-in-directory; then
	mkdir -p "$C/in/docs/sub"
	echo "not markdown" >"$C/in/docs/readme.txt"
	echo "# Markdown with another extension" >"$C/in/docs/sub/notes.markdown"
	run 1 --txt -o out in/docs
	stderr_has 'docs' "the directory"
	[ -z "$(find "$C/out" -type f)" ] || bad "files written for a directory with no *.md"
	end
fi

if begin fifo-in-directory; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	if mkfifo "$C/in/pipe.md" 2>/dev/null; then
		run 1 --txt -o out in
		stderr_has 'pipe\.md' "the FIFO"
		exists "$C/out/good.txt"
		absent "$C/out/pipe.txt"
	else
		echo "    (mkfifo failed; FIFO part not run)"
	fi
	end
fi

# ---------------------------------------------------------------------
# Contents medexport refuses.  Byte offsets are 0-based; 1-based is accepted.
fails_simply empty ': >empty.md'
fails_simply nul-in-title "printf -- '---\\ntitle: \"Bad\\\\0title\"\\n---\\n\\ntext\\n' >nul-in-title.md" 'nul-in-title\.md:2: .*NUL'
fails_simply whitespace-only "printf ' \\n\\t\\n   \\r\\n\\n' >whitespace-only.md"
# "# Title\n\nabc " is 13 bytes: the bad byte is at offset 13 (line 3).
fails_simply invalid-utf8 "printf '# Title\\n\\nabc \\377\\376 def\\n' >invalid-utf8.md" '(^|[^0-9])1[34]([^0-9]|$)'
fails_simply overlong-utf8 "printf '# Title\\n\\nslash \\300\\257 here\\n' >overlong-utf8.md" '(^|[^0-9])1[56]([^0-9]|$)'
fails_simply overlong-utf8-nul "printf '# Title\\n\\nnul \\340\\200\\200 here\\n' >overlong-utf8-nul.md"
fails_simply utf16-surrogate "printf '# Title\\n\\nhalf \\355\\240\\200 pair\\n' >utf16-surrogate.md"
fails_simply above-u10ffff "printf '# Title\\n\\nbig \\364\\220\\200\\200 cp\\n' >above-u10ffff.md"
fails_simply truncated-utf8 "printf '# Title\\n\\ncut \\342\\202' >truncated-utf8.md"
fails_simply latin1 "printf '# Caf\\351\\n\\nWritten in ISO-8859-1: na\\357ve.\\n' >latin1.md"
fails_simply nul-byte "printf '# Title\\n\\nab\\000cd\\n' >nul-byte.md"
fails_simply utf16-bom "printf '\\377\\376#\\000 \\000T\\000\\n\\000' >utf16-bom.md"
fails_simply binary-png "{ printf '\\211PNG\\r\\n\\032\\n\\000\\000\\000\\rIHDR'; head -c 8192 /dev/urandom; } >binary-png.md"
fails_simply unterminated-front-matter "cp '$TOP/tests/bad/unterminated-front-matter.md' ." '(:1([^0-9]|$)|line 1([^0-9]|$))'
fails_simply broken-yaml "cp '$TOP/tests/bad/broken-yaml.md' ." '(:3([^0-9]|$)|line 3([^0-9]|$))'
fails_simply unclosed-flow "cp '$TOP/tests/bad/unclosed-flow.md' ." '(:[2-5]([^0-9]|$)|line [2-5]([^0-9]|$))'

if begin too-big; then
	# Sparse: costs no disk.  Valid text first, so only the size is wrong.
	printf '%s' "$GOOD" >"$C/in/too-big.md"
	truncate -s 65M "$C/in/too-big.md"
	seed "$C/out/too-big.txt"
	run 1 --txt -o out in/too-big.md
	stderr_has 'too-big\.md' "the file"
	grep -qiE 'large|size|limit|MiB|bytes' "$C/stderr" ||
		bad "the message does not say the file is too large: $(head -c 200 "$C/stderr")"
	[ "$ELAPSED" -lt 5000 ] || bad "refusing a big file took ${ELAPSED}ms"
	end
fi

# ---------------------------------------------------------------------
# Front matter that must not blow up.
for name in alias-bomb deep-yaml; do
	begin "$name" || continue
	cp "$TOP/tests/bad/$name.md" "$C/in/"
	run '0|1' --txt -o out "in/$name.md"
	[ "$ELAPSED" -lt 5000 ] || bad "took ${ELAPSED}ms"
	if [ "$RC" = 1 ]; then
		stderr_has "$name\\.md" "the file"
	elif [ "$RC" = 0 ]; then
		exists "$C/out/$name.txt"
		size=$(wc -c <"$C/out/$name.txt" 2>/dev/null || echo 0)
		[ "$size" -lt 100000 ] || bad "output is $size bytes: aliases expanded?"
	fi
	run '0|1' --tree -o - "in/$name.md"
	size=$(wc -c <"$C/stdout")
	[ "$size" -lt 100000 ] || bad "--tree output is $size bytes: aliases expanded?"
	end
done

# ---------------------------------------------------------------------
# Inputs of tests/bad/ that convert with warnings (front matter that is
# not a mapping, repeated keys, an id and a language that are not ones):
# every text format gives tests/bad/NAME.EXT exactly, and the warnings are
# NAME.err (tests/regen-bad-goldens.sh writes them; read the diff).
for err in "$TOP"/tests/bad/*.err; do
	name=$(basename "$err" .err)
	begin "golden-$name" || continue
	cp "$TOP/tests/bad/$name.md" "$C/in/"
	"$ME" --list-formats | grep -v ' binary' >"$C/formats"
	while read -r fmt ext _; do
		run 0 "--$fmt" -o - "in/$name.md"
		cmp -s "$C/stdout" "$TOP/tests/bad/$name$ext" ||
			bad "--$fmt differs from tests/bad/$name$ext: $(diff "$TOP/tests/bad/$name$ext" "$C/stdout" | head -4 | tr '\n' ' ')"
		cmp -s "$C/stderr" "$err" ||
			bad "--$fmt: the warnings differ from tests/bad/$name.err: $(diff "$err" "$C/stderr" | head -4 | tr '\n' ' ')"
		mv "$C/stdout" "$C/out/$name$ext"
	done <"$C/formats"
	run 0 --pdf -o out "in/$name.md"
	exists "$C/out/$name.pdf"
	end
done

# Numeric character references to what is not a character, and such
# characters written as they are (U+FFFE, U+FDD0 in the body; "\uFFFE" in
# the front matter): U+FFFD with a warning naming the file and the line,
# in every backend; the outputs parse.  A code span keeps its references.
if begin character-references; then
	printf -- '---\ntitle: "Refs \\uFFFE title"\nnote: "x\\uFDD0y"\n---\n\n# Refs\n\n### Usage\nA &#xFFFE; b &#xFFFF; c &#xD800; d &#xFDD0; e &#x10FFFF; f.\n\n* **Label &#65534;:** item\n\n### Dosage\nRaw \357\277\276 and \357\267\220 here;\n`code &#xFFFE;` and [a link](https://example.org/&#xFFFF;).\n' >"$C/in/refs.md"
	run 0 --txt --xml --json --tree --pdf -o out in/refs.md
	for ext in txt xml json tree pdf; do exists "$C/out/refs.$ext"; done
	stderr_has 'in/refs\.md:2: warning: front matter value holds U\+FFFE' "the front matter's line"
	stderr_has 'in/refs\.md:3: warning: front matter value holds U\+FDD0' "the second value's line"
	stderr_has 'in/refs\.md:9: warning: the character reference &#xFFFE; is not to a character' "the body's line"
	stderr_has 'in/refs\.md:9: warning: the character reference &#xD800; is not to a character \(a surrogate\)' "the surrogate"
	stderr_has 'in/refs\.md:11: warning: the character reference &#65534;' "the label's line"
	stderr_has 'in/refs\.md:14: warning: U\+FFFE is not a character' "the raw character's line"
	stderr_has 'in/refs\.md:15: warning: the character reference &#xFFFF;' "the link's line"
	grep -q 'code &#xFFFE;' "$C/out/refs.txt" || bad "the code span's reference was changed"
	grep -q ':15: .*&#xFFFE;' "$C/stderr" && bad "the code span's reference was named"
	[ "$(grep -c $'\xef\xbf\xbd' "$C/out/refs.txt")" -ge 3 ] || bad "no U+FFFD in the text output"
	# And in a feed, where one such file used to break the whole feed.
	run 0 --xml --feed out/feed.xml in/refs.md
	run 0 --json --feed out/feed.jsonl in/refs.md
	run 0 --xml -o - in/refs.md
	end
fi

# Two monographs of one id in a feed (one file name in two folders, or a
# front matter id given twice): an error naming both files, exit 1, and
# nothing written, the feed nor any other output.
if begin duplicate-ids-in-feed; then
	mkdir -p "$C/in/a" "$C/in/b"
	printf '%s' "$GOOD" >"$C/in/a/good.md"
	printf '%s' "$GOOD" >"$C/in/b/good.md"
	printf -- '---\nid: good\n---\n\n# Other\n\n### Usage\nText.\n' >"$C/in/other.md"
	seed "$C/out/feed.xml"
	run 1 --xml --feed out/feed.xml in/a in/b
	stderr_has "in/b/good\\.md: error: the id 'good' is also that of in/a/good\\.md" "both files"
	run 1 --xml --txt -o out/txt --feed out/feed.xml in/a in/other.md
	stderr_has "in/other\\.md: error: the id 'good' is also that of in/a/good\\.md" "the front matter's id"
	absent "$C/out/txt"
	run 1 --json --feed - in/a/good.md in/b/good.md
	[ -s "$C/stdout" ] && bad "--feed - wrote to standard output"
	# Per-file outputs of one name are refused before anything is written
	# (a usage error), as ever.
	run 2 --xml -o out/files in/a/good.md in/b/good.md
	stderr_has 'two inputs would write' "the collision"
	absent "$C/out/files"
	end
fi

# A file name that is not UTF-8 and no title: the title comes from the file
# name, which every output carries as valid UTF-8.
if begin file-name-not-utf8; then
	printf 'Text without a title.\n\n### Usage\nText.\n' >"$C/in/caf$(printf '\351').md"
	run 0 --txt --xml --json --tree -o out in
	stderr_has 'the file name is not UTF-8' "the file name"
	for ext in txt xml json tree; do exists "$C/out/caf$(printf '\351').$ext"; done
	end
fi

# ---------------------------------------------------------------------
# Valid Markdown that is merely extreme converts (exit 0), quickly.
# converts NAME PYTHON-EXPR [WORD [TXTWORDS-OPTION]]: in/NAME.md is
# "# Title\n\n" + the expression's value; WORD must survive in the output.
converts() {
	local name=$1 expr=$2 word=${3:-} opt=${4:-}
	begin "$name" || return 0
	"$PY" -c "import sys; sys.stdout.write('# Title\n\n' + ($expr) + '\n')" >"$C/in/$name.md"
	run 0 --txt -o out "in/$name.md"
	exists "$C/out/$name.txt"
	if [ -n "$word" ] && [ -s "$C/out/$name.txt" ]; then
		grep -qF -- "$word" "$C/out/$name.txt" || bad "the word ${word:0:40}... is not in the output"
	fi
	if [ -s "$C/out/$name.txt" ]; then
		"$PY" "$TOP/tests/txtwords.py" -q --max-width 72 $opt --max-report 3 \
			"$C/in/$name.md" "$C/out/$name.txt" >"$C/words" || bad "txtwords.py: $(head -3 "$C/words" | tr '\n' ' ')"
	fi
	end
}
converts nested-lists-100k "'- ' * 100000 + 'deepword'" deepword
converts nested-ordered-100k "'1. ' * 100000 + 'deepword'" deepword
converts nested-quotes-100k "'> ' * 100000 + 'deepword'" deepword
converts nested-quotes-lines-100k "''.join('>' * i + ' level\n' for i in range(1, 2000)) + '>' * 100000 + ' deepword'" deepword
converts flat-list-100k "''.join('* item number %d\n' % i for i in range(100000)) + '* lastword'" lastword
converts nested-emphasis-50k "'*' * 50000 + 'deepword' + '*' * 50000" deepword
converts nested-brackets-50k "'[' * 50000 + 'deepword' + ']' * 50000" deepword
converts nested-links-10k "'[' * 10000 + 'deepword' + '](u)' * 10000" deepword
converts one-mb-line "'lorem ipsum dolor sit amet ' * 40000 + 'lastword'" lastword
converts one-mb-word-line "'x' * 1000000" xxxxxxxxxx
converts word-5000 "'before ' + 'w' * 5000 + ' after'" "$(printf 'w%.0s' $(seq 5000))"
# Ideographs may be broken anywhere (UAX #14): only widths are checked.
converts wide-word-5000 "'before ' + '\u85ac' * 5000 + ' after'" after --widths-only
converts no-font-chars "'private \ue000\uf8ff \U000f0000 unassigned \U000e0080 emoji \U0001f48a math \U0001d400 end'" end
converts combining-pileup "'a' + '\u0301' * 10000 + ' after'" after
converts many-headings "''.join('### Heading %d\ntext\n' % i for i in range(50000))" 'Heading 49999'
converts crlf-lines "'### Usage\r\nText with CRLF lines.\r\n* item\r\n'" CRLF

if begin crlf-front-matter; then
	printf -- '---\r\nlayout: minimal-medicine\r\ntitle: Crlftitle\r\n---\r\n\r\n# Crlftitle\r\n\r\n### Usage\r\nText.\r\n' >"$C/in/crlf.md"
	run 0 --txt -o out in/crlf.md
	exists "$C/out/crlf.txt"
	grep -q 'layout' "$C/out/crlf.txt" && bad "the front matter was printed as text"
	grep -q 'Crlftitle' "$C/out/crlf.txt" || bad "the title is missing"
	end
fi

if begin ten-mb; then
	"$PY" - "$TOP/content/paracetamol.md" "$C/in/ten-mb.md" <<'EOF'
import sys
body = open(sys.argv[1], encoding="utf-8").read().split("\n---\n", 1)[1]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("---\ntitle: Ten MB\n---\n")
    n = 0
    while n < 10_000_000:
        f.write(body + "\n")
        n += len(body.encode()) + 1
EOF
	run 0 --txt -o out in/ten-mb.md
	exists "$C/out/ten-mb.txt"
	[ "$ELAPSED" -lt 10000 ] || bad "a 10 MB monograph took ${ELAPSED}ms"
	end
fi

# ---------------------------------------------------------------------
# File names.
if begin file-names; then
	mkdir -p "$C/in/sub dir/ünïcödé"
	for f in "my file.md" "ä é ß.md" "sub dir/ünïcödé/名前 テスト.md" "sub dir/it's (1).md"; do
		printf '%s' "$GOOD" >"$C/in/$f"
	done
	run 0 --txt -o out in
	for f in "my file" "ä é ß" "sub dir/ünïcödé/名前 テスト" "sub dir/it's (1)"; do
		exists "$C/out/$f.txt"
	done
	run 0 --txt "in/my file.md"
	exists "$C/in/my file.txt"
	end
fi

if begin dash-file-name; then
	printf '%s' "$GOOD" >"$C/-dash.md"
	run 0 --txt -o out -- -dash.md
	exists "$C/out/-dash.txt"
	end
fi

# ---------------------------------------------------------------------
# Outputs that cannot be written.
if begin output-under-regular-file; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	echo "a regular file" >"$C/plain"
	run 1 --txt -o plain/sub in/good.md
	stderr_has 'plain' "the output path"
	[ "$(cat "$C/plain")" = "a regular file" ] || bad "the regular file was changed"
	end
fi

if [ "$ROOT" = 1 ] && [ "$CAN_DROP" = 0 ]; then
	skip output-not-writable "running as root, which can write anywhere, and cannot run as nobody"
elif begin output-not-writable; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	seed "$C/out/good.txt"
	drop_root
	chmod 555 "$C/out"
	run 1 --txt -o out in/good.md
	stderr_has 'out' "the output directory"
	# Beside the input, in a read-only directory.
	chmod 555 "$C/in"
	run 1 --txt in/good.md
	stderr_has 'good' "the output"
	chmod 755 "$C/out" "$C/in"
	end
fi

if begin output-is-directory; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	mkdir -p "$C/out/good.txt/inside"
	run 1 --txt -o out in/good.md
	stderr_has 'good' "the output"
	[ -d "$C/out/good.txt/inside" ] || bad "the directory in the way was changed"
	end
fi

if begin output-beside-input-fails; then
	# No -o: the output goes beside the input; a failed input keeps it.
	: >"$C/in/empty.md"
	seed "$C/in/empty.txt"
	run 1 --txt in/empty.md
	stderr_has 'empty\.md' "the file"
	end
fi

if [ -w /dev/full ]; then
	if begin dev-full; then
		printf '%s' "$GOOD" >"$C/in/good.md"
		STDOUT=/dev/full
		run 1 --txt -o - in/good.md
		stderr_nonempty
		stderr_has '(good\.md|output|stdout|space)' "the file or the output"
		# And big enough that stdio's buffer must be flushed mid-run.
		cp "$TOP/content/"*.md "$C/in/"
		run 1 --txt -o - in
		stderr_nonempty
		end
	fi
else
	skip dev-full "/dev/full is not available"
fi

# ---------------------------------------------------------------------
# Standard input.
if begin stdin; then
	STDIN=$TOP/content/tolperisone.md
	run 0 --txt -o - -
	grep -q Tolperisone "$C/stdout" || bad "stdin to stdout lost the text"
	printf '# T\n\nbad \377 byte\n' >"$C/in/bad"
	STDIN=$C/in/bad
	run 1 --txt -o - -
	stderr_has '(^-|stdin|standard input|<stdin>)' "standard input"
	: >"$C/in/empty"
	STDIN=$C/in/empty
	run 1 --txt -o - -
	stderr_nonempty
	end
fi

# ---------------------------------------------------------------------
# Symbolic links.
if begin symlink-loop-dir; then
	mkdir -p "$C/in/d/sub"
	printf '%s' "$GOOD" >"$C/in/d/a.md"
	printf '%s' "$GOOD" >"$C/in/d/sub/b.md"
	ln -s .. "$C/in/d/sub/up"
	ln -s . "$C/in/d/self"
	run '0|1' --txt -o out in/d
	exists "$C/out/a.txt"
	exists "$C/out/sub/b.txt"
	n=$(find "$C/out" -name '*.txt' | wc -l)
	[ "$n" -le 6 ] || bad "$n outputs from 2 inputs: the loop was followed"
	end
fi

if begin symlink-self-md; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	ln -s loop.md "$C/in/loop.md"
	ln -s nowhere.md "$C/in/dangling.md"
	run 1 --txt -o out in
	exists "$C/out/good.txt"
	stderr_has 'loop\.md' "the looping link"
	stderr_has 'dangling\.md' "the dangling link"
	run 1 --txt -o out in/loop.md
	stderr_has 'loop\.md' "the looping link"
	end
fi

# Controls and escape sequences in front matter never reach the text
# output (a terminal would obey them), as in body text.
if begin controls-in-title; then
	printf -- '---\ntitle: "Esc\\e[31mRed\\x07 bell\\x1b]0;owned\\x07"\n---\n\ntext\n' >"$C/in/esc.md"
	run 0 --txt -o - in/esc.md
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$C/stdout"; then
		bad "control characters reached the text output: $(od -c "$C/stdout" | head -2 | tr '\n' ' ')"
	fi
	grep -q 'Red bell' "$C/stdout" || bad "the title's words were lost: $(head -2 "$C/stdout")"
	end
fi

# ---------------------------------------------------------------------
# Characters that become several cells or none (tabs in code, wide
# characters, soft hyphens), through every backend and every style.
if begin expanding-characters; then
	"$PY" - "$C/in/tabs.md" <<'EOF'
import sys
rows = "".join("a\tb\t\tc\t\t\td%d\t\n" % i for i in range(200))
wide = "\u4e2d\U0001f48apa\u00adra\u00adce\u00adta\u200bmol " * 300
open(sys.argv[1], "w", encoding="utf-8").write(
    "# Tabs\n\n### Usage\n\n```\n" + rows + "```\n\n" +
    "".join("    \t\tx%d\ty\n" % i for i in range(50)) +
    "\n### Dosage\n\n" + wide + "\n\nsee `a\tb\t\tc`\n")
EOF
	for style in leaflet-a4 leaflet-a5 large-print trifold-letter; do
		run 0 -q --txt --xml --tree --pdf --style $style -o "out/$style" in/tabs.md
		for ext in txt xml tree pdf; do exists "$C/out/$style/tabs.$ext"; done
	done
	end
fi

# ---------------------------------------------------------------------
# Styles that must be refused: a usage error naming the style and the
# problem, no output written.
bad_style() {
	local name=$1 ere=$2
	begin "style-$name" || return 0
	printf '%s' "$GOOD" >"$C/in/good.md"
	printf '%b' "$3" >"$C/style.yaml"
	mkdir -p "$C/fonts"
	run 2 --pdf --style ./style.yaml -o out in/good.md
	stderr_has "$ere" "the problem"
	absent "$C/out/good.pdf"
	end
}
for v in .nan nan NaN .inf inf -inf 1e999; do
	bad_style "number-$v" 'style\.yaml:[0-9]+: .*(number|range)' \
		"page:\n  size: A4\n  margins: {top: $v, bottom: 12, inner: 13, outer: 12}\n"
done
bad_style colour-nan 'style\.yaml:[0-9]+: .*(number|range|percentages)' \
	'colours:\n  band: [12, nan, 0, 0]\n'
bad_style font-is-directory 'fonts.*not a regular file' 'type:\n  fonts:\n    regular: fonts\n'
bad_style duplicate-key 'style\.yaml:3: .*duplicate key' 'page:\n  size: A4\n  size: A5\n'
bad_style second-document 'style\.yaml:3: .*second YAML document' \
	'page:\n  size: A4\n---\npage:\n  size: A5\n'
bad_style nul-in-value 'style\.yaml:2: .*(expected|size)' 'page:\n  size: "A4\\0Letter"\n'
bad_style fractional-columns 'style\.yaml:2: .*whole number' 'page:\n  columns: 1.9\n'
bad_style gutters-wider-than-page 'columns of .* mm' 'page:\n  columns: 6\n  gutter: 100\n'
bad_style line-taller-than-column 'cannot hold four lines' \
	'page:\n  margins: {top: 130, bottom: 140, inner: 13, outer: 12}\n'
bad_style nested-100000 'nested deeper than' \
	"x: $(printf '%*s' 100000 '' | tr ' ' '[')\n"
bad_style too-big 'at most [0-9]+ KiB' "$(printf '# %*s\\n' 300000 '' )"
if begin style-unknown-keys; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "k%d: 1\n", i }' >"$C/style.yaml"
	run 0 --pdf --style ./style.yaml -o out in/good.md
	[ "$(grep -c 'unknown key' "$C/stderr")" -le 11 ] ||
		bad "$(grep -c 'unknown key' "$C/stderr") lines of warnings for 20,000 unknown keys"
	stderr_has '19990 more unknown keys' "the count of the rest"
	exists "$C/out/good.pdf"
	end
fi
if begin style-is-fifo; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	mkfifo "$C/style.yaml"
	run 2 --pdf --style ./style.yaml -o out in/good.md
	stderr_has 'style\.yaml.*not a regular file' "the FIFO"
	end
fi
if begin style-font-is-fifo; then
	printf '%s' "$GOOD" >"$C/in/good.md"
	mkfifo "$C/fifo.ttf"
	printf 'type:\n  fonts:\n    regular: fifo.ttf\n' >"$C/style.yaml"
	run 2 --pdf --style ./style.yaml -o out in/good.md
	stderr_has 'fifo\.ttf.*not a regular file' "the FIFO"
	absent "$C/out/good.pdf"
	end
fi

# ---------------------------------------------------------------------
# Interrupted batches: after SIGTERM/SIGINT, no temporary file is left, every
# output is complete (identical to an uninterrupted run) or the earlier one.
interrupted() {
	local sig=$1 pid rc i n total
	begin "interrupted-$sig" || return 0
	# A batch that takes a while: 1,500 files of about 60 KB each.
	"$PY" - "$C/in" "$TOP/content" <<'EOF'
import os, sys
out, content = sys.argv[1], sys.argv[2]
bodies = [open(os.path.join(content, f), encoding="utf-8").read()
          for f in sorted(os.listdir(content)) if f.endswith(".md")]
for i in range(1500):
    d = os.path.join(out, "p%02d" % (i % 15))
    os.makedirs(d, exist_ok=True)
    body = bodies[i % len(bodies)]
    head, _, rest = body.partition("\n---\n")
    with open(os.path.join(d, "m%04d.md" % i), "w", encoding="utf-8") as f:
        f.write(head + "\n---\n" + (rest + "\n") * 8)
EOF
	total=1500
	# The reference: an uninterrupted run.
	timeout -k 5 120 "$ME" --txt -q -o "$C/ref" "$C/in" 2>"$C/ref.err"
	rc=$?
	[ "$rc" -eq 0 ] || bad "the uninterrupted batch exited $rc: $(head -c 200 "$C/ref.err")"
	# Earlier outputs, some of which the interrupted run will not reach.
	for i in 0007 0500 1499; do
		seed "$C/out/p$(printf '%02d' $((10#$i % 15)))/m$i.txt"
	done
	sleep 0.05
	touch "$C/mark"
	"$ME" --txt -q -o "$C/out" "$C/in" 2>"$C/stderr" &
	pid=$!
	# Wait until it has written something, then interrupt it.
	for _ in $(seq 400); do
		n=$(find "$C/out" -name 'm*.txt' -newer "$C/mark" 2>/dev/null | head -3 | wc -l)
		[ "$n" -ge 3 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	kill -"$sig" "$pid" 2>/dev/null
	for _ in $(seq $((LIMIT * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		bad "still running ${LIMIT}s after SIG$sig"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
	n=$(find "$C/out" -name 'm*.txt' -newer "$C/mark" | wc -l)
	if [ "$rc" -eq 0 ] && [ "$n" -ge "$total" ]; then
		echo "    ($CASE: the batch finished before the signal; only the leftovers were checked)"
	else
		echo "    ($CASE: exit $rc after $n of $total outputs)"
	fi
	# Every output is complete: the same as the reference, or the earlier one.
	(cd "$C/out" && find . -type f -name 'm*.txt') | while read -r f; do
		if ! cmp -s "$C/out/$f" "$C/ref/$f" && [ "$(cat "$C/out/$f")" != "$SENTINEL" ]; then
			echo "incomplete output $f"
		fi
	done >"$C/incomplete"
	[ -s "$C/incomplete" ] && bad "$(wc -l <"$C/incomplete") output(s) differ from an uninterrupted run: $(head -3 "$C/incomplete" | tr '\n' ' ')"
	SEEDED=() # may legitimately have been replaced by complete outputs
	end
}
interrupted TERM
interrupted INT
interrupted HUP
interrupted QUIT
interrupted USR1

# A full disk: every output that cannot be written is named with the
# reason, and a feed that cannot be written fails its monographs.  Needs a
# small file system of its own (a tmpfs, mounted as root).
if [ "$ROOT" = 1 ] && begin disk-full; then
	mkdir -p "$C/full"
	if mount -t tmpfs -o size=120k tmpfs "$C/full" 2>/dev/null; then
		cp "$TOP/content/"*.md "$C/in/"
		# No room at all: which outputs would still fit in a little
		# room depends on the order -j finishes them in.
		head -c $((120 * 1024)) /dev/zero >"$C/full/filler" 2>/dev/null
		run 1 --txt --tree --xml --pdf -o full/out in
		for ext in txt tree xml pdf; do
			grep -qE "full/out/[^ ]*\.$ext: error: cannot write: No space left" "$C/stderr" ||
				bad "no .$ext output named with its reason on a full disk"
		done
		rm -rf "$C/full/out" "$C/full/filler"
		# Room for a little of the feed, not all of it.
		head -c $((100 * 1024)) /dev/zero >"$C/full/filler" 2>/dev/null
		run 1 --xml --feed full/feed.xml in
		stderr_has 'feed\.xml: error: cannot write the feed: No space left' "the feed and the reason"
		stderr_has ' 0 converted, [0-9]+ failed' "no monograph reported converted"
		absent "$C/full/feed.xml"
		find "$C/full" -name '.medexport-*' | grep -q . && bad "temporary files left on the full disk"
		umount "$C/full"
	else
		skip disk-full "cannot mount a tmpfs"
	fi
	end
fi

# A run killed with SIGKILL leaves its temporary files; the next run that
# writes into those directories removes them (those of this host whose
# process is gone), and leaves a live process's and another host's alone.
if begin killed-run-leftovers; then
	host=$(hostname | tr -cd 'A-Za-z0-9._' | cut -c1-32)
	[ -n "$host" ] || host=host
	printf '%s' "$GOOD" >"$C/in/good.md"
	mkdir -p "$C/in/sub" && printf '%s' "$GOOD" >"$C/in/sub/deep.md"
	pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 4194304)
	dead=$((pid_max + 1)) # no process can have it
	mkdir -p "$C/out/sub"
	for d in out out/sub in; do
		: >"$C/$d/.medexport-$host-$dead-7.tmp"
	done
	: >"$C/out/.medexport-$host-$$-3.tmp"          # this shell: alive
	: >"$C/out/.medexport-otherhost-$dead-1.tmp"   # not ours to judge
	run 0 --txt -q -o out in
	exists "$C/out/sub/deep.txt"
	[ -e "$C/out/.medexport-$host-$dead-7.tmp" ] && bad "orphan in out/ not removed"
	[ -e "$C/out/sub/.medexport-$host-$dead-7.tmp" ] && bad "orphan in out/sub/ not removed"
	[ -e "$C/in/.medexport-$host-$dead-7.tmp" ] || bad "a directory the run did not write was swept"
	[ -e "$C/out/.medexport-$host-$$-3.tmp" ] || bad "a live process's temporary file was removed"
	[ -e "$C/out/.medexport-otherhost-$dead-1.tmp" ] || bad "another host's temporary file was removed"
	# Beside the inputs, the same.
	run 0 --txt -q in/good.md
	[ -e "$C/in/.medexport-$host-$dead-7.tmp" ] && bad "orphan beside the input not removed"
	rm -f "$C"/out/.medexport-* "$C"/in/.medexport-*
	end
fi

# A read that blocks (standard input from a FIFO whose writer says
# nothing; a FIFO named as a style's font is refused without opening it)
# ends on the first signal.
blocked_read() {
	local sig=$1 pid rc i
	begin "blocked-read-$sig" || return 0
	mkfifo "$C/fifo"
	sleep 30 >"$C/fifo" &
	local writer=$!
	"$ME" --txt -o - - <"$C/fifo" >"$C/stdout" 2>"$C/stderr" &
	pid=$!
	sleep 0.3
	kill -"$sig" "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		bad "a read of standard input survived SIG$sig for 5 s"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
	[ "$rc" -eq 130 ] || bad "exit $rc after SIG$sig, want 130"
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	end
}
blocked_read INT
blocked_read TERM
blocked_read HUP

# ---------------------------------------------------------------------
echo "== bad input: $npass passed, $nfail failed, $nskip skipped"
if [ "$nfail" -ne 0 ]; then
	echo "failed: ${failed[*]}"
	exit 1
fi
exit 0
