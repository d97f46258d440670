#!/bin/sh
# tests/check-deploy.sh - what deploy/ promises, checked as far as this
# machine can (it runs no container engine, so the image is not built):
#   - shards run as separate processes by GNU parallel, as the README's
#     scaling recipe does, write together exactly what one run writes,
#     byte for byte, each file once;
#   - the Kubernetes Indexed Job parses, and its completions match the N of
#     its --shard I/N;
#   - the Containerfile's run-time packages exist in Debian 12's archive
#     (apt-cache), and it installs with make install PREFIX=/usr.
cd "$(dirname "$0")/.." || exit 2
ME=${MEDEXPORT:-$PWD/medexport}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

# A catalogue in folders: the golden inputs and content/, three times over.
for d in a b/c d; do
	mkdir -p "$TMP/in/$d"
	cp tests/golden/*.md content/*.md "$TMP/in/$d/"
done
n=$(find "$TMP/in" -name '*.md' | wc -l)
"$ME" --txt --xml --json -q -j 1 -o "$TMP/one" "$TMP/in" || bad "the single run failed"
if command -v parallel >/dev/null; then
	parallel --will-cite -j 3 "$ME" --txt --xml --json -q -j 1 --shard {}/5 \
		-o "$TMP/shards" "$TMP/in" ::: 0 1 2 3 4 || bad "a shard failed"
	diff -r "$TMP/one" "$TMP/shards" >"$TMP/diff" 2>&1 ||
		bad "five shards under GNU parallel differ from one run: $(head -3 "$TMP/diff")"
	# Each input is in exactly one shard.
	for i in 0 1 2 3 4; do
		"$ME" --txt -q -j 1 --shard $i/5 -o "$TMP/s$i" "$TMP/in" || bad "shard $i failed"
	done
	total=$(find "$TMP"/s? -name '*.txt' | wc -l)
	uniq=$(cd "$TMP" && find s? -name '*.txt' | sed 's|^s[0-9]/||' | sort -u | wc -l)
	[ "$total" -eq "$n" ] && [ "$uniq" -eq "$n" ] ||
		bad "shards hold $total files ($uniq distinct) of $n inputs"
else
	echo "skip: GNU parallel is not installed (scripts/install-deps installs it)"
fi

# The Indexed Job.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" - deploy/medexport-job.yaml <<'EOF' || fail=1
import re, sys
try:
    import yaml
except ImportError:
    print("skip: no PyYAML for the manifest (python3-yaml)")
    sys.exit(0)
job = yaml.safe_load(open(sys.argv[1]))
spec = job["spec"]
problems = []
if job.get("kind") != "Job" or job.get("apiVersion") != "batch/v1":
    problems.append("not a batch/v1 Job")
if spec.get("completionMode") != "Indexed":
    problems.append("not an Indexed Job")
cmd = " ".join(spec["template"]["spec"]["containers"][0]["command"])
m = re.search(r'--shard "?\$JOB_COMPLETION_INDEX/(\d+)', cmd)
if not m:
    problems.append("the command has no --shard $JOB_COMPLETION_INDEX/N")
elif int(m.group(1)) != spec.get("completions"):
    problems.append("--shard I/%s but %s completions" % (m.group(1), spec.get("completions")))
for p in problems:
    print("FAIL deploy/medexport-job.yaml: " + p)
sys.exit(1 if problems else 0)
EOF

# The Containerfile's packages.
pkgs=$(awk '/apt-get install/,/rm -rf/' deploy/Containerfile | tr ' \t\\' '\n\n\n' |
	grep -E '^[a-z0-9][a-z0-9.+-]+$' | grep -vE '^(apt-get|install|rm|update|qq|y|no|recommends|var|lib|apt|lists)$')
[ -n "$pkgs" ] || bad "no packages found in deploy/Containerfile"
if command -v apt-cache >/dev/null; then
	for p in $pkgs; do
		apt-cache show "$p" >/dev/null 2>&1 || bad "deploy/Containerfile installs $p, which Debian's archive does not have"
	done
fi
grep -q 'make install PREFIX=/usr' deploy/Containerfile || bad "the Containerfile does not use make install"

[ $fail = 0 ] && echo "ok: $n inputs in 5 shards under GNU parallel = one run; the Job and the Containerfile's packages"
exit $fail
