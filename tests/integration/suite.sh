#!/usr/bin/env bash
# tests/integration/suite.sh: where users meet sparkgen and sparklint.
#  - examples/gitops: the committed trees are what sparkgen generates now,
#    and the sample repository lints clean with its own configuration;
#  - pre-commit: `pre-commit try-repo` runs this repository's hooks against a
#    scratch git repository: a bad manifest is blocked, a clean one passes
#    (and sees the repository as --context), a stale tree is reported;
#    through real `git commit`s, deleting (or renaming away) a manifest that
#    an unchanged file refers to is blocked, and so is taking such an object
#    out of a file (a document deleted, renamed, moved to another
#    namespace), a commit without YAML does not run sparklint, one with
#    YAML deleting nothing runs no pipeline and lints only the staged files,
#    and so does one renaming a manifest; the objects compared (those of
#    deleted files too: deleting an excluded template or a JSON document
#    takes nothing out and runs no lint) are those the lint's
#    context loads, with the configuration the lint reads (an object moved
#    into an excluded file is taken out, an excluded file sparklint cannot
#    parse is no file to list, one that is not excluded has the objects
#    before the error), and a commit that changes that configuration (or
#    adds or deletes it) lints every tracked manifest, one outside the work
#    tree never, and so does one that changes a rule the lint runs (in the
#    configuration's rulesDirs, -r's, a lib/ module, where a rule's symlink
#    leads, even when it is deleted, a symlink on the way to a rules
#    directory; other Lua and links ask sparklint --list-rule-files and lint
#    nothing more, and a commit of no Lua does not ask), or adds, deletes
#    or changes a symlinked manifest;
#  - make install DESTDIR=... PREFIX=/usr: everything lands, and the
#    installed programs, run from elsewhere with no flags, use the installed
#    rules and templates (flags and environment still override them); the
#    man pages render without warnings and name every option of --help;
#    bash completion works;
#  - examples/ci: valid YAML, loadable by sparklint, every command exists,
#    and the post-build steps pass on the sample and fail on a stale one.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

ROOT=$(pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
SG=$(abs "$SPARKGEN") SL=$(abs "$SPARKLINT")
W=$(t_tmpdir)
trap 'rm -rf "$W"' EXIT
# The hooks and CI examples call sparkgen and sparklint by name.
mkdir -p "$W/bin"
ln -s "$SG" "$W/bin/sparkgen"
ln -s "$SL" "$W/bin/sparklint"
export PATH="$W/bin:$PATH"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
unset SPARKGEN_DATADIR SPARKLINT_RULES_DIR
HAVE_O=0
"$SG" --help 2>&1 | grep -Eq '(^|[[:space:][,])-o([[:space:],]|$)' && HAVE_O=1

# ---- examples/gitops ----------------------------------------------------------

GX=examples/gitops
if [ $HAVE_O = 1 ]; then
	for env in dev prod; do
		t_run "gitops example: sparkgen -o $GX/clusters/$env --env $env --check $GX/apps" 0 \
			"$SG" -o "$GX/clusters/$env" --env "$env" --check "$GX/apps"
	done
	# Regenerating a copy from scratch gives the committed trees byte for byte.
	mkdir -p "$W/regen"
	cp -r "$GX/apps" "$W/regen/"
	for env in dev prod; do
		"$SG" -o "$W/regen/clusters/$env" --env "$env" "$W/regen/apps" >/dev/null 2>&1
	done
	t_check "gitops example: regenerated trees equal the committed ones" \
		diff -r "$W/regen/clusters" "$GX/clusters"
	# ... and the gate can fail: a changed description makes dev stale.
	cp -r "$GX" "$W/stale"
	sed -i 's/^      instances: 1$/      instances: 2/' "$W/stale/apps/clickstream.yaml"
	t_run "gitops example: --check fails on a changed description" 1 \
		"$SG" -o "$W/stale/clusters/dev" --env dev --check "$W/stale/apps"
	t_contains "gitops example: --check names the stale Job" "$T_OUT" \
		"changed $W/stale/clusters/dev/streaming-dev/clickstream/job-clickstream-driver.yaml"
else
	t_skip "gitops example: trees up to date" "sparkgen -o not wired yet"
fi
t_run "gitops example: lints clean with its .sparklint.yaml" 0 \
	bash -c "cd $GX && sparklint --context . clusters"
t_check "gitops example: .pre-commit-config.yaml is valid" \
	pre-commit validate-config "$GX/.pre-commit-config.yaml"

# ---- pre-commit hooks ---------------------------------------------------------

# The hook tells files from options by the options that take a value: its
# list must be sparklint's options table (lint/main.c), or a value would
# be taken for a file (or a file for a value).
t_check "hook: its options that take a value are sparklint's" "$PYTHON" - <<'PY'
import re
table = open("lint/main.c").read()
want = set()
for short, lng, takes in re.findall(r"\{ *(?:'(.)'|0), *\"([a-z-]+)\", *(true|false) *\}", table):
    if takes == "true":
        want.add("--" + lng)
        if short:
            want.add("-" + short)
hook = open("hooks/sparklint").read()
m = re.search(r"takes_value\(\) \{\n\tcase \$1 in\n(.*?)\) ;;", hook, re.S)
got = set(re.sub(r"[\\\s]", "", m.group(1)).split("|"))
assert len(want) > 10 and got == want, (sorted(got - want), sorted(want - got))
PY

t_check "pre-commit: .pre-commit-hooks.yaml is a valid manifest" \
	pre-commit validate-manifest .pre-commit-hooks.yaml

# try-repo only sees what is committed in the hook repository, so the hooks
# of this working tree (committed or not) go into a repository of their own.
HR=$W/hookrepo
mkdir -p "$HR"
cp .pre-commit-hooks.yaml "$HR/"
cp -r hooks "$HR/"
git -C "$HR" init -q && git -C "$HR" add -A && git -C "$HR" commit -qm hooks
export PRE_COMMIT_HOME=$W/pre-commit-home

S=$W/scratch
mkdir -p "$S"
cp -r "$GX/apps" "$GX/clusters" "$GX/.sparklint.yaml" "$S/"
git -C "$S" init -q && git -C "$S" add -A && git -C "$S" commit -qm init
# try HOOK WANT_RC DESC: pre-commit try-repo on what is staged in $S
try() {
	local hook=$1 want=$2 desc=$3
	t_run "pre-commit: $desc" "$want" \
		bash -c "cd '$S' && pre-commit try-repo --color never --verbose '$HR' $hook"
}

mkdir -p "$S/platform"
cat >"$S/platform/driver-pod.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: adhoc-driver
  namespace: streaming-dev
  labels:
    spark-role: driver
spec:
  containers:
    - name: spark-kubernetes-driver
      image: registry.example.internal/spark:3.5.1
EOF
git -C "$S" add platform
try sparklint 1 "sparklint blocks a staged bare driver Pod"
t_contains "pre-commit: ... with the rule's finding" "$T_OUT" \
	"platform/driver-pod.yaml:2:1: error: Pod 'adhoc-driver' runs a Spark driver"
git -C "$S" rm -q --cached platform/driver-pod.yaml && rm "$S/platform/driver-pod.yaml"

# A Service for the driver's UI selects pods only the generated Job has:
# without --context it would be dangling, with the repository it is clean.
cat >"$S/platform/clickstream-ui.yaml" <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: clickstream-ui
  namespace: streaming-dev
spec:
  selector:
    sparkgen.io/app: clickstream
    spark-role: driver
  ports:
    - name: http
      port: 80
      targetPort: spark-ui
EOF
git -C "$S" add platform
t_contains "pre-commit: (alone, the Service is dangling)" \
	"$(cd "$S/platform" && sparklint --no-config clickstream-ui.yaml)" "[dangling-service]"
try sparklint 0 "sparklint passes a clean staged manifest"
case $T_OUT in
*dangling-service*) t_fail "pre-commit: the hook lints with the repository as --context" "$T_OUT" ;;
*Passed*) t_ok "pre-commit: the hook lints with the repository as --context" ;;
*) t_fail "pre-commit: the hook lints with the repository as --context" "$T_OUT" ;;
esac
git -C "$S" commit -qm ui

