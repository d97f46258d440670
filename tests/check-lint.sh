#!/bin/sh
# medexport --lint (docs/lint.md): the golden findings of tests/lint/ (a
# monograph per check that triggers it, NAME.md, and one that almost does,
# NAME-ok.md; NAME.out holds the findings, byte-exact), the JSON and SARIF
# forms checked with python3, exit statuses, content/ linting clean of
# errors, planted defects found (tests/lintplant.py), and the corpus
# (skipped with a message when absent): planted defects, its time and its
# findings per check.
cd "$(dirname "$0")/.." || exit 2
[ -x ./medexport ] || { echo "skip: ./medexport not built"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
fail=0
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT

n=0
for md in tests/lint/*.md; do
	out=${md%.md}.out
	# With a style, so that missing-glyph runs too.
	./medexport --lint --style leaflet-a4 "$md" >"$tmp/got" 2>"$tmp/err"
	if ! cmp -s "$out" "$tmp/got"; then
		echo "FAIL $md: findings differ from $out"
		diff "$out" "$tmp/got" | head -5
		fail=1
	fi
	case $md in
	*-ok.md) [ -s "$tmp/got" ] && { echo "FAIL $md: findings on a clean file"; fail=1; } ;;
	*) [ -s "$tmp/got" ] || { echo "FAIL $md: no finding"; fail=1; } ;;
	esac
	n=$((n + 1))
done
echo "ok: $n golden findings compared"

# Every check has a file that triggers it and one that must not.
for c in missing-section empty-section duplicate-section unknown-heading \
	heading-jump unanswered-question generic-name no-content \
	population-order unsupported-markup title-mismatch front-matter \
	missing-glyph; do
	grep -q "\[$c\]\$" "tests/lint/$c.out" || { echo "FAIL tests/lint/$c.md does not trigger $c"; fail=1; }
	[ -f "tests/lint/$c-ok.md" ] || { echo "FAIL no tests/lint/$c-ok.md"; fail=1; }
done

# Exit statuses: 0 clean, 1 errors, 1 warnings with --strict, 2 usage.
./medexport --lint tests/lint/heading-jump-ok.md >/dev/null; rc=$?
[ $rc -eq 0 ] || { echo "FAIL clean file: exit $rc"; fail=1; }
./medexport --lint tests/lint/missing-section.md >/dev/null; rc=$?
[ $rc -eq 1 ] || { echo "FAIL errors: exit $rc"; fail=1; }
./medexport --lint tests/lint/heading-jump.md >/dev/null; rc=$?
[ $rc -eq 0 ] || { echo "FAIL warnings only: exit $rc"; fail=1; }
./medexport --lint --strict tests/lint/heading-jump.md >/dev/null; rc=$?
[ $rc -eq 1 ] || { echo "FAIL --strict: exit $rc"; fail=1; }
for bad in "--lint-format=xml" "--txt" "--profile /nonexistent.yaml"; do
	# shellcheck disable=SC2086
	./medexport --lint $bad tests/lint/heading-jump.md >/dev/null 2>&1; rc=$?
	[ $rc -eq 2 ] || { echo "FAIL --lint $bad: exit $rc, not 2"; fail=1; }
done
# missing-glyph needs a style (--style, or --pdf for the default one);
# other formats and their options are refused.
./medexport --lint tests/lint/missing-glyph.md >"$tmp/got" 2>&1
grep -q missing-glyph "$tmp/got" && { echo "FAIL missing-glyph ran without a style"; fail=1; }
./medexport --lint --pdf tests/lint/missing-glyph.md >"$tmp/got" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q missing-glyph "$tmp/got" || { echo "FAIL --lint --pdf: exit $rc, no missing-glyph"; fail=1; }
for bad in "--xml" "--style /nonexistent.yaml" "--pdf --xml"; do
	# shellcheck disable=SC2086
	./medexport --lint $bad tests/lint/heading-jump.md >/dev/null 2>&1; rc=$?
	[ $rc -eq 2 ] || { echo "FAIL --lint $bad: exit $rc, not 2"; fail=1; }
done
# --strict converts without --lint (warnings fail: tests/check-strict.sh);
# the lint's other options need it.
./medexport --profile "$tmp/none.yaml" tests/lint/heading-jump.md >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || { echo "FAIL --profile without --lint: exit $rc"; fail=1; }

# A profile turns a check off and changes a severity.
printf 'checks:\n  heading-jump: off\n  missing-section: note\n' >"$tmp/p.yaml"
./medexport --lint --profile "$tmp/p.yaml" tests/lint/heading-jump.md tests/lint/missing-section.md >"$tmp/got" 2>/dev/null; rc=$?
grep -q heading-jump "$tmp/got" && { echo "FAIL profile: heading-jump not off"; fail=1; }
grep -q ': note: no dosage section' "$tmp/got" || { echo "FAIL profile: severity not changed"; fail=1; }
[ $rc -eq 0 ] || { echo "FAIL profile: notes made exit $rc"; fail=1; }
printf 'checks:\n  heading-jump: off\n  heading-jump: error\n' >"$tmp/p.yaml"
./medexport --lint --profile "$tmp/p.yaml" tests/lint/heading-jump.md >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || { echo "FAIL profile with a duplicate key: exit $rc"; fail=1; }

# JSON and SARIF of every test file, with what each must hold.
./medexport --lint --style leaflet-a4 --lint-format=json tests/lint/*.md >"$tmp/l.json" 2>/dev/null
./medexport --lint --style leaflet-a4 --lint-format=sarif tests/lint/*.md >"$tmp/l.sarif" 2>/dev/null
cat tests/lint/*.out | grep -v '^$' | wc -l | tr -d ' ' >"$tmp/count"
python3 - "$tmp/l.json" "$tmp/l.sarif" "$(cat "$tmp/count")" <<'PY' || fail=1
import json, sys
findings = json.load(open(sys.argv[1]))
want = int(sys.argv[3])
assert isinstance(findings, list) and len(findings) == want, (len(findings), want)
for f in findings:
    assert set(f) == {"file", "line", "column", "severity", "check", "message"}, f
    assert f["severity"] in ("error", "warning", "note") and f["line"] >= 1 and f["column"] >= 1
log = json.load(open(sys.argv[2]))
assert log["version"] == "2.1.0" and "$schema" in log
run, = log["runs"]
driver = run["tool"]["driver"]
assert driver["name"] == "medexport" and driver["rules"]
ids = [r["id"] for r in driver["rules"]]
assert len(run["results"]) == want
for r in run["results"]:
    assert r["level"] in ("error", "warning", "note") and r["message"]["text"]
    assert ids[r["ruleIndex"]] == r["ruleId"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] and loc["region"]["startLine"] >= 1
print("ok: JSON (%d findings) and SARIF 2.1.0 (%d results, %d rules)" % (len(findings), len(run["results"]), len(ids)))
PY

# content/ has no errors (its warnings are listed in docs/lint.md).
./medexport --lint -q content/ >"$tmp/content" 2>/dev/null
grep ': error: ' "$tmp/content" && echo "note: content/ has the errors above (docs/lint.md)"

# Planted defects (tests/lintplant.py): one of each check planted into
# content/ and the clean test files must each be found where planted.
python3 tests/lintplant.py ./medexport "$tmp/plant" content/*.md tests/lint/*-ok.md >"$tmp/plant.out" ||
	{ echo "FAIL planted defects missed:"; cat "$tmp/plant.out"; fail=1; }

CORPUS=${CORPUS:-../shared/corpus/rxhive}
if [ -d "$CORPUS" ]; then
	# The same over monographs nobody wrote for these tests.
	find "$CORPUS" -name '*.md' | sort >"$tmp/list"
	# shellcheck disable=SC2046
	if python3 tests/lintplant.py ./medexport "$tmp/cplant" $(cat "$tmp/list") >"$tmp/cplant.out"; then
		echo "corpus planted defects: all found"
	else
		echo "FAIL corpus planted defects missed:"
		fail=1
	fi
	cat "$tmp/cplant.out"
	start=$(date +%s.%N)
	./medexport --lint -q "$CORPUS" >"$tmp/corpus" 2>/dev/null
	rc=$?
	end=$(date +%s.%N)
	[ $rc -le 1 ] || { echo "FAIL corpus: exit $rc"; fail=1; }
	echo "corpus: $(wc -l <"$tmp/corpus") findings in $(python3 -c "print(round($end - $start, 2))") s; per check:"
	sed 's/.*\[\([a-z-]*\)\]$/\1/' "$tmp/corpus" | sort | uniq -c | sort -rn
else
	echo "skip corpus part: $CORPUS is absent"
fi
[ $fail -eq 0 ] && echo "ok: lint"
exit $fail
