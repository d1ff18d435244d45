#!/usr/bin/env bash
# tests/gen/regen-golden.sh: rewrite sparkgen's golden files from the current
# build (what `make golden` runs).  Review the diff before committing it.
#   tests/golden/<example>.yaml         sparkgen examples/<example>.yaml
#   tests/golden/<example>.submit       sparkgen --submit examples/<example>.yaml
#   tests/golden/local-dev.ci.yaml      sparkgen --env ci examples/local-dev.yaml
#   tests/golden/defaults.yaml          sparkgen --defaults
#   examples/gitops/clusters/{dev,prod} sparkgen -o ... --env ... examples/gitops/apps
#                                       (the sample repository; tests/integration checks it)
# SPARKGEN names the binary (default ./sparkgen).
set -eu
cd "$(dirname "$0")/../.."
: "${SPARKGEN:=./sparkgen}"
g=tests/golden
mkdir -p "$g"
for ex in examples/*.yaml; do
	n=$(basename "$ex" .yaml)
	"$SPARKGEN" "$ex" > "$g/$n.yaml"
	"$SPARKGEN" --submit "$ex" > "$g/$n.submit"
done
"$SPARKGEN" --env ci examples/local-dev.yaml > "$g/local-dev.ci.yaml"
"$SPARKGEN" --defaults > "$g/defaults.yaml"
for env in dev prod; do
	"$SPARKGEN" -o "examples/gitops/clusters/$env" --env "$env" examples/gitops/apps
done
echo "regen-golden: wrote $(ls "$g" | wc -l) files in $g" >&2