# What the hook sees is what will be committed: untracked files are not
# context (a draft Service Account does not resolve a staged reference, a
# broken scratch file does not fail the commit), and staged YAML with no
# Kubernetes object in it (a CI workflow) passes.
mkdir -p "$S/.github/workflows"
printf 'on: [push]\njobs: {}\n' >"$S/.github/workflows/ci.yaml"
git -C "$S" add .github
try sparklint 0 "sparklint passes staged YAML that holds no Kubernetes object"
git -C "$S" commit -qm ci
printf 'a: [\n' >"$S/scratch.yaml"			# untracked, broken
cat >"$S/platform/tools.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: toolbox
  namespace: streaming-dev
spec:
  serviceAccountName: toolbox
  containers:
    - name: t
      image: registry.example.internal/tools:1.0
EOF
cat >"$S/platform/toolbox-sa.yaml" <<'EOF'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: toolbox
  namespace: streaming-dev
EOF
git -C "$S" add platform/tools.yaml			# the ServiceAccount stays untracked
try sparklint 1 "sparklint: an untracked file is not context (its ServiceAccount does not count)"
t_contains "pre-commit: ... the staged Pod's ServiceAccount is missing" "$T_OUT" \
	"platform/tools.yaml:7:3: error: serviceAccount 'toolbox' of Pod 'toolbox' not found"
case $T_OUT in
*scratch.yaml*) t_fail "pre-commit: ... and the untracked broken file is not read" "$T_OUT" ;;
*) t_ok "pre-commit: ... and the untracked broken file is not read" ;;
esac
git -C "$S" add platform/toolbox-sa.yaml
try sparklint 0 "sparklint: once staged, the ServiceAccount resolves the reference"
git -C "$S" commit -qm tools
rm "$S/scratch.yaml"

# A commit that deletes a manifest, or renames one away, stages no file a
# file hook could match, and what it breaks is in files it does not change
# (the Job whose claim is gone): the hook runs on every commit and then lints
# every tracked manifest.  Real commits here, through `pre-commit install`;
# spark-checkpoint-pvc-missing is a warning, hence --fail-level warning (which
# also puts an option's value last when no file is passed).  A sparklint on
# PATH that logs its runs shows when the hook did not run it, and what it
# linted; its --list-objects runs are logged apart.
C=$W/commit
mkdir -p "$C" "$W/logbin"
cp "$GX/clusters/dev/streaming-dev/clickstream/"*.yaml "$GX/clusters/dev/_shared/storageclass-efs-checkpoint.yaml" "$C/"
rm "$C/kustomization.yaml"
mv "$C/persistentvolumeclaim-clickstream-checkpoint.yaml" "$C/pvc.yaml"
cat >"$W/logbin/sparklint" <<EOS
#!/bin/sh
case \$1 in
--list-objects) echo list >>"$W/list.log" ;;
--list-rule-files) echo rules >>"$W/rules.log" ;;
*) echo ran >>"$W/sparklint.log"; echo "\$*" >>"$W/args.log" ;;
esac
exec "$SL" "\$@"
EOS
chmod +x "$W/logbin/sparklint"
cat >"$C/.pre-commit-config.yaml" <<EOC
repos:
  - repo: $HR
    rev: $(git -C "$HR" rev-parse HEAD)
    hooks:
      - id: sparklint
        args: [--fail-level, warning]
EOC
git -C "$C" init -q
(cd "$C" && pre-commit install >/dev/null)
# commit WANT_RC DESC [GIT-COMMIT-ARGS...]: git commit in $C; $LOG: sparklint's
# lint runs, $ARGS their arguments, $LIST its --list-objects runs.  git gives
# a hook's stdout to stderr, which is what $T_ERR holds.
commit() {
	local want=$1 desc=$2; shift 2
	: >"$W/sparklint.log" && : >"$W/args.log" && : >"$W/list.log"
	t_run "pre-commit: $desc" "$want" env PATH="$W/logbin:$PATH" git -C "$C" commit -q "$@"
	LOG=$(cat "$W/sparklint.log") ARGS=$(cat "$W/args.log") LIST=$(cat "$W/list.log")
}
J=job-clickstream-driver.yaml
git -C "$C" add -A
commit 0 "git commit of clean manifests passes" -m init
t_eq "pre-commit: ... and sparklint ran" "$LOG" ran
printf 'a: [\n' >"$C/scratch.yaml"			# untracked, broken
echo notes >"$C/README.md" && git -C "$C" add README.md
commit 0 "git commit with no YAML passes" -m readme
t_eq "pre-commit: ... without running sparklint" "$LOG" ""
git -C "$C" rm -q pvc.yaml
commit 1 "git commit deleting the PersistentVolumeClaim a Job mounts fails" -m rm-pvc
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_ERR" \
	"$J:138:11: warning: checkpoint claim 'clickstream-checkpoint' of Spark driver Job 'clickstream-driver' is not defined in namespace 'streaming-dev' of the linted files [spark-checkpoint-pvc-missing]"
case $T_ERR in
*scratch.yaml*) t_fail "pre-commit: ... and the untracked broken file is not read" "$T_ERR" ;;
*) t_ok "pre-commit: ... and the untracked broken file is not read" ;;
esac
git -C "$C" reset -q -- pvc.yaml && git -C "$C" checkout -q -- pvc.yaml
git -C "$C" mv serviceaccount-clickstream-driver.yaml serviceaccount.yaml.bak
commit 1 "git commit renaming the ServiceAccount away fails" -m mv-sa
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_ERR" \
	"$J:31:7: error: serviceAccount 'clickstream-driver' of Job 'clickstream-driver' not found in namespace 'streaming-dev' [non-existent-service-account]"
git -C "$C" mv serviceaccount.yaml.bak serviceaccount-clickstream-driver.yaml
sed -i 's/storage: 5Gi$/storage: 10Gi/' "$C/pvc.yaml"
git -C "$C" add pvc.yaml
commit 0 "git commit of a changed clean manifest passes" -m resize
t_eq "pre-commit: ... and sparklint ran" "$LOG" ran
# Now that the hook runs on every commit, a commit with YAML and no deletion
# must cost what it did before but for the git diffs and the listing of the
# changed files' objects: the only tr and grep are the ones filtering the
# tracked manifests (each pipeline of them took longer than the hook's whole
# work before).
mkdir -p "$W/cmdbin"
for c in tr grep; do
	printf '#!/bin/sh\necho %s >>"%s"\nexec %s "$@"\n' "$c" "$W/cmds.log" "$(command -v "$c")" >"$W/cmdbin/$c"
	chmod +x "$W/cmdbin/$c"
