#!/usr/bin/env bash
# tests/gitops/suite.sh: `sparkgen -o DIR` end to end.  kubectl kustomize
# builds every generated tree into exactly the objects of the stream output;
# a scripted git workflow (generate, commit, --check, edit, --check --diff,
# regenerate, prune) touches only the files it names; foreign files survive;
# failures (an invalid description, a foreign file or a file in the way, a
# symlink out of the tree, a write failing at any single step, a read-only
# tree, an unwritable directory, a full disk) leave the tree exactly as it
# was; names that try to leave DIR are refused; --env trees don't interfere.
# Fault injection uses $TOOLDIR/sparkgen-hooks (sparkgen built with
# -DSK_TEST_HOOKS); mounts need root and unshare, else those checks skip.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

ROOT=$(pwd)
SG=$SPARKGEN
case $SG in /*) ;; *) SG=$ROOT/$SG ;; esac
IN=$ROOT/tests/gitops/inputs
SAME="$PYTHON $ROOT/tests/gitops/same_objects.py"

HOOKS=${TOOLDIR:-build/obj/tools}/sparkgen-hooks
case $HOOKS in /*) ;; *) HOOKS=$ROOT/$HOOKS ;; esac

W=$(t_tmpdir)
trap 'rm -rf "$W"' EXIT
# The render cache (docs/gitops.md) stays in $W, on for every run below.
export SPARKGEN_CACHE=$W/cache

# ---- the command line --------------------------------------------------------

t_run "gitops: --help exits 0" 0 "$SG" --help
help=$T_OUT
t_run "gitops: --help fits a screen (24 lines)" 0 test "$(printf '%s\n' "$help" | wc -l)" -le 24
for o in "-o, --output DIR" "--check" "--diff" "--env NAME"; do
	t_contains "gitops: --help lists $o" "$help" "$o"
done
t_run "gitops: --version" 0 "$SG" --version
t_contains "gitops: ... names the program" "$T_OUT" "sparkgen "
t_run "gitops: --check without -o is a usage error" 2 "$SG" --check examples/nfs.yaml
t_contains "gitops: ... saying so" "$T_ERR" "--check needs -o DIR"
t_run "gitops: --diff without --check is a usage error" 2 "$SG" -o "$W/u" --diff examples/nfs.yaml
t_run "gitops: -o with --json is a usage error" 2 "$SG" -o "$W/u" --json examples/nfs.yaml
t_run "gitops: -o twice is a usage error" 2 "$SG" -o "$W/u" -o "$W/v" examples/nfs.yaml
t_run "gitops: ... and none of them wrote anything" 0 test ! -e "$W/u" -a ! -e "$W/v"
t_run "gitops: --check of a missing tree is stale" 1 "$SG" -o "$W/u" --check examples/nfs.yaml
t_contains "gitops: ... listing what would be added" "$T_OUT" "added $W/u/iot/meter-readings/job-meter-readings-driver.yaml"
t_run "gitops: ... and does not create it" 1 test -e "$W/u"
t_run "gitops: an invalid description writes no new tree" 2 "$SG" -o "$W/u" examples/nfs.yaml "$IN/invalid.yaml"
t_run "gitops: ... not even its directory" 1 test -e "$W/u"

# A directory argument stands for its *.yaml and *.yml files, sorted; hidden
# files, other files and subdirectories are not descriptions.
mkdir -p "$W/dirarg/sub" "$W/emptydir"
cp examples/nfs.yaml "$W/dirarg/b.yml"
cp examples/aws-efs.yaml "$W/dirarg/a.yaml"
cp "$IN/invalid.yaml" "$W/dirarg/.hidden.yaml"
cp "$IN/invalid.yaml" "$W/dirarg/sub/c.yaml"
printf 'not yaml: [\n' >"$W/dirarg/notes.txt"
"$SG" "$W/dirarg/a.yaml" "$W/dirarg/b.yml" >"$W/explicit.yaml" 2>&1
t_run "gitops: a directory argument compiles" 0 "$SG" "$W/dirarg"
t_run "gitops: ... exactly its *.yaml and *.yml files, sorted" 0 \
	test "$T_OUT" = "$(cat "$W/explicit.yaml")"
t_run "gitops: a directory with no description is an error" 2 "$SG" -o "$W/u" "$W/emptydir"
t_contains "gitops: ... saying so" "$T_ERR" "holds no *.yaml or *.yml file"
t_run "gitops: ... and writes nothing" 1 test -e "$W/u"
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
# Names up to 253 bytes are valid; a file name holds 255: a long one keeps its
# start and ends in a hash of the whole name, so two that start alike differ.
mkdir -p "$W/long"
long=$(printf '%s.' $(printf 'a%.0s' $(seq 60)) $(printf 'b%.0s' $(seq 60)) $(printf 'c%.0s' $(seq 60)))
for x in x y; do
	sed "s/^    kind: disk/    kind: disk\n    className: ${long}d-$(printf "$x%.0s" $(seq 67))/; s/name: orders-etl/name: etl-$x/" \
		examples/azure-disk.yaml >"$W/long/etl-$x.yaml"
done
built long-names "$W/long"
files=$(cd "$W/built-long-names" && find . -name 'storageclass-*' | sort)
t_eq "gitops: names of 253 bytes: two files" "$(printf '%s\n' "$files" | wc -l)" "2"
t_eq "gitops: ... of 255 bytes, ending in a hash" \
	"$(printf '%s\n' "$files" | while read -r f; do b=$(basename "$f"); echo "${#b} ${b: -14}"; done | sed 's/-[0-9a-f]\{8\}\.yaml$/-HASH.yaml/')" \
	"$(printf '255 -HASH.yaml\n255 -HASH.yaml')"
t_run "gitops: ... and --check finds the tree current" 0 "$SG" -o "$W/built-long-names" --check "$W/long"
if [ -d "$W/built-examples/_shared" ] && [ -d "$W/built-examples/default/_shared" ]; then
	t_ok "gitops: objects two apps share are written once, under _shared/ and <namespace>/_shared/"
else
	t_fail "gitops: shared objects go to _shared/" "$(cd "$W/built-examples" && find . -maxdepth 2)"
fi
# the two legacy apps share the StorageClass, the staging server and the
# shuffle service: each file exists once, in a _shared directory
for f in storageclass-azurefile.yaml daemonset-shuffle.yaml deployment-spark-resource-staging-server.yaml \
	clusterrole-spark-shuffle-service.yaml; do
	t_run "gitops: shared $f is written exactly once, under _shared" 0 \
		test "$(cd "$W/built-examples" && find . -name "$f")" != "" -a \
		"$(cd "$W/built-examples" && find . -name "$f" | grep -vc '/_shared/')" = 0 -a \
		"$(cd "$W/built-examples" && find . -name "$f" | wc -l)" = 1
done
t_run "gitops: each legacy app keeps its own objects in its directory" 0 \
	test -f "$W/built-examples/default/networkwordcount/serviceaccount-spark.yaml" -a \
	-f "$W/built-examples/default/wordcount-b/serviceaccount-spark-b.yaml"

# ---- determinism -----------------------------------------------------------

"$SG" -o "$W/det" "$W/apps" >/dev/null 2>&1
t_check "gitops: same inputs, byte-identical tree" diff -r "$W/det" "$W/built-examples"
# Apps sharing objects, given in one order and in the other: the same tree
# (two apps share a StorageClass, two others the legacy fork's objects).
mkdir -p "$W/order"
cp "$W/apps/network-word-count.yaml" "$W/apps/network-word-count-b.yaml" "$W/order/"
for x in a b; do
	sed "s/name: clickstream/name: click-$x/" examples/gitops/apps/clickstream.yaml >"$W/order/click-$x.yaml"
done
"$SG" -o "$W/order-1" $(LC_ALL=C ls -d "$W/order"/*.yaml) >/dev/null 2>&1
"$SG" -o "$W/order-2" $(LC_ALL=C ls -d "$W/order"/*.yaml | LC_ALL=C sort -r) >/dev/null 2>&1
t_run "gitops: descriptions in another order, byte-identical tree" 0 diff -r "$W/order-1" "$W/order-2"
t_run "gitops: ... the shared StorageClasses are listed by name" 0 \
	test "$(grep '^- storageclass' "$W/order-1/_shared/kustomization.yaml" | tr '\n' ' ')" = \
	"- storageclass-azurefile.yaml - storageclass-efs-checkpoint.yaml "
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

# A DIR with a blank: the names end in a tab (GNU diff's form), so patch -p0 still applies it.
rm -rf "$W/with space" && "$SG" -o "$W/with space/tree" "$W/apps" >/dev/null 2>&1
sed -i 's/instances: 5/instances: 6/' "$W/apps/nfs.yaml"
(cd "$W" && "$SG" -o "with space/tree" --check --diff apps | sed -n '/^--- /,$p' >"$W/space.diff")
t_check "gitops: --diff with a blank in DIR applies with patch -p0" sh -c 'cd "$1" && patch -s -p0 <space.diff' sh "$W"
t_run "gitops: ... and leaves the tree up to date" 0 "$SG" -o "$W/with space/tree" --check "$W/apps"
# A file that only loses its executable bit has git's header alone, where
# patch splits the names at blanks: they are C-quoted there.
chmod +x "$W/with space/tree/iot/meter-readings/job-meter-readings-driver.yaml"
(cd "$W" && "$SG" -o "with space/tree" --check --diff apps | sed -n '/^diff --git /,$p' >"$W/space-mode.diff")
t_contains "gitops: a mode change with a blank in DIR quotes the names" "$(cat "$W/space-mode.diff")" \
	'diff --git "with space/tree/iot/meter-readings/job-meter-readings-driver.yaml" "with space/'
t_check "gitops: ... and applies with patch -p0" sh -c 'cd "$1" && patch -s -p0 <space-mode.diff' sh "$W"
t_run "gitops: ... and leaves the tree up to date" 0 "$SG" -o "$W/with space/tree" --check "$W/apps"
# A DIR with a tab: the names are C-quoted, as GNU diff writes them.
rm -rf "$W/with"$'\t'"tab" && "$SG" -o "$W/with"$'\t'"tab/tree" "$W/apps" >/dev/null 2>&1
sed -i 's/instances: 6/instances: 7/' "$W/apps/nfs.yaml"
(cd "$W" && "$SG" -o "with"$'\t'"tab/tree" --check --diff apps | sed -n '/^--- /,$p' >"$W/tab.diff")
t_contains "gitops: --diff with a tab in DIR quotes the names" "$(cat "$W/tab.diff")" '--- "with\ttab/tree/'
t_check "gitops: ... and applies with patch -p0" sh -c 'cd "$1" && patch -s -p0 <tab.diff' sh "$W"
t_run "gitops: ... leaving the tree up to date" 0 "$SG" -o "$W/with"$'\t'"tab/tree" --check "$W/apps"
sed -i 's/instances: 7/instances: 5/' "$W/apps/nfs.yaml"

if [ -w /dev/full ]; then
	rm -rf "$W/full-out"
	"$SG" --verbose -o "$W/full-out" "$W/apps" >/dev/full 2>"$W/full.err"
	[ $? = 2 ] && t_ok "gitops: --verbose into a full stdout exits 2" || t_fail "gitops: --verbose into a full stdout exits 2"
	t_contains "gitops: ... saying the tree was written all the same" "$(cat "$W/full.err")" \
		"the tree was written, but the list of what changed could not be"
fi
t_run "gitops: regenerate" 0 "$SG" -o $T "$W/apps"
t_run "gitops: git status shows exactly the files --check named" 0 test "$(porcelain)" = "$check_list"
t_check "gitops: the patched copy equals the regenerated tree" diff -r -x .git "$W/patched/$T" $T
t_run "gitops: --check passes after regenerating" 0 "$SG" -o $T --check "$W/apps"
git add -A && git commit -qm edit

# git records a file's executable bit (100755), not its other permission
# bits: --check names a generated file made executable (and nothing for one
# made group-unreadable), --diff says so in git's form, regenerating clears it.
J=$T/iot/meter-readings/job-meter-readings-driver.yaml K=$T/iot/meter-readings/kustomization.yaml
chmod +x $J && chmod go-r $K && kmode=$(stat -c %a $K)
t_run "gitops: --check exits 1 for a generated file made executable" 1 "$SG" -o $T --check --diff "$W/apps"
t_eq "gitops: ... naming it alone, as git status does" "$(listed "$T_OUT")" "$(porcelain)"
t_contains "gitops: ... its --diff drops the executable bit" "$T_OUT" "diff --git $J $J
old mode 100755
new mode 100644"
printf '%s\n' "$T_OUT" | sed -n '/^diff --git /,$p' >"$W/mode.diff"
rm -rf "$W/patched" && cp -a "$W/repo" "$W/patched"
t_check "gitops: ... which patch -p0 applies" sh -c "cd '$W/patched' && patch -s -p0 <'$W/mode.diff' && test ! -x $J"
t_run "gitops: regenerating clears the executable bit" 0 "$SG" -o $T "$W/apps"
t_run "gitops: ... git status clean" 0 test -z "$(porcelain)" -a ! -x $J
t_run "gitops: ... the other permission bits kept" 0 test "$(stat -c %a $K)" = "$kmode"
chmod a+r $K

# a no-op regeneration touches nothing: same mtimes, clean git status
mtimes() { find "$1" -path "$1/.git" -prune -o -printf '%T@ %p\n' | LC_ALL=C sort; }
touch -d '2001-01-01' $(find $T -type f)
before=$(mtimes $T)
t_run "gitops: a no-op regeneration succeeds" 0 "$SG" -o $T "$W/apps"
t_run "gitops: ... and leaves every mtime unchanged" 0 test "$(mtimes $T)" = "$before"
t_run "gitops: ... and git status clean" 0 test -z "$(porcelain)"

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

# A description that cannot be read is an error, not an app that is gone: a
# dangling symlink (a submodule not checked out) would otherwise prune its
# app's manifests with exit 0; a FIFO would block the read.
ln -s "$W/no-such-dir/shared.yaml" "$W/apps/m-dangling.yaml"
t_run "gitops: a dangling *.yaml symlink in a directory argument is an error" 2 "$SG" -o $T "$W/apps"
t_contains "gitops: ... naming it" "$T_ERR" "cannot open '$W/apps/m-dangling.yaml'"
t_run "gitops: ... and leaves the tree exactly as it was" 0 test "$(snap $T)" = "$before"
t_run "gitops: ... --check says so too" 2 "$SG" -o $T --check "$W/apps"
rm "$W/apps/m-dangling.yaml"
mkfifo "$W/apps/m-fifo.yaml"
t_run "gitops: a FIFO named *.yaml in a directory argument is an error, not a hang" 2 \
	timeout 20 "$SG" -o $T "$W/apps"
t_contains "gitops: ... naming it" "$T_ERR" "'$W/apps/m-fifo.yaml' is not a regular file"
t_run "gitops: ... and leaves the tree exactly as it was" 0 test "$(snap $T)" = "$before"
rm "$W/apps/m-fifo.yaml"

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
t_eq "gitops: ... once, though every file of the namespace is behind it" \
	"$(printf '%s\n' "$T_ERR" | grep -c "refusing to follow symlink '$T/etl'")" "1"
t_run "gitops: ... nothing changed inside or outside" 0 \
	test "$(snap $T)$(snap "$W/outside")" = "$before$outside"
rm $T/etl && mv "$W/outside/etl" $T/etl

mv $T/kustomization.yaml "$W/outside/kustomization.yaml" && ln -s "$W/outside/kustomization.yaml" $T/kustomization.yaml
before=$(snap $T) outside=$(snap "$W/outside")
t_run "gitops: a symlinked file inside the tree is refused" 2 "$SG" -o $T "$W/apps"
t_contains "gitops: ... naming it" "$T_ERR" "refusing to follow symlink '$T/kustomization.yaml'"
t_run "gitops: ... nothing changed inside or outside" 0 \
	test "$(snap $T)$(snap "$W/outside")" = "$before$outside"
t_run "gitops: ... --check refuses it too" 2 "$SG" -o $T --check "$W/apps"
rm $T/kustomization.yaml && mv "$W/outside/kustomization.yaml" $T/kustomization.yaml

sed 's/namespace: pipeline$/namespace: blocked/' "$IN/apps/reports.yaml" >"$W/apps/blocked.yaml"
printf 'a file, not a directory\n' >$T/blocked
before=$(snap $T)
t_run "gitops: a file where a directory must go is an error" 2 "$SG" -o $T "$W/apps"
t_contains "gitops: ... naming it" "$T_ERR" "'$T/blocked' is in the way: not a directory"
t_run "gitops: ... and nothing is written" 0 test "$(snap $T)" = "$before"
rm "$W/apps/blocked.yaml" $T/blocked

# ---- a write failing at any single step -------------------------------------
# The pending run adds an app (new directories), changes two and removes one
# (unlinks, emptied directories).  sparkgen-hooks fails the n-th file-system
# change (mkdir, temp file, write, link, rename, unlink) for n = 1, 2, ...
# until the run gets through; each failed run must leave the tree
# byte-identical and say why.

rm "$W/apps/local-dev.yaml"
if [ ! -x "$HOOKS" ]; then
	t_skip "gitops: an injected write failure at any step leaves the tree intact" "no $HOOKS (make unit)"
else
	before=$(snap $T) bad= n=0
	while n=$((n + 1)); [ $n -le 500 ]; do
		SPARKGEN_DATADIR=$ROOT SPARKGEN_TEST_FAIL_AFTER=$n "$HOOKS" -o $T "$W/apps" >/dev/null 2>"$W/err"
		rc=$?
		[ $rc = 0 ] && break
		if [ $rc != 2 ]; then bad="step $n: exit $rc: $(cat "$W/err")"; break; fi
		if ! grep -q 'Input/output error' "$W/err"; then bad="step $n: no I/O error reported: $(cat "$W/err")"; break; fi
		if [ "$(snap $T)" != "$before" ]; then bad="step $n: the tree changed: $(cat "$W/err")"; break; fi
	done
	if [ -z "$bad" ] && [ $n -gt 20 ] && [ $n -le 500 ]; then
		t_ok "gitops: a write failure injected at each of $((n - 1)) steps leaves the tree byte-identical, exit 2"
	else
		t_fail "gitops: a write failure injected at any step leaves the tree intact" "${bad:-the run needed $n steps}"
	fi
	t_run "gitops: ... and the run that got through wrote the right tree" 0 "$SG" -o $T --check "$W/apps"
	t_run "gitops: ... pruning the removed app's directories" 1 test -e $T/dev
fi
"$SG" -o $T "$W/apps" >/dev/null 2>&1	# in case the hooks are not built
git add -A && git commit -qm 'ingest, no local-dev'

# ---- killed while writing a new tree -----------------------------------------
# A new output directory is built beside it under a hidden name and renamed
# into place.  sparkgen-hooks kills itself (SIGKILL) at the n-th file-system
# change for n = 1, 2, ... until the run gets through: each killed run must
# leave no DIR (or an empty one: the name claimed, the rename not done), and
# nothing beside it but the parent it made and the hidden staging directory;
# the run that gets through writes what a plain run writes.

if [ ! -x "$HOOKS" ]; then
	t_skip "gitops: killed at any step, a new tree is never half-written" "no $HOOKS (make unit)"
else
	K=$W/killed bad= n=0
	"$SG" -o "$W/kill-ref" "$W/apps" >/dev/null 2>&1
	while n=$((n + 1)); [ $n -le 500 ]; do
		rm -rf "$K" && mkdir "$K"
		# a subshell that waits, so that bash's "Killed" goes to /dev/null
		(SPARKGEN_DATADIR=$ROOT SPARKGEN_TEST_KILL_AFTER=$n "$HOOKS" -o "$K/a/tree" \
			"$W/apps"; exit $?) >/dev/null 2>&1
		rc=$?
		[ $rc = 0 ] && break
		if [ $rc != 137 ]; then bad="step $n: exit $rc"; break; fi
		left=$(cd "$K" && find . -mindepth 1 ! -path ./a ! -path './a/.sparkgen-new-*' \
			! \( -path ./a/tree -type d -empty \))	# the name claimed, not renamed yet
		if [ -n "$left" ]; then bad="step $n: left $(echo $left | cut -c1-200)"; break; fi
	done
	if [ -z "$bad" ] && [ $n -gt 20 ] && [ $n -le 500 ]; then
		t_ok "gitops: killed at each of $((n - 1)) steps, a new tree is absent or empty, never half-written"
	else
		t_fail "gitops: killed at any step, a new tree is never half-written" "${bad:-the run needed $n steps}"
	fi
	t_run "gitops: ... and the run that got through wrote the whole tree" 0 \
		diff -r "$W/kill-ref" "$K/a/tree"
	t_run "gitops: ... and nothing beside it" 0 test "$(ls -A "$K/a")" = tree
fi

# ---- Ctrl-C or SIGTERM while committing --------------------------------------
# A cancelled CI job (SIGTERM), Ctrl-C (SIGINT) or a closed terminal (SIGHUP)
# is held off while the commit writes, renames or undoes: sparkgen-hooks
# raises SIGTERM at the n-th file-system change; the run must still write
# the whole update, leave nothing behind, and then end by the signal (143).

if [ ! -x "$HOOKS" ]; then
	t_skip "gitops: a SIGTERM during the commit arrives after it" "no $HOOKS (make unit)"
else
	TS=$W/term bad= n=0
	rm -rf "$TS" && mkdir -p "$TS/old" "$TS/new"
	cp "$W"/apps/*.yaml "$TS/old/" && cp "$W"/apps/*.yaml "$TS/new/"
	sed -i 's/instances: [0-9]*$/instances: 9/' "$TS"/new/*.yaml	# a change in every app
	rm "$(ls "$TS"/new/*.yaml | head -1)"				# and one app removed
	"$SG" -o "$TS/ref" "$TS/new" >/dev/null 2>&1
	while n=$((n + 1)); [ $n -le 500 ]; do
		rm -rf "$TS/tree" && "$SG" -o "$TS/tree" "$TS/old" >/dev/null 2>&1
		(SPARKGEN_DATADIR=$ROOT SPARKGEN_TEST_TERM_AFTER=$n "$HOOKS" -o "$TS/tree" "$TS/new"; exit $?) \
			>/dev/null 2>&1
		rc=$?
		[ $rc = 0 ] && break
		if [ $rc != 143 ]; then bad="step $n: exit $rc"; break; fi
		if ! diff -r "$TS/ref" "$TS/tree" >/dev/null; then bad="step $n: the tree differs from a plain run's"; break; fi
	done
	if [ -z "$bad" ] && [ $n -gt 10 ] && [ $n -le 500 ]; then
		t_ok "gitops: a SIGTERM at each of $((n - 1)) steps of a commit arrives after it: the tree is whole"
	else
		t_fail "gitops: a SIGTERM during the commit arrives after it" "${bad:-the run needed $n steps}"
	fi
	# ... and a new tree, built beside its name
	rm -rf "$TS/fresh"
	(SPARKGEN_DATADIR=$ROOT SPARKGEN_TEST_TERM_AFTER=3 "$HOOKS" -o "$TS/fresh/tree" "$TS/new"; exit $?) \
		>/dev/null 2>&1
	t_eq "gitops: ... a new tree too (exit 143)" "$?" 143
	t_run "gitops: ... written whole, nothing beside it" 0 sh -c \
		'diff -r "$1/ref" "$1/fresh/tree" && test "$(ls -A "$1/fresh")" = tree' sh "$TS"
fi

# ---- read-only tree, unwritable directory, full disk -------------------------

sed -i 's/instances: 6$/instances: 7/' "$W/apps/nfs.yaml"	# a pending change
before=$(snap $T)
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	t_run "gitops: a read-only tree is an error (exit 2)" 2 unshare -m sh -c \
		'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"' \
		sh "$T" "$SG" -o "$T" "$W/apps"
	t_contains "gitops: ... saying why" "$T_ERR" "Read-only file system"
	t_run "gitops: ... and leaves the tree exactly as it was" 0 test "$(snap $T)" = "$before"
else
	t_skip "gitops: a read-only tree is an error" "needs root and unshare -m"
fi

# an unwritable directory: as root, run sparkgen as nobody (root may write anywhere)
# nobody may not reach the checkout (a 0700 temporary clone, a home
# directory): it runs a copy of the program and its data from $W instead.
SGU=$SG
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$W"
	mkdir -p "$W/nobody/bin" "$W/nobody/share/sparkgen"
	cp "$SG" "$W/nobody/bin/sparkgen"
	cp -R "$ROOT/schema" "$ROOT/templates" "$W/nobody/share/sparkgen/"
	chmod -R a+rX "$W/nobody"
	SGU=$W/nobody/bin/sparkgen
	unpriv=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
	chmod a-w $T/iot/meter-readings
	unpriv=()
fi
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
	t_skip "gitops: an unwritable directory is an error" "running as root without setpriv"
else
	t_run "gitops: an unwritable directory is an error (exit 2)" 2 "${unpriv[@]}" "$SGU" -o $T "$W/apps"
	t_contains "gitops: ... naming it" "$T_ERR" "cannot write in '$T/iot/meter-readings': Permission denied"
	t_run "gitops: ... and leaves the tree exactly as it was" 0 test "$(snap $T)" = "$before"
fi
chmod u+w $T/iot/meter-readings
t_run "gitops: the pending change goes through once the tree is writable" 0 "$SG" -o $T "$W/apps"

# a full disk: a small tmpfs in a private mount namespace, filled up
full_disk() {	# full_disk SG APPS DIR: exit 2 expected; 10+ for a broken test
	local sg=$1 apps=$2 d=$3 before
	mount -t tmpfs -o size=512k tmpfs "$d" || exit 77
	"$sg" -o "$d/t" "$apps" >/dev/null || exit 10
	dd if=/dev/zero of="$d/filler" bs=4k 2>/dev/null
	before=$(snap "$d/t")
	"$sg" -o "$d/t" --env prod "$apps"
	rc=$?
	[ "$(snap "$d/t")" = "$before" ] || exit 11
	exit $rc
}
mkdir -p "$W/full"
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	t_run "gitops: a full disk is an error (exit 2) and leaves the tree exactly as it was" 2 \
		unshare -m bash -c "$(declare -f snap full_disk); full_disk \"\$@\"" sh "$SG" "$IN/apps" "$W/full"
	t_contains "gitops: ... saying why" "$T_ERR" "No space left on device"
else
	t_skip "gitops: a full disk leaves the tree intact" "needs root and unshare -m (tmpfs)"
fi

# ---- names that try to leave DIR ---------------------------------------------
# The compiler refuses such names in descriptions; user templates bypass the
# schema, so the tree writer checks every name again.

esc() {	# esc NAME FIELD VALUE: a template set whose extra ConfigMap has FIELD: VALUE
	mkdir -p "$W/esc"
	cp -r "$ROOT/templates" "$W/esc/$1"
	printf 'apiVersion: v1\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\ndata: {}\n' \
		"$( [ "$2" = kind ] && echo "$3" || echo ConfigMap)" \
		"$( [ "$2" = name ] && echo "$3" || echo evil)" \
		"$( [ "$2" = namespace ] && echo "$3" || echo iot)" >"$W/esc/$1/zz-evil.yaml"
}
esc dotdot name '"../../../escaped"'
esc abs name '"/tmp/sparkgen-escaped"'
esc slash name '"a/../../escaped"'
esc nsdotdot namespace '"../../escaped"'
esc nsabs namespace '"/tmp"'
esc kind kind '"../Escaped"'
# An RBAC name is any path segment for the API server, so only the tree refuses 'a..b'.
cp -r "$ROOT/templates" "$W/esc/rbacdots"
printf 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: "a..b", namespace: iot}\n' \
	>"$W/esc/rbacdots/zz-evil.yaml"
mkdir -p "$W/escout"
before=$(snap "$W/escout") outside=$(snap "$W/esc")
for t in dotdot abs slash nsdotdot nsabs rbacdots kind; do
	t_run "gitops: a template name escaping -o DIR ($t) is refused (exit 2)" 2 \
		"$SG" --templates "$W/esc/$t" -o "$W/escout/tree" "$ROOT/examples/nfs.yaml"
	case $t in
	kind|rbacdots) t_contains "gitops: ... by the tree, as an invalid name" "$T_ERR" "to the tree: invalid" ;;
	*) t_contains "gitops: ... by the compiler, as no name the API server takes" "$T_ERR" \
		"zz-evil.yaml:1:1: error: ConfigMap " ;;
	esac
done
t_contains "gitops: ... naming the kind when that is the problem" "$T_ERR" "invalid kind '../Escaped'"
t_run "gitops: ... and nothing was written anywhere" 0 \
	test "$(snap "$W/escout")$(snap "$W/esc")" = "$before$outside" -a ! -e /tmp/sparkgen-escaped
# An RBAC name may hold ':' too: the file name has '_' instead (no ':' in a
# Windows file name, where git could not check it out), the object its name.
cp -r "$ROOT/templates" "$W/colon"
sed -i 's/name: ${names.role}$/name: "${names.role}:x"/' "$W/colon/rbac.yaml"
t_run "gitops: an RBAC name with ':' goes to the tree" 0 \
	"$SG" --templates "$W/colon" -o "$W/colon-tree" "$ROOT/examples/nfs.yaml"
role=$W/colon-tree/iot/meter-readings/role-meter-readings-driver_x.yaml
t_run "gitops: ... in a file named with '_'" 0 test -f "$role"
t_contains "gitops: ... holding the name as it is" "$(cat "$role" 2>&1)" "name: meter-readings-driver:x"
t_run "gitops: ... and --check passes" 0 \
	"$SG" --templates "$W/colon" -o "$W/colon-tree" --check "$ROOT/examples/nfs.yaml"
t_run "gitops: ... as does sha256sum -c on the index" 0 \
	sh -c 'cd "$1" && sha256sum -c --quiet .sparkgen-index' sh "$W/colon-tree"
if command -v kubectl >/dev/null; then
	"$SG" --templates "$W/colon" "$ROOT/examples/nfs.yaml" >"$W/colon.yaml" 2>&1
	kubectl kustomize "$W/colon-tree" >"$W/colon-kust.yaml" 2>&1
	t_check "gitops: ... and kubectl kustomize builds the stream's objects" \
		$SAME "$W/colon-kust.yaml" "$W/colon.yaml"
else
	t_skip "gitops: ... and kubectl kustomize builds the stream's objects" "kubectl not installed"
fi
sed 's/^  name: meter-readings$/  name: ..\/escaped/' "$ROOT/examples/nfs.yaml" >"$W/escname.yaml"
sed 's/^  namespace: iot$/  namespace: \/tmp/' "$ROOT/examples/nfs.yaml" >"$W/escns.yaml"
t_run "gitops: a description whose app.name escapes is refused (exit 2)" 2 "$SG" -o "$W/escout/tree" "$W/escname.yaml"
t_run "gitops: a description whose app.namespace is absolute is refused (exit 2)" 2 "$SG" -o "$W/escout/tree" "$W/escns.yaml"
t_run "gitops: ... and nothing was written" 0 test "$(snap "$W/escout")" = "$before"

# ---- environments -----------------------------------------------------------

t_run "gitops: --env dev tree" 0 "$SG" -o clusters/dev --env dev "$IN/apps"
t_run "gitops: --env prod tree" 0 "$SG" -o clusters/prod-env --env prod "$IN/apps"
t_run "gitops: the dev tree is still up to date after writing prod" 0 \
	"$SG" -o clusters/dev --check --env dev "$IN/apps"
t_run "gitops: the prod tree is up to date" 0 "$SG" -o clusters/prod-env --check --env prod "$IN/apps"
t_run "gitops: dev and prod trees differ" 1 diff -rq clusters/dev clusters/prod-env
t_run "gitops: --check of dev against prod's environment is stale" 1 \
	"$SG" -o clusters/dev --check --env prod "$IN/apps"
# -o DIR/ or DIR//: every message names DIR/FILE, never DIR//FILE
printf '# edited\n' >>clusters/dev/kustomization.yaml
t_run "gitops: -o DIR// --check is -o DIR --check" 1 "$SG" -o clusters/dev// --check --env prod "$IN/apps"
t_contains "gitops: ... in the list" "$T_OUT" "changed clusters/dev/.sparkgen-index"
t_contains "gitops: ... and in warnings" "$T_ERR" \
	"clusters/dev/kustomization.yaml: warning: 'clusters/dev/kustomization.yaml' was edited by hand"
t_eq "gitops: ... no path with '//'" "$(printf '%s\n%s\n' "$T_OUT" "$T_ERR" | grep -c //)" 0
t_run "gitops: -o ./DIR/ --verbose is -o ./DIR" 0 "$SG" -o ./clusters/dev/ --verbose --env dev "$IN/apps"
t_eq "gitops: ... in the list" "$T_OUT" "changed ./clusters/dev/kustomization.yaml"
t_contains "gitops: ... and in warnings" "$T_ERR" "'./clusters/dev/kustomization.yaml' was edited by hand"
printf 'junk\n' >clusters/dev/.sparkgen-index
t_run "gitops: -o DIR/// with a damaged index" 2 "$SG" -o clusters/dev/// --env dev "$IN/apps"
t_contains "gitops: ... names DIR/.sparkgen-index" "$T_ERR" \
	"clusters/dev/.sparkgen-index:1: error: 'clusters/dev/.sparkgen-index' is not a sparkgen index"
rm clusters/dev/.sparkgen-index && "$SG" -o clusters/dev --env dev "$IN/apps" >/dev/null 2>&1
t_run "gitops: ... which a run recovers" 0 "$SG" -o clusters/dev --check --env dev "$IN/apps"

# The tree takes the same overlay as the stream: a null deletes the key, so
# the dev tree is the tree of the description without the keys.
mkdir -p "$W/nullenv"
sed -e '/^environments:/,$d' -e '/spark.sql.shuffle.partitions: 48/d' -e '/fatalExitCodes: \[3\]/d' \
	"$ROOT/tests/gen/good/env-null-deletes.yaml" >"$W/nullenv/bare.yaml"
t_run "gitops: --env dev tree of an overlay with nulls" 0 \
	"$SG" -o "$W/nullenv/dev" --env dev "$ROOT/tests/gen/good/env-null-deletes.yaml"
t_run "gitops: ... and of the description without those keys" 0 "$SG" -o "$W/nullenv/bare" "$W/nullenv/bare.yaml"
t_run "gitops: ... are the same objects" 0 diff -r -x .sparkgen-index "$W/nullenv/dev" "$W/nullenv/bare"
t_run "gitops: ... with no sign of the deleted keys" 1 \
	grep -r -e spark.sql.shuffle.partitions -e onExitCodes "$W/nullenv/dev"

# ---- the render cache ----------------------------------------------------------
# An app whose inputs (description, schema, templates, --env, the build) are
# unchanged is taken from the cache instead of compiled; the tree must come
# out exactly as without the cache, and nothing stale may pass for up to
# date: not a changed description or template, not a hand-edited file.
# Counting reused apps needs sparkgen-hooks (SPARKGEN_TEST_CACHE_STATS);
# it is a different build than $SG, so their cache entries never match.

C=$W/rc
export SPARKGEN_CACHE=$C/cache
mkdir -p "$C/apps"
cp "$W/apps/network-word-count-b.yaml" "$ROOT"/examples/*.yaml "$C/apps/"	# _shared/ too
cp -r "$ROOT/templates" "$C/tmpl"
nocache() { SPARKGEN_CACHE=off "$SG" --templates "$C/tmpl" "$@"; }
G=("$SG" --templates "$C/tmpl")
nocache -o "$C/ref" "$C/apps" >/dev/null 2>&1
t_run "gitops: cache: SPARKGEN_CACHE=off writes no cache" 0 test ! -e "$C/cache"
# a tree written without a cache (as by an earlier sparkgen): a no-op, cache filled
cp -a "$C/ref" "$C/old"
touch -d '2001-01-01' $(find "$C/old" -type f)
t_run "gitops: cache: --check of a tree written without a cache passes" 0 "${G[@]}" -o "$C/old" --check "$C/apps"
t_run "gitops: cache: ... and writes no cache" 0 test ! -e "$C/cache"
t_run "gitops: cache: regenerating it" 0 "${G[@]}" -o "$C/old" "$C/apps"
t_run "gitops: cache: ... rewrites nothing" 0 test -z "$(find "$C/old" -type f -newermt '2002-01-01')"
t_run "gitops: cache: ... and fills the cache" 0 test -n "$(find "$C/cache" -type f -name 'tree-*')"
rm -rf "$C/cache"
t_run "gitops: cache: a run fills the cache" 0 "${G[@]}" -o "$C/t" "$C/apps"
t_run "gitops: cache: ... one private file for the tree" 0 \
	test "$(find "$C/cache" -type f -name 'tree-*' -perm 600 | wc -l)" = 1
t_check "gitops: cache: ... and the tree is the one written without a cache" diff -r "$C/ref" "$C/t"
rm -rf "$C/t"
t_run "gitops: cache: a new tree from a warm cache" 0 "${G[@]}" -o "$C/t" "$C/apps"
t_check "gitops: cache: ... is byte-identical to the one written without a cache" diff -r "$C/ref" "$C/t"
touch -d '2001-01-01' $(find "$C/t" -type f)
t_run "gitops: cache: a cached no-op succeeds" 0 "${G[@]}" -o "$C/t" "$C/apps"
t_run "gitops: cache: ... and rewrites nothing" 0 test -z "$(find "$C/t" -type f -newermt '2002-01-01')"
t_run "gitops: cache: --check of the cached tree passes" 0 "${G[@]}" -o "$C/t" --check "$C/apps"

# a hand-edited file, a deleted one: --check names them, a run restores them
printf '# edited\n' >>"$C/t/iot/meter-readings/job-meter-readings-driver.yaml"
rm "$C/t/default/_shared/daemonset-shuffle.yaml"
t_run "gitops: cache: --check of a hand-edited tree is stale" 1 "${G[@]}" -o "$C/t" --check "$C/apps"
t_eq "gitops: cache: ... naming the edited and the deleted file" "$T_OUT" \
"added $C/t/default/_shared/daemonset-shuffle.yaml
changed $C/t/iot/meter-readings/job-meter-readings-driver.yaml"
t_run "gitops: cache: a run restores them" 0 "${G[@]}" -o "$C/t" "$C/apps"
t_contains "gitops: cache: ... warning about the edit" "$T_ERR" "was edited by hand"
t_check "gitops: cache: ... exactly" diff -r "$C/ref" "$C/t"

# a changed description, a changed template
sed -i 's/instances: 4/instances: 5/' "$C/apps/nfs.yaml"
t_run "gitops: cache: --check after a description changed is stale" 1 "${G[@]}" -o "$C/t" --check "$C/apps"
t_contains "gitops: cache: ... naming its driver Job" "$T_OUT" "changed $C/t/iot/meter-readings/job-meter-readings-driver.yaml"
t_run "gitops: cache: regenerate" 0 "${G[@]}" -o "$C/t" "$C/apps"
nocache -o "$C/ref2" "$C/apps" >/dev/null 2>&1
t_check "gitops: cache: ... gives the tree written without a cache" diff -r "$C/ref2" "$C/t"
# one app of the two sharing objects compiled, the other cached: still shared
sed -i 's/instances: 2$/instances: 3/' "$C/apps/network-word-count-b.yaml"
t_run "gitops: cache: regenerate with one of two sharing apps changed" 0 "${G[@]}" -o "$C/t" "$C/apps"
nocache -o "$C/ref2b" "$C/apps" >/dev/null 2>&1
t_check "gitops: cache: ... gives the tree written without a cache" diff -r "$C/ref2b" "$C/t"
t_run "gitops: cache: ... the shared objects stay in _shared/" 0 test -f "$C/t/default/_shared/daemonset-shuffle.yaml"
# an app removed: pruned as without the cache
mv "$C/apps/aws-efs.yaml" "$C/aws-efs.yaml"
t_run "gitops: cache: --check after an app was removed is stale" 1 "${G[@]}" -o "$C/t" --check "$C/apps"
t_contains "gitops: cache: ... listing its files as removed" "$T_OUT" "removed $C/t/streaming/clickstream/kustomization.yaml"
t_run "gitops: cache: prune it" 0 "${G[@]}" -o "$C/t" "$C/apps"
t_run "gitops: cache: ... its directory is gone" 1 test -e "$C/t/streaming"
mv "$C/aws-efs.yaml" "$C/apps/aws-efs.yaml"
t_run "gitops: cache: ... and back" 0 "${G[@]}" -o "$C/t" "$C/apps"
t_check "gitops: cache: ... as before" diff -r "$C/ref2b" "$C/t"
sed -i 's/component: spark-driver$/component: spark-driver-x/' "$C/tmpl/job.yaml"
t_run "gitops: cache: --check after a template changed is stale" 1 "${G[@]}" -o "$C/t" --check "$C/apps"
t_contains "gitops: cache: ... naming every driver Job" "$T_OUT" "changed $C/t/analytics/sessions/job-sessions-driver.yaml"
t_run "gitops: cache: regenerate" 0 "${G[@]}" -o "$C/t" "$C/apps"
nocache -o "$C/ref3" "$C/apps" >/dev/null 2>&1
t_check "gitops: cache: ... gives the tree written without a cache" diff -r "$C/ref3" "$C/t"
t_run "gitops: cache: --check with a template directory of the same content passes" 0 \
	"$SG" --templates "$C/tmpl/" -o "$C/t" --check "$C/apps"

# --env: the other environment's renderings do not count
"${G[@]}" -o "$C/e" --env dev "$IN/apps" >/dev/null 2>&1
t_run "gitops: cache: --check against another environment is stale" 1 \
	"${G[@]}" -o "$C/e" --check --env prod "$IN/apps"

# warnings: an app that warns is compiled (and warns) every run
sed 's|args: \[file:///checkpoint\]|args: [--no-checkpoint-here]|' "$ROOT/examples/nfs.yaml" >"$C/warn.yaml"
for i in 1 2; do
	t_run "gitops: cache: an app with a warning, run $i" 0 "${G[@]}" -o "$C/w" "$C/warn.yaml"
	t_contains "gitops: cache: ... prints the warning" "$T_ERR" "no argument of the DStreams app points into the checkpoint"
done

rm -rf "$C/cache"
t_run "gitops: cache: --check writes no cache" 0 "${G[@]}" -o "$C/t" --check "$C/apps"
t_run "gitops: cache: ... not even a directory" 0 test ! -e "$C/cache"

if [ ! -x "$HOOKS" ]; then
	t_skip "gitops: cache: apps with unchanged inputs are reused" "no $HOOKS (make unit)"
else
	H=(env SPARKGEN_DATADIR="$ROOT" SPARKGEN_TEST_CACHE_STATS=1 "$HOOKS" --templates "$C/tmpl")
	t_run "gitops: cache: a run of another build" 0 "${H[@]}" -o "$C/t" "$C/apps"
	t_contains "gitops: cache: ... reuses none of its entries" "$T_ERR" "render cache: 0 of 7 apps reused"
	t_run "gitops: cache: a no-op" 0 "${H[@]}" -o "$C/t" "$C/apps"
	t_contains "gitops: cache: ... reuses every app" "$T_ERR" "render cache: 7 of 7 apps reused"
	sed -i 's/instances: 5/instances: 6/' "$C/apps/nfs.yaml"
	t_run "gitops: cache: --check after a description changed" 1 "${H[@]}" -o "$C/t" --check "$C/apps"
	t_contains "gitops: cache: ... compiles that one" "$T_ERR" "render cache: 6 of 7 apps reused"
	t_contains "gitops: cache: ... and reports it stale" "$T_OUT" "changed $C/t/iot/meter-readings/job-meter-readings-driver.yaml"
	t_run "gitops: cache: regenerate" 0 "${H[@]}" -o "$C/t" "$C/apps"
	printf 'x' >>"$C/t/iot/meter-readings/job-meter-readings-driver.yaml"
	t_run "gitops: cache: --check of a hand edit with every app reused" 1 "${H[@]}" -o "$C/t" --check "$C/apps"
	t_contains "gitops: cache: ... reuses them" "$T_ERR" "render cache: 7 of 7 apps reused"
	t_contains "gitops: cache: ... and still names the edited file" "$T_OUT" "changed $C/t/iot/meter-readings/job-meter-readings-driver.yaml"
	"${H[@]}" -o "$C/t" "$C/apps" >/dev/null 2>&1
	sed -i 's/spark-driver-x$/spark-driver-y/' "$C/tmpl/job.yaml"
	t_run "gitops: cache: --check after a template changed" 1 "${H[@]}" -o "$C/t" --check "$C/apps"
	t_contains "gitops: cache: ... reuses nothing" "$T_ERR" "render cache: 0 of 7 apps reused"
	"${H[@]}" -o "$C/t" "$C/apps" >/dev/null 2>&1
	f=$(find "$C/cache" -name 'tree-*')
	for damage in truncate garbage; do
		cp "$f" "$C/saved"
		case $damage in
		truncate) head -c 5000 "$C/saved" >"$f" ;;
		garbage) sed -i 's/kind: Job/kind: Jab/' "$f" ;;
		esac
		t_run "gitops: cache: a damaged cache file ($damage)" 0 "${H[@]}" -o "$C/t" --check "$C/apps"
		t_contains "gitops: cache: ... is ignored" "$T_ERR" "render cache: 0 of 7 apps reused"
		cp "$C/saved" "$f"
	done
	chmod g+w "$f"
	t_run "gitops: cache: a cache file others may write" 0 "${H[@]}" -o "$C/t" --check "$C/apps"
	t_contains "gitops: cache: ... is ignored" "$T_ERR" "render cache: 0 of 7 apps reused"
	chmod 600 "$f"
	t_run "gitops: cache: --verbose" 0 "${H[@]}" -o "$C/t" --verbose "$C/apps"
	t_contains "gitops: cache: ... compiles every app (template print() must run)" "$T_ERR" "render cache: 0 of 7 apps reused"
fi
export SPARKGEN_CACHE=$W/cache

cd "$ROOT"
exit 0
