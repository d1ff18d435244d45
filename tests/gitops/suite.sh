#!/usr/bin/env bash
# tests/gitops/suite.sh: `sparkgen -o DIR` end to end.  kubectl kustomize
# builds every generated tree into exactly the objects of the stream output;
# a scripted git workflow (generate, commit, --check, edit, --check --diff,
# regenerate, prune) touches only the files it names; foreign files survive;
# failures (an invalid description, a foreign file in the way, a symlink out
# of the tree) leave the tree exactly as it was; --env trees don't interfere.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

ROOT=$(pwd)
SG=$SPARKGEN
case $SG in /*) ;; *) SG=$ROOT/$SG ;; esac
IN=$ROOT/tests/gitops/inputs
SAME="$PYTHON $ROOT/tests/gitops/same_objects.py"

if ! "$SG" --help 2>&1 | grep -Eq '(^|[[:space:][,])-o([[:space:],]|$)'; then
	t_skip "gitops: tree writer" "sparkgen -o not wired yet"
	exit 0
fi

W=$(t_tmpdir)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/apps" "$W/repo"
cp examples/*.yaml "$W/apps/"
# a second legacy app sharing the StorageClass, shuffle service and staging server
sed -e 's/name: networkwordcount/name: wordcount-b/' -e 's/serviceAccount: spark$/serviceAccount: spark-b/' \
	examples/network-word-count.yaml >"$W/apps/network-word-count-b.yaml"

# snap DIR: every path below DIR with its type and content hash (no .git)
snap() { (cd "$1" && find . -path ./.git -prune -o -printf '%y %p %l\n' | LC_ALL=C sort &&
	  find . -path ./.git -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum); }
# listed OUTPUT: the paths of the "added|changed|removed PATH" lines, sorted
listed() { printf '%s\n' "$1" | sed -n -E 's/^(added|changed|removed) //p' | LC_ALL=C sort; }
# porcelain: the paths git reports as changed, sorted
porcelain() { git -C "$W/repo" status --porcelain -uall | cut -c4- | LC_ALL=C sort; }

# ---- kustomize builds exactly the stream -----------------------------------

# built NAME SG-ARGS...: generate a tree and the stream from the same inputs; compare.
# The stream gets a directory argument as its *.yaml files.
built() {
	local name=$1 dir="$W/built-$1" out a; shift
	local files=()
	for a in "$@"; do
		if [ -d "$a" ]; then files+=("$a"/*.yaml); else files+=("$a"); fi
	done
	if ! out=$("$SG" -o "$dir" "$@" 2>&1); then t_fail "gitops: $name: sparkgen -o" "$out"; return; fi
	if ! "$SG" "${files[@]}" >"$W/stream.yaml" 2>"$W/err"; then
		t_fail "gitops: $name: stream" "$(cat "$W/err")"; return; fi
	if ! command -v kubectl >/dev/null; then
		t_skip "gitops: $name: kubectl kustomize builds the stream's objects" "kubectl not installed"; return; fi
	if ! kubectl kustomize "$dir" >"$W/kust.yaml" 2>"$W/err"; then
		t_fail "gitops: $name: kubectl kustomize" "$(cat "$W/err")"; return; fi
	if out=$($SAME "$W/kust.yaml" "$W/stream.yaml" 2>&1); then
		t_ok "gitops: $name: kubectl kustomize builds exactly the stream's objects ($out)"
	else
		t_fail "gitops: $name: kubectl kustomize builds exactly the stream's objects" "$out"
	fi
}
built examples "$W/apps"
for f in examples/*.yaml; do built "$(basename "$f" .yaml)" "$f"; done
built env-dev --env dev "$IN/apps"
built env-prod --env prod "$IN/apps"
if [ -d "$W/built-examples/_shared" ] && [ -d "$W/built-examples/default/_shared" ]; then
	t_ok "gitops: objects two apps share are written once, under _shared/ and <namespace>/_shared/"
else
	t_fail "gitops: shared objects go to _shared/" "$(cd "$W/built-examples" && find . -maxdepth 2)"
fi

# ---- determinism -----------------------------------------------------------

"$SG" -o "$W/det" "$W/apps" >/dev/null 2>&1
t_check "gitops: same inputs, byte-identical tree" diff -r "$W/det" "$W/built-examples"
touch -d '2001-01-01' $(find "$W/det" -type f)
"$SG" -o "$W/det" "$W/apps" >/dev/null 2>&1
t_run "gitops: a run that changes nothing rewrites nothing (mtimes kept)" 0 \
	test -z "$(find "$W/det" -type f -newermt '2002-01-01')"

# ---- the git workflow ------------------------------------------------------

cd "$W/repo"
git init -q . && git config user.email t@example.com && git config user.name test
T=clusters/prod
t_run "gitops: generate into a fresh repository" 0 "$SG" -o $T "$W/apps"
printf 'hand-written\n' >$T/README.md
printf 'notes\n' >$T/streaming/clickstream/NOTES.md
git add -A && git commit -qm generated
t_run "gitops: --check passes on a tree it just wrote" 0 "$SG" -o $T --check "$W/apps"
t_run "gitops: --check prints nothing when up to date" 0 test -z "$T_OUT"

sed -i 's/instances: 4/instances: 5/' "$W/apps/nfs.yaml"
t_run "gitops: --check exits 1 after a description changed" 1 "$SG" -o $T --check "$W/apps"
check_out=$T_OUT check_list=$(listed "$T_OUT")
t_run "gitops: --check names only files of the edited app (and the index)" 0 \
	test -z "$(printf '%s\n' "$check_list" | grep -v -e "^$T/iot/meter-readings/" -e "^$T/.sparkgen-index$")"
t_contains "gitops: --check names the driver Job" "$check_out" "changed $T/iot/meter-readings/job-meter-readings-driver.yaml"
t_run "gitops: --check wrote nothing" 0 test -z "$(porcelain)"

t_run "gitops: --check --diff exits 1" 1 "$SG" -o $T --check --diff "$W/apps"
printf '%s\n' "$T_OUT" | sed -n '/^--- /,$p' >"$W/check.diff"
t_contains "gitops: --diff shows the changed line" "$T_OUT" "+        - spark.executor.instances=5"
rm -rf "$W/patched" && cp -a "$W/repo" "$W/patched"
t_check "gitops: the --diff output applies as a patch" sh -c "cd '$W/patched' && patch -s -p0 <'$W/check.diff'"

t_run "gitops: regenerate" 0 "$SG" -o $T "$W/apps"
t_run "gitops: git status shows exactly the files --check named" 0 test "$(porcelain)" = "$check_list"
t_check "gitops: the patched copy equals the regenerated tree" diff -r -x .git "$W/patched/$T" $T
t_run "gitops: --check passes after regenerating" 0 "$SG" -o $T --check "$W/apps"
git add -A && git commit -qm edit

# remove an app: its files (and directories) are pruned
rm "$W/apps/gcp-filestore.yaml"
t_run "gitops: --check lists a removed app's files" 1 "$SG" -o $T --check "$W/apps"
t_contains "gitops: ... as removed" "$T_OUT" "removed $T/analytics/sessions/job-sessions-driver.yaml"
check_list=$(listed "$T_OUT")
t_run "gitops: regenerate without the app" 0 "$SG" -o $T "$W/apps"
t_run "gitops: the removed app's files and directories are pruned" 1 test -e $T/analytics
t_run "gitops: git status shows exactly the files --check named" 0 test "$(porcelain)" = "$check_list"
git add -A && git commit -qm prune

rm "$W/apps/aws-efs.yaml"	# the app with a foreign NOTES.md in its directory
t_run "gitops: prune an app whose directory holds a foreign file" 0 "$SG" -o $T "$W/apps"
t_run "gitops: ... its generated files are gone" 1 test -e $T/streaming/clickstream/kustomization.yaml
t_run "gitops: foreign files survive every step" 0 \
	test "$(cat $T/README.md $T/streaming/clickstream/NOTES.md)" = "$(printf 'hand-written\nnotes')"
git add -A && git commit -qm prune2

# ---- failures leave the tree exactly as it was ------------------------------

before=$(snap $T)
sed -i 's/instances: 5/instances: 6/' "$W/apps/nfs.yaml"
cp "$IN/invalid.yaml" "$W/apps/m-invalid.yaml"	# sorts between the valid ones
t_run "gitops: an invalid description mid-run is an error" 2 "$SG" -o $T "$W/apps"
t_contains "gitops: ... reported with its position" "$T_ERR" "m-invalid.yaml:8:3:"
t_run "gitops: ... and leaves the tree exactly as it was" 0 test "$(snap $T)" = "$before"
rm "$W/apps/m-invalid.yaml"

cp "$IN/apps/ingest.yaml" "$W/apps/ingest.yaml"
mkdir -p $T/pipeline/ingest && printf 'mine\n' >$T/pipeline/ingest/kustomization.yaml
before=$(snap $T)
t_run "gitops: a foreign file where a generated one goes is an error (exit 2)" 2 "$SG" -o $T "$W/apps"
t_contains "gitops: ... naming the file" "$T_ERR" "'$T/pipeline/ingest/kustomization.yaml' exists and was not written by sparkgen"
t_run "gitops: ... and nothing is written" 0 test "$(snap $T)" = "$before"
t_run "gitops: --check reports the clash as an error too" 2 "$SG" -o $T --check "$W/apps"
rm -rf $T/pipeline

mkdir -p "$W/outside"
mv $T/etl "$W/outside/etl" && ln -s "$W/outside/etl" $T/etl
before=$(snap $T) outside=$(snap "$W/outside")
sed -i 's/instances: 2$/instances: 3/' "$W/apps/azure-disk.yaml"
t_run "gitops: a symlink inside the tree pointing outside is refused" 2 "$SG" -o $T "$W/apps"
t_contains "gitops: ... with a clear message" "$T_ERR" "refusing to follow symlink '$T/etl'"
t_run "gitops: ... nothing changed inside or outside" 0 \
	test "$(snap $T)$(snap "$W/outside")" = "$before$outside"
rm $T/etl && mv "$W/outside/etl" $T/etl

# ---- environments -----------------------------------------------------------

t_run "gitops: --env dev tree" 0 "$SG" -o clusters/dev --env dev "$IN/apps"
t_run "gitops: --env prod tree" 0 "$SG" -o clusters/prod-env --env prod "$IN/apps"
t_run "gitops: the dev tree is still up to date after writing prod" 0 \
	"$SG" -o clusters/dev --check --env dev "$IN/apps"
t_run "gitops: the prod tree is up to date" 0 "$SG" -o clusters/prod-env --check --env prod "$IN/apps"
t_run "gitops: dev and prod trees differ" 1 diff -rq clusters/dev clusters/prod-env
t_run "gitops: --check of dev against prod's environment is stale" 1 \
	"$SG" -o clusters/dev --check --env prod "$IN/apps"

cd "$ROOT"
exit 0