done
: >"$W/cmds.log"
sed -i 's/storage: 10Gi$/storage: 20Gi/' "$C/pvc.yaml"
git -C "$C" add pvc.yaml
PATH="$W/cmdbin:$PATH" commit 0 "git commit of a changed manifest, deleting none, passes" -m resize2
t_eq "pre-commit: ... running no pipeline to count deletions" "$(sort "$W/cmds.log" | tr "\n" " ")" "grep tr tr "
# pre-push, or pre-commit run --from-ref/--to-ref: the deletions of the range.
git -C "$C" rm -q pvc.yaml && git -C "$C" commit -q --no-verify -m rm-pvc
t_run "pre-commit: --from-ref/--to-ref over a commit deleting the claim fails" 1 \
	bash -c "cd '$C' && pre-commit run --color never --from-ref HEAD~1 --to-ref HEAD"
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_OUT" \
	"$J:138:11: warning: checkpoint claim 'clickstream-checkpoint'"
rm "$C/scratch.yaml"

# Taking an object out of a file the commit changes breaks what refers to
# it as deleting the file does: then every tracked manifest is linted.  A
# change that takes no object out lints only the staged files.  The claim
# comes back in a file of two documents, after a ConfigMap.
git -C "$C" checkout -q HEAD~1 -- pvc.yaml
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clickstream-extra\n'
  printf '  namespace: streaming-dev\n---\n'; git -C "$C" show HEAD~1:pvc.yaml; } >"$C/pvc.yaml"
git -C "$C" add pvc.yaml
commit 0 "git commit adding a file of two documents passes" -m two-docs
t_eq "pre-commit: ... linting only that file" "${ARGS##* warning }" pvc.yaml
t_eq "pre-commit: ... listing no object (it changes no file)" "$LIST" ""
# undo WANT_RC DESC: commit what is staged, then put back HEAD as it was
undo() {
	local head
	head=$(git -C "$C" rev-parse HEAD)
	commit "$@" -m undone
	git -C "$C" reset -q --hard "$head"
}
sed -i '/^---$/,$d' "$C/pvc.yaml" && git -C "$C" add pvc.yaml
undo 1 "git commit taking the PersistentVolumeClaim a Job mounts out of a file fails"
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_ERR" \
	"$J:138:11: warning: checkpoint claim 'clickstream-checkpoint' of Spark driver Job 'clickstream-driver' is not defined in namespace 'streaming-dev' of the linted files [spark-checkpoint-pvc-missing]"
sed -i 's/^  name: clickstream-driver$/  name: clickstream-driver2/' "$C/serviceaccount-clickstream-driver.yaml"
git -C "$C" add -u
undo 1 "git commit renaming the Job's ServiceAccount in its file fails"
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_ERR" \
	"$J:31:7: error: serviceAccount 'clickstream-driver' of Job 'clickstream-driver' not found in namespace 'streaming-dev' [non-existent-service-account]"
sed -i '/^---$/,$s/namespace: streaming-dev$/namespace: streaming-prod/' "$C/pvc.yaml"
git -C "$C" add -u
undo 1 "git commit moving the claim to another namespace fails"
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_ERR" \
	"$J:138:11: warning: checkpoint claim 'clickstream-checkpoint' of Spark driver Job 'clickstream-driver' is not defined in namespace 'streaming-dev'"
sed -i 's/^        env:$/&\n        - name: LOG_LEVEL\n          value: info/' "$C/$J" && git -C "$C" add -u
commit 0 "git commit adding an env var to the Job passes" -m env
t_eq "pre-commit: ... listing the objects of the file before and after" "$LIST" "list
list"
t_eq "pre-commit: ... and linting only the staged file" "${ARGS##* warning }" "$J"
# The claim moved to a file of its own is not gone: an object may move
# between the files the commit changes and adds.
sed -n '/^---$/,$p' "$C/pvc.yaml" | sed 1d >"$C/claim.yaml"
sed -i '/^---$/,$d' "$C/pvc.yaml"
git -C "$C" add pvc.yaml claim.yaml
commit 0 "git commit moving the claim to a new file passes" -m split
t_eq "pre-commit: ... linting only the staged files" "${ARGS##* warning }" "claim.yaml pvc.yaml"
git -C "$C" mv claim.yaml checkpoint-claim.yaml
undo 0 "git commit renaming a manifest passes"
t_eq "pre-commit: ... linting only the renamed file" "${ARGS##* warning }" checkpoint-claim.yaml
# pre-push: an object taken out of a file in the range.
printf '# the claim went away\n' >"$C/claim.yaml"
git -C "$C" add claim.yaml && git -C "$C" commit -q --no-verify -m no-claim
t_run "pre-commit: --from-ref/--to-ref over a commit taking the claim out of a file fails" 1 \
	bash -c "cd '$C' && pre-commit run --color never --from-ref HEAD~1 --to-ref HEAD"
t_contains "pre-commit: ... with the finding in the unchanged Job" "$T_OUT" \
	"$J:140:11: warning: checkpoint claim 'clickstream-checkpoint'"

# What the hook lists is what the lint's context loads.  A scratch
# repository, the hook run as pre-commit runs it (sh hooks/sparklint ARGS
# FILES in the top directory): a ServiceAccount the Job names, in a file
# with a ConfigMap, and a Helm template sparklint cannot parse, excluded by
# the configuration as vendor/ is.
H=$W/hk
mkdir -p "$H/chart/templates"
printf 'exclude: [chart, vendor]\n' >"$H/.sparklint.yaml"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: drv, namespace: ns}\n' >"$H/sa.yaml"
printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: ns}\n' >>"$H/sa.yaml"
cat >"$H/job.yaml" <<'EOF'
apiVersion: batch/v1
kind: Job
metadata: {name: j, namespace: ns}
spec:
  template:
    spec:
      serviceAccountName: drv
      restartPolicy: Never
      containers:
        - name: c
          image: registry.example.internal/c:latest
EOF
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' \
	>"$H/chart/templates/dep.yaml"
git -C "$H" init -q && git -C "$H" add -A && git -C "$H" commit -qm init
hook() { (cd "$H" && sh "$ROOT/hooks/sparklint" "$@"); }
# hkreset: the work tree and the index as HEAD has them
hkreset() { git -C "$H" reset -q --hard && git -C "$H" clean -qfdx; }
SAERR="job.yaml:7:7: error: serviceAccount 'drv' of Job 'j' not found in namespace 'ns' [non-existent-service-account]"
echo '# the release name comes from helm' >>"$H/chart/templates/dep.yaml"
git -C "$H" add -A
t_run "hook: a commit of a template the configuration excludes passes" 0 \
	hook --fail-level warning chart/templates/dep.yaml
