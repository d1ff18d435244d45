#!/usr/bin/env bash
# tests/fuzz/seed.sh: (re)build the seed corpora tests/fuzz/corpus/<target>/
# from the project's fixtures.  Run by hand after fixtures change; the
# result is committed.  Each seed is named after its source path ('/' -> '_')
# so a finding can be traced back.  Bounded: at most MAX_FILES seeds of at
# most MAX_BYTES each per target.
set -eu
cd "$(dirname "$0")/../.."
MAX_FILES=250
MAX_BYTES=65536
dst=tests/fuzz/corpus

# seed TARGET FILE...: copy the files that exist into the target's corpus.
seed() {
	local t=$1 f n; shift
	mkdir -p "$dst/$t"
	n=$(find "$dst/$t" -type f | wc -l)
	for f in "$@"; do
		[ -f "$f" ] || continue
		[ "$(stat -c %s "$f")" -le "$MAX_BYTES" ] || continue
		[ "$n" -lt "$MAX_FILES" ] || break
		cp "$f" "$dst/$t/${f//\//_}"
		n=$((n + 1))
	done
}

# json_seeds TARGET FILE...: the YAML files' documents as JSON (one value
# per seed), through Debian's python with PyYAML when it is there.
json_seeds() {
	local t=$1; shift
	mkdir -p "$dst/$t"
	/usr/bin/python3 - "$dst/$t" "$@" <<'EOF' || true
import json, sys, yaml
out = sys.argv[1]
for path in sys.argv[2:]:
    try:
        docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d is not None]
    except Exception:
        continue
    for i, d in enumerate(docs[:3]):
        try:
            s = json.dumps(d, ensure_ascii=False, default=str)
        except Exception:
            continue
        name = "%s/%s.%d.json" % (out, path.replace("/", "_"), i)
        open(name, "w", encoding="utf-8").write(s)
EOF
}

rm -rf "${dst:?}"/{ydoc,yemit,luahost,gen,tmpl,lint}
shopt -s nullglob

yaml_fixtures=(tests/oracle/corpus/* tests/hostile/cases/* examples/*.yaml
	templates/*.yaml tests/emit/golden.yaml tests/rules/*/*.yaml)
seed ydoc "${yaml_fixtures[@]}"

seed yemit tests/emit/golden.json
json_seeds yemit tests/oracle/corpus/*.yaml examples/*.yaml templates/*.yaml \
	tests/rules/spark-driver-*/pass.yaml

seed luahost tests/sandbox/*.lua rules/*.lua rules/lib/*.lua templates/lib.lua

seed gen examples/*.yaml tests/gen/*/*.yaml tests/cli/*/*.yaml
seed tmpl templates/*.yaml
seed lint tests/rules/*/*.yaml tests/oracle/corpus/k8s.yaml \
	tests/oracle/corpus/multidoc.yaml tests/lint/unused/*.yaml

# The render cache files sparkgen writes for the examples, without the magic
# line and the checksum line, which fuzz_cache adds (needs ./sparkgen).
if [ -x ./sparkgen ]; then
	mkdir -p "$dst/cache"
	c=$(mktemp -d)
	for f in examples/*.yaml; do
		rm -rf "$c/cache" "$c/tree"
		SPARKGEN_CACHE=$c/cache ./sparkgen -o "$c/tree" "$f" >/dev/null 2>&1 || continue
		sed '1d;$d' "$c"/cache/tree-* >"$dst/cache/examples_$(basename "$f" .yaml)"
	done
	rm -rf "$c"
fi

# Hand-written seeds that reach what the fixtures do not, and inputs found
# while fuzzing (found-<sha1>) that add the most coverage over the fixtures.
for d in tests/fuzz/seeds/*/; do
	seed "$(basename "$d")" "$d"*
done

for d in "$dst"/*/; do
	printf '%-10s %4d files %6d KB\n' "$(basename "$d")" \
		"$(find "$d" -type f | wc -l)" "$(du -sk "$d" | cut -f1)"
done
