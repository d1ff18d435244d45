#!/bin/sh
# make demo: generate the bundled example app and lint the result.
out=${1:-.}
example=examples/network-word-count.yaml
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
echo "\$ sparkgen $example > manifests.yaml" >&2
"$out/sparkgen" "$example" > "$tmp" || exit 2
cat "$tmp"
echo "\$ sparklint manifests.yaml" >&2
"$out/sparklint" "$tmp"