case $T_OUT$T_ERR in
*job.yaml*) t_fail "hook: ... linting no other file (the Job's warnings are not reported)" "$T_OUT" ;;
*) t_ok "hook: ... linting no other file (the Job's warnings are not reported)" ;;
esac
hkreset
# An object moved into a file the configuration excludes is gone.
mkdir "$H/vendor" && sed -n 1,3p "$H/sa.yaml" >"$H/vendor/sa.yaml" && sed -i 1,4d "$H/sa.yaml"
git -C "$H" add -A
t_run "hook: moving the ServiceAccount into an excluded file fails" 1 hook sa.yaml vendor/sa.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
# The configuration the lint reads decides, named by -c or found above the
# top directory too.
printf 'exclude: [chart]\n' >"$H/.sparklint.yaml"
t_run "hook: ... not excluded by the configuration the lint reads, it passes" 0 \
	hook sa.yaml vendor/sa.yaml
printf 'exclude: [chart, vendor]\n' >"$H/lint.yml"
t_run "hook: ... excluded by the configuration -c names, it fails" 1 \
	hook -c lint.yml sa.yaml vendor/sa.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
t_run "hook: ... and so with --config=FILE" 1 hook --config=lint.yml sa.yaml vendor/sa.yaml
rm "$H/lint.yml" "$H/.sparklint.yaml"
printf 'exclude: [hk/chart, "**/vendor"]\n' >"$W/.sparklint.yaml"
t_run "hook: ... excluded by a .sparklint.yaml above the top directory, it fails" 1 \
	hook sa.yaml vendor/sa.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
rm "$W/.sparklint.yaml"
hkreset
# A file that does not parse gives the context the documents before the
# error: compared as they are, nothing taken out lints the staged file only.
printf -- '---\nkind: [\n' >>"$H/sa.yaml" && git -C "$H" add -A
t_run "hook: a commit of a file that does not parse fails" 2 hook sa.yaml
t_contains "hook: ... on the file" "$T_OUT$T_ERR" "sa.yaml:10:1: error:"
case $T_OUT$T_ERR in
*job.yaml*) t_fail "hook: ... and, taking nothing out, lints no other file" "$T_OUT" ;;
*) t_ok "hook: ... and, taking nothing out, lints no other file" ;;
esac
sed -i 1,4d "$H/sa.yaml" && git -C "$H" add -A
t_run "hook: ... taking the ServiceAccount out before the error fails" 2 hook sa.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
hkreset
printf -- '---\nkind: [\n' >>"$H/sa.yaml" && git -C "$H" commit -qam broken
sed -i '/^kind: \[$/d' "$H/sa.yaml" && sed -i '$d' "$H/sa.yaml" && git -C "$H" add -A
t_run "hook: a commit that mends a file keeping its objects passes" 0 hook sa.yaml
case $T_OUT$T_ERR in
*job.yaml*) t_fail "hook: ... linting no other file" "$T_OUT" ;;
*) t_ok "hook: ... linting no other file" ;;
esac
sed -i 1,4d "$H/sa.yaml" && git -C "$H" add -A
t_run "hook: ... one that also takes the ServiceAccount out fails" 1 hook sa.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
# hkonly DESC: the last hook run did not lint job.yaml (a whole-repository
# run reports its warnings)
hkonly() {
	case $T_OUT$T_ERR in
	*job.yaml*) t_fail "$1" "$T_OUT" ;;
	*) t_ok "$1" ;;
	esac
}
# Back to the first commit.  A deleted file's objects are compared as a
# changed file's are: deleting one that holds no object the context loads
# (an excluded template, a JSON document), or renaming one, takes nothing out.
hkreset && git -C "$H" reset -q --hard HEAD~1
printf '{"notes": "no kind"}\n' >"$H/notes.json" && git -C "$H" add -A &&
	git -C "$H" commit -qm notes
HK1=$(git -C "$H" rev-parse HEAD)
git -C "$H" rm -q chart/templates/dep.yaml notes.json
t_run "hook: a commit deleting an excluded template and a JSON document passes" 0 \
	hook --fail-level warning
t_eq "hook: ... without running sparklint" "$T_OUT$T_ERR" ""
hkreset
git -C "$H" mv sa.yaml acct.yaml
t_run "hook: a commit renaming a manifest passes" 0 hook --fail-level warning acct.yaml
hkonly "hook: ... linting only the staged file"
hkreset
git -C "$H" mv sa.yaml SA.yaml
t_run "hook: ... and so does one changing only the case of its name" 0 \
	hook --fail-level warning SA.yaml
hkonly "hook: ... linting only the staged file"
hkreset
git -C "$H" rm -q sa.yaml
t_run "hook: a commit deleting the ServiceAccount's file fails" 1 hook
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
hkreset
mkdir "$H/vendor" && git -C "$H" mv sa.yaml vendor/sa.yaml
t_run "hook: ... and so does one renaming it into an excluded directory" 1 hook vendor/sa.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
# A commit that changes the configuration the lint reads changes what the
# lint's context loads: every tracked manifest is linted.
hkreset
printf 'exclude: [chart, vendor, sa.yaml]\n' >"$H/.sparklint.yaml" && git -C "$H" add -A
t_run "hook: a commit whose configuration excludes the ServiceAccount's file fails" 1 \
	hook .sparklint.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
hkreset
printf 'exclude: [chart]\n' >"$H/lint.yml" && git -C "$H" add -A &&
	git -C "$H" commit -qm lint.yml
printf 'exclude: [chart, sa.yaml]\n' >"$H/lint.yml" && git -C "$H" add -A
t_run "hook: ... and so does one of the configuration -c names" 1 hook -c lint.yml lint.yml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
printf 'exclude: [hk/chart]\n' >"$W/lint.yml"
echo '# a comment' >>"$H/sa.yaml" && git -C "$H" add -A
t_run "hook: ... one outside the work tree is no part of the commit" 0 \
	hook -c "$W/lint.yml" --fail-level warning lint.yml sa.yaml
hkonly "hook: ... linting only the staged files"
rm "$W/lint.yml"
hkreset
printf 'exclude: [hk/chart, hk/sa.yaml]\n' >"$W/.sparklint.yaml"
git -C "$H" rm -q .sparklint.yaml
t_run "hook: a commit deleting the configuration, so one above the top is read, fails" 1 hook
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
git -C "$H" commit -qm no-config
printf 'exclude: [hk/chart]\n' >"$W/.sparklint.yaml"
echo '# a comment' >>"$H/sa.yaml" && git -C "$H" add -A
t_run "hook: ... one above the top, unchanged, lints the staged files" 0 \
	hook --fail-level warning sa.yaml
hkonly "hook: ... only"
hkreset
printf 'exclude: [chart, sa.yaml]\n' >"$H/.sparklint.yaml" && git -C "$H" add -A
t_run "hook: a commit adding a configuration that excludes the ServiceAccount's file fails" 1 \
	hook .sparklint.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
