#!/bin/sh
# tests/check-install.sh - make install as a distribution packages it:
# installed into a staging directory (DESTDIR) with PREFIX=/usr, then
# checked there: the files a packager expects, a shared library with a
# soname that exports only the mx_ API, a medexport that runs from its
# installed data (MEDEXPORT_DATADIR points at the staging copy) and writes
# the same PDF as the development build, a C and a C++ program built
# against the installed header and pkg-config file, and a man page that
# renders without warnings and names every option of --help.
cd "$(dirname "$0")/.." || exit 2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-install.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
D=$TMP/stage
U=$D/usr
fail=0
bad() { echo "FAIL $*"; fail=1; }

make -s install DESTDIR="$D" PREFIX=/usr >"$TMP/make.log" 2>&1 ||
	{ echo "FAIL make install:"; tail -20 "$TMP/make.log"; exit 1; }

for f in bin/medexport lib/libmedexport.so.1 lib/libmedexport.so lib/libmedexport.a \
	lib/pkgconfig/medexport.pc include/medexport.h share/man/man1/medexport.1 \
	share/medexport/styles/leaflet-a4.yaml share/medexport/styles/monograph.xsd \
	share/medexport/styles/monograph.schema.json share/medexport/fonts/DejaVuSans.ttf; do
	[ -e "$U/$f" ] || bad "not installed: /usr/$f"
done

# The library: a soname, and nothing exported but the API.
readelf -d "$U/lib/libmedexport.so.1" | grep -q 'SONAME.*\[libmedexport\.so\.1\]' ||
	bad "libmedexport.so.1 has no soname libmedexport.so.1"
others=$(nm -D --defined-only "$U/lib/libmedexport.so.1" | awk '$3 !~ /^mx_/ { print $3 }')
[ -z "$others" ] || bad "libmedexport.so exports symbols outside the API: $(echo $others | head -c 200)"
nm -D --defined-only "$U/lib/libmedexport.so.1" | grep -q ' mx_batch_run$' ||
	bad "libmedexport.so does not export mx_batch_run"
# The static library's globals are the API's too.
others=$(nm -g --defined-only "$U/lib/libmedexport.a" 2>/dev/null | awk 'NF == 3 && $3 !~ /^mx_/ { print $3 }')
[ -z "$others" ] || bad "libmedexport.a has globals outside the mx_ prefix: $(echo $others | tr '\n' ' ' | head -c 300)"

# The installed command, from its installed data.
run() { LD_LIBRARY_PATH=$U/lib MEDEXPORT_DATADIR=$U/share/medexport "$U/bin/medexport" "$@"; }
export SOURCE_DATE_EPOCH=1700000000
run --version >"$TMP/version" || bad "the installed medexport --version failed"
grep -q "^medexport " "$TMP/version" || bad "--version: $(cat "$TMP/version")"
run --pdf --xml --txt -q -o "$TMP/inst" content/tolperisone.md 2>"$TMP/err" ||
	bad "the installed medexport failed: $(cat "$TMP/err")"
[ -s "$TMP/err" ] && bad "the installed medexport warned: $(head -3 "$TMP/err")"
./medexport --pdf --xml --txt -q -o "$TMP/dev" content/tolperisone.md ||
	bad "./medexport failed"
for ext in pdf xml txt; do
	cmp -s "$TMP/inst/tolperisone.$ext" "$TMP/dev/tolperisone.$ext" ||
		bad "the installed medexport's $ext differs from the development build's"
done
# Its compiled-in data directory is the installed one.
strings "$U/lib/libmedexport.so.1" | grep -qx '/usr/share/medexport' ||
	bad "the installed library does not look for its data in /usr/share/medexport"

# The example program (examples/), built against the installed header and
# pkg-config file: as C, as C++ (extern "C"), and statically.
PCENV="PKG_CONFIG_PATH=$U/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D"
flags=$(env $PCENV pkg-config --cflags --libs medexport) || bad "pkg-config does not know medexport"
sflags=$(env $PCENV pkg-config --static --cflags --libs medexport) || bad "pkg-config --static fails"
for ex in examples/*.c; do
	name=$(basename "$ex" .c)
	if cc -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$TMP/$name" "$ex" $flags 2>"$TMP/cc.err"; then
		LD_LIBRARY_PATH=$U/lib "$TMP/$name" <content/tolperisone.md >"$TMP/$name.out" ||
			bad "$ex against libmedexport.so failed (exit $?)"
		grep -q "Tolperisone" "$TMP/$name.out" || bad "$ex wrote: $(head -c 200 "$TMP/$name.out")"
	else
		bad "$ex does not build against the installed header: $(head -5 "$TMP/cc.err")"
	fi
	if command -v c++ >/dev/null; then
		c++ -Wall -Wextra -Werror -Wno-missing-field-initializers -o "$TMP/$name-xx" -x c++ "$ex" $flags 2>"$TMP/cxx.err" &&
			LD_LIBRARY_PATH=$U/lib "$TMP/$name-xx" <content/tolperisone.md >/dev/null ||
			bad "$ex does not build or run as C++: $(head -5 "$TMP/cxx.err")"
	fi
	cc -std=c11 -o "$TMP/$name-static" "$ex" $(echo "$sflags" | sed "s|-lmedexport|$U/lib/libmedexport.a|") 2>"$TMP/st.err" &&
		"$TMP/$name-static" <content/tolperisone.md >/dev/null || bad "$ex: static linking as pkg-config --static says fails: $(head -5 "$TMP/st.err")"
done

# The man pages: lint clean (groff -ww), and medexport(1) names every
# option of --help.
for page in "$U/share/man/man1/medexport.1" "$U/share/man/man3/medexport.3" \
	"$U/share/man/man5/medexport-style.5"; do
	[ -f "$page" ] || { bad "no man page $page"; continue; }
	if command -v groff >/dev/null; then
		groff -ww -man -z "$page" 2>"$TMP/groff.err" || bad "groff fails on $page"
		[ -s "$TMP/groff.err" ] && bad "groff -ww warns on $(basename "$page"): $(head -3 "$TMP/groff.err")"
	fi
done
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$U/share/man/man1/medexport.1" >"$TMP/man.txt" 2>/dev/null ||
		bad "man cannot render medexport.1"
	./medexport --help | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$TMP/opts"
	while read -r o; do
		grep -q -- "$o" "$TMP/man.txt" || bad "the man page does not describe $o"
	done <"$TMP/opts"
fi

make -s uninstall DESTDIR="$D" PREFIX=/usr >/dev/null 2>&1 || bad "make uninstall failed"
left=$(find "$D" -type f | head -5)
[ -z "$left" ] || bad "make uninstall left: $left"
[ $fail = 0 ] && echo "ok: make install (PREFIX=/usr, DESTDIR), library, header, pkg-config, man page, uninstall"
exit $fail