git -C "$H" commit -qm config
t_run "hook: --from-ref/--to-ref over that commit fails" 1 \
	env PRE_COMMIT_FROM_REF=HEAD~1 PRE_COMMIT_TO_REF=HEAD \
	sh -c 'cd "$1" && exec sh "$2/hooks/sparklint"' sh "$H" "$ROOT"
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
rm "$W/.sparklint.yaml"
# An object's identity is its API group, kind, namespace and name: the
# rules look objects up by kind, namespace and name, so moving one to
# another version of its group (a deprecated apiVersion fixed) takes
# nothing out.
hkreset && git -C "$H" reset -q --hard "$HK1"
printf 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n' >"$H/pdb.yaml"
printf 'metadata: {name: p, namespace: ns}\nspec: {maxUnavailable: 1}\n' >>"$H/pdb.yaml"
git -C "$H" add -A && git -C "$H" commit -qm pdb
sed -i 's|^apiVersion: policy/v1beta1$|apiVersion: policy/v1|' "$H/pdb.yaml" && git -C "$H" add -A
t_run "hook: a commit moving an object to another version of its API group passes" 0 \
	hook pdb.yaml
hkonly "hook: ... linting only the staged file"
sed -i 's|^apiVersion: policy/v1$|apiVersion: example.com/v1|' "$H/pdb.yaml" && git -C "$H" add -A
t_run "hook: ... one moving it to another group lints every tracked manifest" 0 \
	hook pdb.yaml
t_contains "hook: ... (the Job too)" "$T_OUT" "job.yaml"
# A commit that changes the rules the lint runs may fail a file it does not
# touch: a rule or module added, edited or deleted where sparklint reads
# them (the configuration's rulesDirs and their lib/, -r's, where a
# symlinked rule leads) lints every tracked manifest.  A commit whose Lua
# is no rule's asks sparklint --list-rule-files, and one with no Lua
# (all the commits above) does not even do that.
hkreset && git -C "$H" reset -q --hard "$HK1"
mkdir -p "$H/policies/lib" "$H/scripts"
printf 'exclude: [chart, vendor]\nrulesDirs: [policies]\n' >"$H/.sparklint.yaml"
# hkrule FILE: a rule that reports every Job, with its module's message
hkrule() {
	local id=${1##*/}
	mkdir -p "${1%/*}"
	printf 'return {\n\tid = "%s", severity = "error", category = "test",\n' "${id%.lua}" >"$1"
	printf '\tdescription = "a Job", hint = "none", kinds = { "Job" },\n' >>"$1"
	printf '\tcheck = function(obj, ctx) ctx:report{ path = {}, message = jobs.msg } end,\n}\n' >>"$1"
}
printf 'return {\n\tid = "t-none", severity = "error", category = "test",\n' >"$H/policies/t-none.lua"
printf '\tdescription = "nothing", hint = "none", check = function() end,\n}\n' >>"$H/policies/t-none.lua"
printf 'return { msg = "a Job here" }\n' >"$H/policies/lib/jobs.lua"
printf 'print("not a rule")\n' >"$H/scripts/tool.lua"
git -C "$H" add -A && git -C "$H" commit -qm policies
HK2=$(git -C "$H" rev-parse HEAD)
RULEERR="job.yaml:1:1: error: a Job here [t-job]"
hkrule "$H/policies/t-job.lua" && git -C "$H" add -A
t_run "hook: a commit adding a rule to the configuration's rulesDirs fails" 1 hook
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" "$RULEERR"
git -C "$H" commit -qm job-rule
printf 'return { msg = "a Job there" }\n' >"$H/policies/lib/jobs.lua" && git -C "$H" add -A
t_run "hook: ... and so does one editing a module in its lib/" 1 hook
t_contains "hook: ... with the rule's new finding in the unchanged Job" "$T_OUT" \
	"job.yaml:1:1: error: a Job there [t-job]"
git -C "$H" reset -q --hard HEAD
git -C "$H" rm -q policies/lib/jobs.lua
t_run "hook: ... and so does one deleting that module" 2 hook
t_contains "hook: ... with the rule that needs it" "$T_OUT$T_ERR" "jobs"
hkreset && git -C "$H" reset -q --hard "$HK2"
hkrule "$H/extra/t-job.lua" && git -C "$H" add -A
t_run "hook: ... and so does one adding a rule to the directory -r names" 1 \
	hook -r extra --fail-level error
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" "$RULEERR"
t_run "hook: ... which with --no-config and no -r is no rule's" 0 hook --no-config
t_eq "hook: ... and runs no lint" "$T_OUT$T_ERR" ""
hkreset
hkrule "$H/shared/t-job.lua" && ln -s ../shared/t-job.lua "$H/policies/t-job.lua" &&
	git -C "$H" add -A && git -C "$H" commit -qm linked-rule
sed -i 's/message = jobs.msg/message = "a linked Job"/' "$H/shared/t-job.lua" && git -C "$H" add -A
t_run "hook: ... and so does one editing the file a rule's symlink leads to" 1 hook
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" \
	"job.yaml:1:1: error: a linked Job [t-job]"
hkreset
git -C "$H" rm -q shared/t-job.lua
t_run "hook: ... and so does one deleting the file a rule's symlink leads to" 2 hook
t_contains "hook: ... failing on the rule that leads nowhere" "$T_ERR" "policies/t-job.lua"
hkreset && git -C "$H" reset -q --hard "$HK2"
echo 'print("still not a rule")' >>"$H/scripts/tool.lua"
printf 'x\n' >"$H/policies/.draft.lua" && git -C "$H" add -A
: >"$W/sparklint.log" && : >"$W/args.log" && : >"$W/list.log" && : >"$W/rules.log"
t_run "hook: a commit of Lua that is no rule (a script, a hidden file) passes" 0 \
	env PATH="$W/logbin:$PATH" sh -c 'cd "$1" && exec sh "$2/hooks/sparklint"' sh "$H" "$ROOT"
t_eq "hook: ... without running a lint" "$(cat "$W/sparklint.log")" ""
t_eq "hook: ... after one --list-rule-files" "$(cat "$W/rules.log")" "rules"
# A symlink on the way to a rules directory changes the rules the lint
# runs when it is retargeted; a commit of a symlink that leads to no rule
# asks sparklint --list-rule-files and lints nothing more.
hkreset
mkdir -p "$H/packs/a" && hkrule "$H/packs/b/t-job.lua"
printf 'return {\n\tid = "t-quiet", severity = "error", category = "test",\n' >"$H/packs/a/t-quiet.lua"
printf '\tdescription = "nothing", hint = "none", check = function() end,\n}\n' >>"$H/packs/a/t-quiet.lua"
ln -s packs/a "$H/extra" && git -C "$H" add -A && git -C "$H" commit -qm packs
ln -sfn packs/b "$H/extra" && git -C "$H" add -A
t_run "hook: a commit retargeting a symlink on the way to a rules directory fails" 1 \
	hook -r extra
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" "$RULEERR"
hkreset
ln -s sa.yaml "$H/notes" && git -C "$H" add -A
: >"$W/sparklint.log" && : >"$W/rules.log"
t_run "hook: a commit of a symlink on the way to no rule passes" 0 \
	env PATH="$W/logbin:$PATH" sh -c 'cd "$1" && exec sh "$2/hooks/sparklint" -r extra' sh "$H" "$ROOT"
t_eq "hook: ... without running a lint" "$(cat "$W/sparklint.log")" ""
t_eq "hook: ... after one --list-rule-files" "$(cat "$W/rules.log")" "rules"
# A name git would quote (UTF-8, a backslash) is compared as it is.
hkreset
printf 'print("a script")\n' >"$H/scripts/$(printf 'gr\303\266\303\237e.lua')" && git -C "$H" add -A
: >"$W/sparklint.log" && : >"$W/rules.log"
t_run "hook: a commit of a script with a UTF-8 name passes" 0 \
	env PATH="$W/logbin:$PATH" sh -c 'cd "$1" && exec sh "$2/hooks/sparklint"' sh "$H" "$ROOT"
t_eq "hook: ... without running a lint" "$(cat "$W/sparklint.log")" ""
t_eq "hook: ... after one --list-rule-files" "$(cat "$W/rules.log")" "rules"
hkreset
UDIR=$(printf 'r\303\251gles')
hkrule "$H/$UDIR/t-job.lua" && hkrule "$H/ex\\tra/t-job.lua" && git -C "$H" add -A
t_run "hook: ... and one adding a rule to a rules directory with a UTF-8 name fails" 1 \
	hook -r "$UDIR"
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" "$RULEERR"
t_run "hook: ... and so does one adding a rule to one with a backslash" 1 hook -r 'ex\tra'
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" "$RULEERR"
hkreset && git -C "$H" reset -q --hard "$HK2"
echo '# a comment' >>"$H/sa.yaml" && git -C "$H" add -A
: >"$W/rules.log"
t_run "hook: a commit of no Lua passes" 0 \
	env PATH="$W/logbin:$PATH" sh -c 'cd "$1" && exec sh "$2/hooks/sparklint" sa.yaml' sh "$H" "$ROOT"
t_eq "hook: ... without --list-rule-files" "$(cat "$W/rules.log")" ""
hkreset
hkrule "$H/policies/t-job.lua" && git -C "$H" add -A && git -C "$H" commit -qm job-rule-range
t_run "hook: --from-ref/--to-ref over a commit adding a rule fails" 1 \
	env PRE_COMMIT_FROM_REF=HEAD~1 PRE_COMMIT_TO_REF=HEAD \
	sh -c 'cd "$1" && exec sh "$2/hooks/sparklint"' sh "$H" "$ROOT"
t_contains "hook: ... with the rule's finding in the unchanged Job" "$T_OUT" "$RULEERR"
# A symlinked manifest holds the objects of where it leads, which its blob
# (the link's text) does not give, and pre-commit passes no symlink as a
# file: a commit that adds, deletes or changes one lints every tracked
# manifest (the objects here live outside the work tree).
hkreset && git -C "$H" reset -q --hard "$HK1"
mkdir -p "$W/ext"
sed -n 1,3p "$H/sa.yaml" >"$W/ext/sa.yaml"
sed -n 5,7p "$H/sa.yaml" >"$W/ext/cm.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n' >"$W/ext/pod.yaml"
printf '  serviceAccountName: nobody\n  containers: [{name: c, image: r.example/c:1}]\n' >>"$W/ext/pod.yaml"
ln -s ../ext/pod.yaml "$H/pod.yaml" && git -C "$H" add -A
t_run "hook: a commit adding a symlinked manifest lints it, with every tracked manifest" 1 hook
t_contains "hook: ... (its finding)" "$T_OUT" "pod.yaml:5:3: error: serviceAccount 'nobody'"
hkreset
git -C "$H" rm -q sa.yaml && ln -s ../ext/sa.yaml "$H/link.yaml" && git -C "$H" add -A &&
	git -C "$H" commit -qm link
git -C "$H" rm -q link.yaml
t_run "hook: a commit deleting the symlinked ServiceAccount's manifest fails" 1 hook
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
hkreset
ln -sfn ../ext/cm.yaml "$H/link.yaml" && git -C "$H" add -A
t_run "hook: ... and so does one pointing it at another file" 1 hook
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
hkreset
rm "$H/link.yaml" && cp "$W/ext/cm.yaml" "$H/link.yaml" && git -C "$H" add -A
t_run "hook: ... and so does one making it a file without the ServiceAccount" 1 hook link.yaml
t_contains "hook: ... with the finding in the unchanged Job" "$T_OUT" "$SAERR"
hkreset
mkdir -p "$H/.hidden" && ln -s ../../ext/pod.yaml "$H/.hidden/pod.yaml" && git -C "$H" add -A
t_run "hook: a hidden symlinked manifest is no part of the context" 0 hook
t_eq "hook: ... and a commit adding one runs no lint" "$T_OUT$T_ERR" ""

if [ $HAVE_O = 1 ]; then
	try sparkgen-check 0 "sparkgen-check passes when clusters/* are up to date"
	sed -i 's/^      instances: 1$/      instances: 2/' "$S/apps/clickstream.yaml"
	git -C "$S" add apps
	try sparkgen-check 1 "sparkgen-check reports a stale tree"
	t_contains "pre-commit: ... naming the stale file" "$T_OUT" \
		"changed clusters/dev/streaming-dev/clickstream/job-clickstream-driver.yaml"
	t_contains "pre-commit: ... and the command that regenerates it" "$T_OUT" \
		"sparkgen -o clusters/dev --env dev apps"
	case $T_OUT in
	*"changed clusters/prod"*) t_fail "pre-commit: ... and only the stale tree" "$T_OUT" ;;
	*) t_ok "pre-commit: ... and only the stale tree" ;;
	esac
	(cd "$S" && sparkgen -o clusters/dev --env dev apps) && git -C "$S" add apps clusters
	try "" 0 "both hooks pass once the tree is regenerated"
	t_contains "pre-commit: ... (both ran)" "$T_OUT" "sparkgen --check"
	git -C "$S" commit -qm regen
	git -C "$S" rm -q clusters/prod/payments/payments-audit/service-payments-audit-driver.yaml
	try sparkgen-check 1 "sparkgen-check reports a deleted generated file"
	git -C "$S" checkout -q HEAD -- clusters/prod
	# An untracked description: the trees generated with it are staged, the
	# description is not, so what is committed is stale.
	sed 's/name: payments-audit$/name: payments-audit2/' "$S/apps/payments-audit.yaml" >"$S/apps/pa2.yaml"
	(cd "$S" && sparkgen -o clusters/dev --env dev apps && sparkgen -o clusters/prod --env prod apps) &&
		git -C "$S" add clusters
	try sparkgen-check 1 "sparkgen-check checks the staged descriptions, not an untracked one"
	t_contains "pre-commit: ... naming the files the untracked description made" "$T_OUT" "payments-audit2"
	git -C "$S" add apps/pa2.yaml
	try sparkgen-check 0 "sparkgen-check: ... staged, the tree is up to date"
	git -C "$S" rm -q --cached apps/pa2.yaml && rm "$S/apps/pa2.yaml"
	git -C "$S" reset -q -- clusters && git -C "$S" checkout -q -- clusters && git -C "$S" clean -qfd clusters
	# The sample's own configuration, pointed at the hook repository.
	sed -e "s|repo: https://github.com/sparkgen/sparkgen|repo: $HR|" \
		-e "s|rev: v0.1.0 |rev: $(git -C "$HR" rev-parse HEAD) |" \
		"$GX/.pre-commit-config.yaml" >"$S/.pre-commit-config.yaml"
	git -C "$S" add .pre-commit-config.yaml
	t_run "pre-commit: the sample .pre-commit-config.yaml passes on the sample" 0 \
		bash -c "cd '$S' && pre-commit run --color never --all-files"
else
	t_skip "pre-commit: sparkgen-check" "sparkgen -o not wired yet"
fi

# ---- make install ----------------------------------------------------------

D=$W/dest
I=$D/usr/share/sparkgen
# A build of its own (PREFIX changes the compiled-in data directory), so
# the checkout's build is left alone.
if out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 install DESTDIR="$D" PREFIX=/usr \
		BUILD="$W/build" OUT="$W/build" 2>&1); then
	t_ok "install: make install DESTDIR=\$tmp PREFIX=/usr"
else
	t_fail "install: make install DESTDIR=\$tmp PREFIX=/usr" "$out"
fi
missing=
for f in usr/bin/sparkgen usr/bin/sparklint usr/share/man/man1/sparkgen.1 usr/share/man/man1/sparklint.1 \
	usr/share/bash-completion/completions/sparkgen usr/share/bash-completion/completions/sparklint; do
	[ -f "$D/$f" ] || missing="$missing $f"
done
for f in rules/*.lua rules/lib/*.lua templates/*.yaml templates/lib.lua schema/sparkgen.schema.json; do
	cmp -s "$f" "$I/$f" || missing="$missing $f"
done
for f in docs/rules/*.md; do cmp -s "$f" "$I/docs/rules/${f#docs/rules/}" || missing="$missing $f"; done
if [ -z "$missing" ]; then t_ok "install: binaries, rules, rules/lib, templates, lib.lua, schema, rule docs, man pages, completions"
else t_fail "install: everything is installed" "missing or different:$missing"; fi
[ -x "$D/usr/bin/sparkgen" ] && [ -x "$D/usr/bin/sparklint" ] && t_ok "install: the binaries are executable" ||
	t_fail "install: the binaries are executable" "$(ls -l "$D/usr/bin")"

# Run from a directory with nothing of ours above it, no flags, no environment.
E=$W/elsewhere
mkdir -p "$E"
nrules=$(ls rules/*.lua | wc -l)
t_run "install: sparklint --list-rules from elsewhere" 0 bash -c "cd '$E' && '$D/usr/bin/sparklint' --list-rules"
n=$(printf '%s\n' "$T_OUT" | tail -n +2 | grep -c .)
[ "$n" = "$nrules" ] && t_ok "install: it lists the $nrules built-in rules" ||
	t_fail "install: it lists the $nrules built-in rules" "got $n" "$T_OUT"
t_run "install: sparkgen from elsewhere" 0 bash -c "cd '$E' && '$D/usr/bin/sparkgen' '$ROOT/examples/aws-efs.yaml'"
[ "$T_OUT" = "$(cat tests/golden/aws-efs.yaml)" ] && t_ok "install: ... gives the golden output" ||
	t_fail "install: ... gives the golden output" "$(diff <(printf '%s\n' "$T_OUT") tests/golden/aws-efs.yaml | head -20)"
cp tests/cli/lint-text/pods.yaml "$E/pods.yaml"
t_run "install: sparklint lints from elsewhere with the installed rules" 1 bash -c "cd '$E' && '$D/usr/bin/sparklint' pods.yaml"
t_contains "install: ... finding spark-driver-bare-pod" "$T_OUT" "[spark-driver-bare-pod]"
t_run "install: sparklint --explain reads the installed rule docs" 0 \
	bash -c "cd '$E' && '$D/usr/bin/sparklint' --explain spark-driver-bare-pod"
[ "$T_OUT" = "$(cat docs/rules/spark-driver-bare-pod.md)" ] && t_ok "install: ... which are docs/rules/*.md" ||
	t_fail "install: ... which are docs/rules/*.md" "${T_OUT:0:500}"
if [ $HAVE_O = 1 ]; then
	t_run "install: installed sparkgen -o --check agrees with the committed example tree" 0 \
		bash -c "cd '$E' && '$D/usr/bin/sparkgen' -o '$ROOT/$GX/clusters/prod' --env prod --check '$ROOT/$GX/apps'"
fi

# Proof that it is the installed data (not this tree, not /usr/share): a rule
# and a template added there show up; the overrides take them away again.
cat >"$I/rules/zz-installed-marker.lua" <<'EOF'
return { id = "zz-installed-marker", severity = "info", category = "test",
	description = "marker", hint = "marker", check = function() end }
EOF
cat >"$I/templates/zz-marker.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: installed-marker
  namespace: ${app.namespace}
EOF
t_contains "install: sparklint uses \$DATADIR/rules" \
	"$(cd "$E" && "$D/usr/bin/sparklint" --list-rules 2>&1)" "zz-installed-marker"
t_contains "install: sparkgen uses \$DATADIR/templates" \
	"$(cd "$E" && "$D/usr/bin/sparkgen" "$ROOT/examples/aws-efs.yaml" 2>&1)" "name: installed-marker"
out=$(cd "$E" && SPARKLINT_RULES_DIR=$ROOT/rules "$D/usr/bin/sparklint" --list-rules 2>&1)
case $out in *zz-installed-marker*) t_fail "install: SPARKLINT_RULES_DIR overrides" "$out" ;;
*spark-driver-bare-pod*) t_ok "install: SPARKLINT_RULES_DIR overrides" ;; *) t_fail "install: SPARKLINT_RULES_DIR overrides" "$out" ;; esac
out=$(cd "$E" && SPARKGEN_DATADIR=$ROOT "$D/usr/bin/sparkgen" "$ROOT/examples/aws-efs.yaml" 2>&1)
[ "$out" = "$(cat tests/golden/aws-efs.yaml)" ] && t_ok "install: SPARKGEN_DATADIR overrides" ||
	t_fail "install: SPARKGEN_DATADIR overrides" "${out:0:500}"
out=$(cd "$E" && "$D/usr/bin/sparkgen" --templates "$ROOT/templates" "$ROOT/examples/aws-efs.yaml" 2>&1)
[ "$out" = "$(cat tests/golden/aws-efs.yaml)" ] && t_ok "install: --templates overrides" ||
	t_fail "install: --templates overrides" "${out:0:500}"
rm -f "$I/rules/zz-installed-marker.lua" "$I/templates/zz-marker.yaml"

# ---- man pages ----------------------------------------------------------------

for p in sparkgen sparklint; do
	page=$D/usr/share/man/man1/$p.1
	err=$(MANWIDTH=80 man -l "$page" 2>&1 >"$W/$p.txt")
	if [ -z "$err" ] && grep -q "^NAME" "$W/$p.txt" && grep -q "EXIT STATUS" "$W/$p.txt"; then
		t_ok "man: man -l renders $p(1) without warnings"
	else
		t_fail "man: man -l renders $p(1) without warnings" "$err" "$(head -5 "$W/$p.txt")"
	fi
	if command -v groff >/dev/null; then
		t_run "man: groff -man -ww finds nothing in $p(1)" 0 test -z "$(groff -man -ww -z "$page" 2>&1)"
	fi
	bin=$SG; [ $p = sparklint ] && bin=$SL
	gone=
	for o in $("$bin" --help | grep -oE '(^|[[:space:][|,])--[a-z][a-z-]*' | sed 's/^[^-]*//' | sort -u); do
		grep -q -- "$o" "$W/$p.txt" || gone="$gone $o"
	done
	[ -z "$gone" ] && t_ok "man: $p(1) documents every option of $p --help" ||
		t_fail "man: $p(1) documents every option of $p --help" "missing:$gone"
done

# ---- bash completion ------------------------------------------------------------

comp() {	# comp FILE WORDS...: the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _${1##*/}; printf "%s\n" "${COMPREPLY[@]}"' \
		- "$@" 2>&1
}
C=$D/usr/share/bash-completion/completions
t_contains "completion: sparklint --ex<TAB>" "$(PATH="$D/usr/bin:$PATH" comp "$C/sparklint" sparklint --ex)" "--explain"
t_contains "completion: sparklint --list-o<TAB> (a mode's option, from --help's usage lines)" \
	"$(PATH="$D/usr/bin:$PATH" comp "$C/sparklint" sparklint --list-o)" "--list-objects"
t_contains "completion: sparklint --explain spark-driver-b<TAB> lists rule ids" \
	"$(PATH="$D/usr/bin:$PATH" comp "$C/sparklint" sparklint --explain spark-driver-b)" "spark-driver-bare-pod"
t_contains "completion: sparkgen -<TAB> lists options from --help" \
	"$(PATH="$D/usr/bin:$PATH" comp "$C/sparkgen" sparkgen -)" "--env"
t_contains "completion: sparkgen APP --env <TAB> lists the app's environments" \
	"$(PATH="$D/usr/bin:$PATH" comp "$C/sparkgen" sparkgen examples/local-dev.yaml --env "")" "ci"

# ---- examples/ci ------------------------------------------------------------------

CHECK="$PYTHON tests/integration/ci_check.py"
for spec in github:examples/ci/github-actions.yml gitlab:examples/ci/gitlab-ci.yml; do
	kind=${spec%%:*} f=${spec#*:}
	t_check "ci: $f is valid YAML" $PYTHON -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f"
	t_run "ci: $f passes sparklint --inspect" 0 "$SL" --inspect "$f"
	t_run "ci: $f: every command exists (programs, make targets, --help options, DEB_BUILD)" 0 \
		env SPARKGEN="$SG" SPARKLINT="$SL" $CHECK "$kind" "$f"
done
t_contains "ci: the workflow's \"on\" is a string key for YAML 1.1 readers too" \
	"$("$SL" --inspect examples/ci/github-actions.yml)" '"on":{'
# The checker can fail.
sed -e 's/--check --diff apps/--chek apps/' -e 's/install PREFIX/instal PREFIX/' -e 's/ liblua5.4-dev$//' \
	-e 's/sparkgen --version/no-such-command --version/' examples/ci/github-actions.yml >"$W/broken.yml"
t_run "ci: the command check catches a bad option, target, package and command" 1 \
	env SPARKGEN="$SG" SPARKLINT="$SL" $CHECK github "$W/broken.yml"
for want in "sparkgen has no option --chek" "make has no target instal" "lacks DEB_BUILD's liblua5.4-dev" \
	"no-such-command: command not found"; do
	t_contains "ci: ... $want" "$T_OUT" "$want"
done

# The post-build steps, run on copies of the sample: pass, then fail on a stale one.
$CHECK --script github examples/ci/github-actions.yml >"$W/gh.sh"
sed "s|/opt/sparkgen/|$ROOT/|g" >"$W/gl.sh" < <($CHECK --script gitlab examples/ci/gitlab-ci.yml)
if [ $HAVE_O = 1 ]; then
	for ci in gh gl; do
		rm -rf "$W/ci-$ci" && cp -r "$GX" "$W/ci-$ci"
		t_run "ci: $ci steps pass on the sample repository" 0 bash -c "cd '$W/ci-$ci' && bash '$W/$ci.sh'"
	done
	# (infos, which never fail a run, depend on the templates of the day)
	t_check "ci: github: sparklint.sarif is SARIF 2.1.0 with no error or warning" $PYTHON -c '
import json, sys; d = json.load(open(sys.argv[1]))
r = [x for x in d["runs"][0]["results"] if x["level"] != "note"]
assert d["version"] == "2.1.0" and r == [], r' "$W/ci-gh/sparklint.sarif"
	t_check "ci: gitlab: the Code Quality report has nothing above info" $PYTHON -c '
import json, sys; r = [i for i in json.load(open(sys.argv[1])) if i["severity"] != "info"]
assert r == [], r' "$W/ci-gl/gl-code-quality.json"
	for ci in gh gl; do
		sed -i 's/^      instances: 1$/      instances: 2/' "$W/ci-$ci/apps/clickstream.yaml"
		cp "$S/platform/clickstream-ui.yaml" "$W/ci-$ci/clusters/extra.yaml"
		sed 's/name: clickstream-ui/name: orphan/; s/sparkgen.io\/app: clickstream/sparkgen.io\/app: nothing/' \
			"$S/platform/clickstream-ui.yaml" >"$W/ci-$ci/clusters/orphan.yaml"
		t_run "ci: $ci steps fail on a stale sample" 1 bash -c "cd '$W/ci-$ci' && bash '$W/$ci.sh'"
		t_contains "ci: ... with the diff" "$T_OUT" "+        - spark.executor.instances=2"
	done
	t_check "ci: github: the SARIF has the dangling Service at clusters/orphan.yaml" $PYTHON -c '
import json, sys; r = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert [(x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
	for x in r if x["level"] != "note"] == [("dangling-service", "clusters/orphan.yaml")], r' "$W/ci-gh/sparklint.sarif"
	t_check "ci: gitlab: the Code Quality report has it, in GitLab format" $PYTHON -c '
import json, sys; r = [i for i in json.load(open(sys.argv[1])) if i["severity"] != "info"]
assert len(r) == 1, r
i = r[0]
assert i["check_name"] == "dangling-service" and i["severity"] == "minor", i
assert i["location"] == {"path": "clusters/orphan.yaml", "lines": {"begin": 7}}, i
assert isinstance(i["description"], str) and i["fingerprint"], i' "$W/ci-gl/gl-code-quality.json"
else
	t_skip "ci: steps run on the sample" "sparkgen -o not wired yet"
fi
# The Code Quality filter on many findings: one issue each, unique fingerprints.
"$SL" -f json tests/cli/lint-text/pods.yaml >"$W/many.json" 2>/dev/null
t_check "ci: codequality.jq gives one issue per finding, unique fingerprints, GitLab severities" $PYTHON -c '
import json, subprocess, sys
src = json.load(open(sys.argv[1]))["findings"]
out = json.loads(subprocess.run(["jq", "-f", "examples/ci/codequality.jq", sys.argv[1]],
	capture_output=True, text=True, check=True).stdout)
assert len(src) > 3 and len(out) == len(src), (len(src), len(out))
assert len({i["fingerprint"] for i in out}) == len(out)
for f, i in zip(src, out):
	assert i["check_name"] == f["rule"] and i["location"]["path"] == f["file"]
	assert i["location"]["lines"]["begin"] == f["line"]
	assert i["severity"] in ("info", "minor", "major", "critical", "blocker")' "$W/many.json"

exit 0
