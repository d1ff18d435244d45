#!/usr/bin/env bash
# tests/lint/suite.sh: sparklint end to end.
#   - the flagship rules on a hand-written corpus (exact line and column);
#   - the engine with its own test rules (tests/lint/rules): positions, ctx API,
#     formats, exit codes, config, suppressions, --context, determinism;
#   - hostile rules (tests/lint/hostile-rules) and malformed rule files
#     (tests/lint/malformed), --test-rules, --inspect, CLI errors.
# Markers '# expect: RULE [col=N]' in the corpora are checked by expect.py.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

if [ ! -x "$SPARKLINT" ]; then
	t_skip "sparklint suite" "no sparklint binary at '$SPARKLINT'"
	exit 0
fi
unset SPARKLINT_RULES_DIR NO_COLOR
L=$SPARKLINT
ABS_L=$(cd "$(dirname "$L")" && pwd)/$(basename "$L")
TR=tests/lint/rules
ABS_TR=$PWD/$TR
T=$(t_tmpdir)
trap 'rm -rf "$T"' EXIT

# tl ARGS...: sparklint with only the engine's test rules, no config file.
tl() { SPARKLINT_RULES_DIR=$TR "$L" --no-config "$@"; }
# jq-like checks on a JSON file with Debian's python.
pyjson() { "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }
# elapsed milliseconds of a command (its output discarded)
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }

FLAG=spark-driver-bare-pod,spark-checkpoint-volume-missing
ENGINE_RULES=t-driver-pod,t-image-latest,t-claim-missing,t-duplicate,t-backoff

# ---- flagship rules on the hand-written corpus ------------------------------

t_run "corpus: built-in rules run (findings: exit 1)" 1 "$L" --no-config -f json tests/lint/corpus
printf '%s\n' "$T_OUT" >"$T/corpus.json"
t_check "corpus: bare-pod and checkpoint findings exactly at the markers" \
	"$PYTHON" tests/lint/expect.py "$T/corpus.json" "$FLAG" tests/lint/corpus/*.yaml
t_check "corpus: nothing from the flagship rules in the decoy file" \
	pyjson "$T/corpus.json" "assert not [f for f in d['findings'] if f['file'].endswith('executor-template.yaml') and f['rule'] in '$FLAG'.split(',')]"

t_run "stdin: '-' reads the manifest from standard input" 1 \
	"$L" --no-config -f json - <tests/lint/corpus/drivers.yaml
printf '%s\n' "$T_OUT" >"$T/stdin.json"
t_check "stdin: same findings and positions as the file, named <stdin>" "$PYTHON" -c '
import json, sys
a = json.load(open(sys.argv[1]))["findings"]; b = json.load(open(sys.argv[2]))["findings"]
key = lambda f: (f["rule"], f["line"], f["column"], f["message"])
fa = sorted(key(f) for f in a if f["file"] == "tests/lint/corpus/drivers.yaml")
fb = sorted(key(f) for f in b)
assert fa == fb and fa, (fa, fb)
assert {f["file"] for f in b} == {"<stdin>"}' "$T/corpus.json" "$T/stdin.json"

# ---- the engine with its test rules --------------------------------------------

t_run "engine: test rules run over the engine corpus" 1 tl -f json tests/lint/engine
printf '%s\n' "$T_OUT" >"$T/engine.json"
t_check "engine: findings exactly at the markers (paths, indices, ancestors)" \
	"$PYTHON" tests/lint/expect.py "$T/engine.json" "$ENGINE_RULES" \
	tests/lint/engine/app.yaml tests/lint/engine/other.yml
t_check "engine: JSON input positions (kind 3:3, image 5:41)" pyjson "$T/engine.json" '
got = sorted((f["rule"], f["line"], f["column"]) for f in d["findings"] if f["file"] == "tests/lint/engine/app.json")
assert got == [("t-driver-pod", 3, 3), ("t-image-latest", 5, 41)], got'
t_check "engine: report severity override and hint override" pyjson "$T/engine.json" '
f = [f for f in d["findings"] if f["message"] == "ttlSecondsAfterFinished is not set"][0]
assert f["severity"] == "info" and f["hint"] == "set spec.ttlSecondsAfterFinished", f'
t_check "engine: finish() cross-file report names the other file" pyjson "$T/engine.json" '
f = [f for f in d["findings"] if f["rule"] == "t-duplicate"][0]
assert f["message"] == "Pod/default/driver also defined in tests/lint/engine/app.yaml", f'

# ---- formats ---------------------------------------------------------------------

t_run "text: findings exit 1" 1 tl tests/lint/engine/app.yaml
t_contains "text: file:line:col: severity: message [rule]" "$T_OUT" \
	"tests/lint/engine/app.yaml:33:13: error: claim 'gone' not found in namespace 'apps' [t-claim-missing]"
t_contains "text: indented hint line" "$T_OUT" $'[t-claim-missing]\n  hint: add the claim or fix its name'
t_contains "text: summary line on stdout" "$T_OUT" "7 problems (3 errors, 3 warnings, 1 info) in 1 file"
case "$T_OUT" in *$'\033'*) t_fail "text: no colour when not a terminal" "$T_OUT" ;; *) t_ok "text: no colour when not a terminal" ;; esac
t_run "text: --color always" 1 tl --color always tests/lint/engine/app.yaml
case "$T_OUT" in *$'\033[31m'*) t_ok "text: --color always colours" ;; *) t_fail "text: --color always colours" "$T_OUT" ;; esac
if command -v script >/dev/null 2>&1; then
	out=$(SPARKLINT_RULES_DIR=$TR script -qec "$L --no-config tests/lint/engine/app.yaml" /dev/null 2>&1)
	case "$out" in *$'\033['*) t_ok "text: colour on a terminal" ;; *) t_fail "text: colour on a terminal" "$out" ;; esac
	out=$(NO_COLOR=1 SPARKLINT_RULES_DIR=$TR script -qec "$L --no-config tests/lint/engine/app.yaml" /dev/null 2>&1)
	case "$out" in *$'\033['*) t_fail "text: NO_COLOR honoured on a terminal" "$out" ;; *) t_ok "text: NO_COLOR honoured on a terminal" ;; esac
	# stderr's diagnostics (a config error) follow --color too
	printf 'rules: {t-no-such: off}\n' >"$T/color-cfg.yaml"
	out=$(SPARKLINT_RULES_DIR=$TR script -qec "$L --color never -c $T/color-cfg.yaml tests/lint/engine/app.yaml" /dev/null 2>&1)
	case "$out" in
	*$'\033['*) t_fail "text: --color never on a terminal, stderr too" "$out" ;;
	*"unknown rule 't-no-such'"*) t_ok "text: --color never on a terminal, stderr too" ;;
	*) t_fail "text: --color never on a terminal, stderr too" "$out" ;;
	esac
else
	t_skip "text: colour on a terminal" "no script(1)"
fi
t_run "text: -q prints only findings at the fail level, no summary" 1 tl -q tests/lint/engine/app.yaml
case "$T_OUT" in *warning*|*problems*) t_fail "text: -q output" "$T_OUT" ;; *) t_ok "text: -q output" ;; esac
t_run "json: -q, the same findings and no summary (its counts would include what -q hides)" 1 tl -q -f json tests/lint/engine/app.yaml
printf '%s\n' "$T_OUT" >"$T/q.json"
t_check "json: ... only the errors, no 'summary'" pyjson "$T/q.json" '
assert list(d) == ["findings"], list(d)
assert d["findings"] and all(f["severity"] == "error" for f in d["findings"]), d'

t_check "json: exact shape of findings, objects and summary" pyjson "$T/engine.json" '
assert list(d) == ["findings", "summary"], list(d)
keys = ["rule", "severity", "message", "hint", "file", "line", "column", "object"]
for f in d["findings"]:
    assert list(f) == keys, list(f)
    assert f["severity"] in ("error", "warning", "info")
    assert isinstance(f["line"], int) and isinstance(f["column"], int)
    assert list(f["object"]) == ["apiVersion", "kind", "namespace", "name"], f
s = d["summary"]
assert list(s) == ["files", "documents", "findings", "errors", "warnings", "infos", "suppressed"], s
assert s["files"] == 3 and s["documents"] == 6, s
assert s["findings"] == len(d["findings"]) == s["errors"] + s["warnings"] + s["infos"], s
assert s["suppressed"] == 4, s'
t_run "json: a rule-error has a null object" 2 tl -f json -r tests/lint/hostile-rules/h-nil-index tests/lint/engine/app.yaml
printf '%s\n' "$T_OUT" >"$T/err.json"
t_check "json: rule-error finding shape" pyjson "$T/err.json" '
e = [f for f in d["findings"] if f["rule"] == "rule-error"]
assert len(e) == 1 and e[0]["object"] is None and e[0]["hint"] is None, e
assert e[0]["file"] == "tests/lint/hostile-rules/h-nil-index/h-nil-index.lua" and e[0]["line"] == 11, e'

t_run "sarif: written" 1 tl -f sarif tests/lint/engine
printf '%s\n' "$T_OUT" >"$T/out.sarif"
t_check "sarif: driver, rules, columnKind, uriBaseId, ruleIndex" pyjson "$T/out.sarif" '
assert d["version"] == "2.1.0"
run = d["runs"][0]; drv = run["tool"]["driver"]
assert drv["name"] == "sparklint" and drv["version"] and drv["informationUri"].startswith("https://")
ids = [r["id"] for r in drv["rules"]]
assert ids == sorted(ids) and "t-claim-missing" in ids, ids
for r in drv["rules"]:
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
assert run["columnKind"] == "unicodeCodePoints"
assert len(run["results"]) == 10, len(run["results"])
for res in run["results"]:
    assert ids[res["ruleIndex"]] == res["ruleId"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert loc["artifactLocation"]["uri"].startswith("tests/lint/engine/")
    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1'
t_check "sarif: invocations: findings (exit 1) are a successful run" pyjson "$T/out.sarif" '
inv = d["runs"][0]["invocations"]
assert inv == [{"executionSuccessful": True, "exitCode": 1}], inv'
t_run "sarif: clean run" 0 tl -f sarif tests/lint/context/app --context tests/lint/context/shared
printf '%s\n' "$T_OUT" >"$T/clean.sarif"
t_check "sarif: results is [] when clean" pyjson "$T/clean.sarif" 'assert d["runs"][0]["results"] == []'
t_check "sarif: invocations: a clean run is exit 0, successful" pyjson "$T/clean.sarif" '
assert d["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 0}], d["runs"][0]'
"$L" --no-config -f sarif tests/lint/corpus >"$T/builtin.sarif"
t_check "sarif: built-in rules carry helpUri to docs/rules/<id>.md" pyjson "$T/builtin.sarif" '
r = [r for r in d["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "spark-driver-bare-pod"][0]
assert r["helpUri"].endswith("/docs/rules/spark-driver-bare-pod.md"), r'
# One file, one URI, however it was named: through '..', './', a symlinked
# working directory or an absolute path under it (GitHub matches alerts by path).
mkdir -p "$T/srcroot/clusters"
cp tests/lint/engine/app.yaml "$T/srcroot/clusters/app.yaml"
ln -s "$T/srcroot" "$T/srcroot-link"
uris() { "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted({l["physicalLocation"]["artifactLocation"]["uri"] + "@" + l["physicalLocation"]["artifactLocation"].get("uriBaseId", "-") for r in d["runs"][0]["results"] for l in r["locations"]})))'; }
t_eq "sarif: uri of a path through '..'" \
	"$(cd "$T/srcroot" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" --no-config -f sarif ../srcroot/clusters | uris)" "clusters/app.yaml@%SRCROOT%"
t_eq "sarif: ... of './' and '/./' in a subdirectory" \
	"$(cd "$T/srcroot/clusters" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" --no-config -f sarif ../clusters/./app.yaml | uris)" "app.yaml@%SRCROOT%"
t_eq "sarif: ... of an absolute path from a symlinked working directory" \
	"$(cd "$T/srcroot-link" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" --no-config -f sarif "$T/srcroot-link/clusters" | uris)" "clusters/app.yaml@%SRCROOT%"
t_eq "sarif: ... of a file outside the working directory: absolute, no base" \
	"$(cd "$T/srcroot/clusters" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" --no-config -f sarif "$ABS_TR/../engine/app.yaml" | uris)" \
	"file://$(realpath tests/lint/engine/app.yaml)@-"
if [ -n "${SK_SKIP_ORACLE:-}" ] || ! command -v node >/dev/null 2>&1 || [ ! -x "$SHARED/oracle/run" ]; then
	t_skip "sarif: schema validation" "no node or no oracle"
else
	t_check "sarif: valid against the SARIF 2.1.0 schema (findings)" "$SHARED/oracle/run" sarif-validate "$T/out.sarif"
	t_check "sarif: valid against the SARIF 2.1.0 schema (clean, built-in)" \
		"$SHARED/oracle/run" sarif-validate "$T/clean.sarif" "$T/builtin.sarif"
fi

# Text that is not UTF-8 (a file name from readdir, a message a rule built
# from bytes) is written as U+FFFD in JSON and SARIF: jansson refuses it,
# which once broke the JSON and silently dropped SARIF results.
mkdir -p "$T/names" "$T/badmsg"
cp tests/lint/engine/app.yaml "$T/names/bad$(printf '\377').yaml"
cat >"$T/badmsg/t-badmsg.lua" <<'EOR'
return {
	id = "t-badmsg", severity = "error", category = "test", description = "bytes \255",
	hint = "none", kinds = { "Pod" },
	check = function(obj, ctx) ctx:report{ message = "m\255\254 bytes" } end,
}
EOR
t_run "utf-8: a file name that is not UTF-8, json" 1 tl -f json "$T/names"
printf '%s\n' "$T_OUT" >"$T/names.json"
t_check "utf-8: ... parses, the name with U+FFFD" pyjson "$T/names.json" '
f = {x["file"] for x in d["findings"]}
assert len(f) == 1 and f.pop().endswith("/names/bad\ufffd.yaml"), f'
t_run "utf-8: a rule message that is not UTF-8, sarif" 1 tl -r "$T/badmsg" --rule t-badmsg -f sarif tests/lint/engine/app.yaml
printf '%s\n' "$T_OUT" >"$T/badmsg.sarif"
t_check "utf-8: ... the result is there, with U+FFFD" pyjson "$T/badmsg.sarif" '
r = d["runs"][0]["results"]
assert [x["message"]["text"] for x in r] == ["m\ufffd\ufffd bytes"], r
assert d["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == "bytes \ufffd"'
# a file that cannot be read has no line: its SARIF location starts at line 1
t_run "sarif: an unreadable input is exit 2" 2 tl -f sarif tests/lint/engine/app.yaml "$T/no-such.yaml"
printf '%s\n' "$T_OUT" >"$T/io.sarif"
t_check "sarif: ... its result has region.startLine 1" pyjson "$T/io.sarif" '
r = [x for x in d["runs"][0]["results"] if x["ruleId"] == "io"]
assert len(r) == 1 and r[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}, r'
t_check "sarif: ... invocations: exit 2, not successful (the run is incomplete)" pyjson "$T/io.sarif" '
assert d["runs"][0]["invocations"] == [{"executionSuccessful": False, "exitCode": 2}], d["runs"][0]'
# exit 2 decided after the findings (no documents): the SARIF says 2 as well
mkdir -p "$T/nodocs"
t_run "sarif: no documents is exit 2" 2 tl -f sarif "$T/nodocs"
printf '%s\n' "$T_OUT" >"$T/nodocs.sarif"
t_eq "sarif: ... stderr says why" "$T_ERR" "sparklint: no documents found in the given paths"
t_check "sarif: ... invocations say exit 2, not successful, and why (a toolExecutionNotification)" pyjson "$T/nodocs.sarif" '
inv = d["runs"][0]["invocations"]
assert len(inv) == 1 and inv[0]["executionSuccessful"] is False and inv[0]["exitCode"] == 2, inv
assert inv[0]["toolExecutionNotifications"] == [{"level": "error", "message": {"text": "no documents found in the given paths"}}], inv
assert "toolConfigurationNotifications" not in inv[0], inv
assert d["runs"][0]["results"] == [], d'
mkdir -p "$T/noobj"
printf 'just text\n' >"$T/noobj/t.yaml"
t_run "sarif: no Kubernetes object is exit 2" 2 tl -f sarif "$T/noobj"
printf '%s\n' "$T_OUT" >"$T/noobj.sarif"
t_check "sarif: ... the notification says so" pyjson "$T/noobj.sarif" '
n = d["runs"][0]["invocations"][0]["toolExecutionNotifications"]
assert [(x["level"], x["message"]["text"]) for x in n] == [("error", "no Kubernetes objects in the given paths: 1 document, none a mapping with a \x27kind\x27")], n'
t_run "github: no documents is exit 2" 2 tl -f github "$T/nodocs"
t_eq "github: ... an ::error command says why" "$T_OUT" "::error title=sparklint::no documents found in the given paths"
t_eq "github: ... stderr unchanged" "$T_ERR" "sparklint: no documents found in the given paths"
if [ -z "${SK_SKIP_ORACLE:-}" ] && command -v node >/dev/null 2>&1 && [ -x "$SHARED/oracle/run" ]; then
	t_check "utf-8, io, no documents: the SARIF is valid" "$SHARED/oracle/run" sarif-validate \
		"$T/badmsg.sarif" "$T/io.sarif" "$T/nodocs.sarif" "$T/noobj.sarif"
fi
# an input that is not YAML: exit 2, and the error is a result at its position
t_run "sarif: a YAML error in an input is exit 2" 2 tl -f sarif tests/cli/lint-bad-yaml/bad.yaml tests/cli/lint-bad-yaml/good.yaml
printf '%s\n' "$T_OUT" >"$T/badyaml.sarif"
t_check "sarif: ... the yaml error is a result with its position, rule 'yaml' in driver.rules" pyjson "$T/badyaml.sarif" '
run = d["runs"][0]
r = [x for x in run["results"] if x["ruleId"] == "yaml"]
assert len(r) == 1 and r[0]["level"] == "error", r
loc = r[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"] == {"uri": "tests/cli/lint-bad-yaml/bad.yaml", "uriBaseId": "%SRCROOT%"}, loc
assert loc["region"] == {"startLine": 6, "startColumn": 1}, loc
assert run["tool"]["driver"]["rules"][r[0]["ruleIndex"]]["id"] == "yaml", run["tool"]
assert run["invocations"] == [{"executionSuccessful": False, "exitCode": 2}], run["invocations"]'

# a configuration that stops the run (exit 2) still gives a SARIF log for
# upload-sarif: no results, the error as a configuration notification
printf 'rules:\n  t-backoff: {severity: warn}\n' >"$T/badsev.yaml"
t_run "sarif: a configuration error is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -f sarif -c "$T/badsev.yaml" tests/lint/engine/app.yaml
printf '%s\n' "$T_OUT" >"$T/badcfg.sarif"
t_eq "sarif: ... stderr unchanged" "$T_ERR" "$T/badsev.yaml:2:25: error: 'severity' must be off, error, warning or info [config]"
t_check "sarif: ... a log with no results, exit 2, the error as a toolConfigurationNotification" pyjson "$T/badcfg.sarif" '
assert len(d["runs"]) == 1, d
run = d["runs"][0]
assert run["tool"]["driver"]["name"] == "sparklint" and run["results"] == [], run
inv = run["invocations"]
assert len(inv) == 1 and inv[0]["executionSuccessful"] is False and inv[0]["exitCode"] == 2, inv
assert "toolExecutionNotifications" not in inv[0], inv
n = inv[0]["toolConfigurationNotifications"]
assert len(n) == 1, n
assert n[0]["level"] == "error" and n[0]["message"]["text"] == "\x27severity\x27 must be off, error, warning or info", n
phys = n[0]["locations"][0]["physicalLocation"]
assert phys["artifactLocation"]["uri"].endswith("/badsev.yaml") and phys["region"] == {"startLine": 2, "startColumn": 25}, phys
assert n[0]["descriptor"]["id"] == "config", n
assert run["tool"]["driver"]["notifications"][n[0]["descriptor"]["index"]]["id"] == "config", run["tool"]'
# the .sparklint.yaml found in the working directory: a relative URI, as results have
mkdir -p "$T/sarif-cfg"
printf 'rules: [\n' >"$T/sarif-cfg/.sparklint.yaml"
cp tests/lint/engine/app.yaml "$T/sarif-cfg/app.yaml"
(cd "$T/sarif-cfg" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" -f sarif . >"$T/cfgyaml.sarif" 2>/dev/null; echo $? >"$T/cfgyaml.rc")
t_eq "sarif: a YAML error in .sparklint.yaml is exit 2" "$(cat "$T/cfgyaml.rc")" 2
t_check "sarif: ... the notification names .sparklint.yaml relative to %SRCROOT%, at the error" pyjson "$T/cfgyaml.sarif" '
run = d["runs"][0]
n = run["invocations"][0]["toolConfigurationNotifications"]
assert len(n) == 1 and n[0]["descriptor"]["id"] == "yaml" and n[0]["level"] == "error", n
assert n[0]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": ".sparklint.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 2, "startColumn": 1}}}], n
assert run["results"] == [] and run["invocations"][0]["exitCode"] == 2, run'
t_run "sarif: a malformed rule is exit 2" 2 tl -f sarif -r tests/lint/malformed/no-check tests/lint/engine/app.yaml
printf '%s\n' "$T_OUT" >"$T/badrule.sarif"
t_check "sarif: ... a log whose notification points at the rule file" pyjson "$T/badrule.sarif" '
n = d["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
assert [x["descriptor"]["id"] for x in n] == ["rule-error"], n
assert n[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("tests/lint/malformed/no-check/"), n'
# a usage error is no run: no report, as before
t_run "sarif: --rule naming no rule is a usage error, exit 2" 2 tl -f sarif --rule t-no-such tests/lint/engine/app.yaml
t_eq "sarif: ... and writes no report" "$T_OUT" ""
t_run "sarif: a bad flag is exit 2" 2 tl -f sarif --jobs zero tests/lint/engine/app.yaml
t_eq "sarif: ... and writes no report" "$T_OUT" ""
t_run "github: a configuration error is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -f github -c "$T/badsev.yaml" tests/lint/engine/app.yaml
t_eq "github: ... an ::error command at the config's position" "$T_OUT" \
	"::error file=$T/badsev.yaml,line=2,col=25,title=config::'severity' must be off, error, warning or info"
t_run "json: a configuration error writes no report, as before" 2 env SPARKLINT_RULES_DIR=$TR "$L" -f json -c "$T/badsev.yaml" tests/lint/engine/app.yaml
t_eq "json: ... stdout is empty" "$T_OUT" ""
if [ -z "${SK_SKIP_ORACLE:-}" ] && command -v node >/dev/null 2>&1 && [ -x "$SHARED/oracle/run" ]; then
	t_check "yaml error, configuration error, malformed rule: the SARIF is valid" "$SHARED/oracle/run" sarif-validate \
		"$T/badyaml.sarif" "$T/badcfg.sarif" "$T/cfgyaml.sarif" "$T/badrule.sarif"
else
	t_skip "sarif: schema validation of stopped runs" "no node or no oracle"
fi

t_run "github: annotations" 1 tl -f github tests/lint/engine/app.yaml
t_contains "github: ::error with file, line, col and title" "$T_OUT" \
	"::error file=tests/lint/engine/app.yaml,line=33,col=13,title=t-claim-missing::claim 'gone' not found in namespace 'apps'%0Ahint: add the claim or fix its name"
t_contains "github: warnings and notices" "$T_OUT" "::notice file=tests/lint/engine/app.yaml,line=20,col=1,title=t-backoff::"
mkdir -p "$T/esc" "$T/escrules"
cat >"$T/escrules/t-esc.lua" <<'EOF'
return { id = "t-esc", severity = "warning", category = "test", description = "escaping",
  hint = "a,b: 100%", kinds = { "ConfigMap" },
  check = function(obj, ctx) ctx:report{ message = "50% done\r\nnext: a, b" } end }
EOF
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' >"$T/esc/a,b:c.yaml"
t_run "github: escaping" 0 env SPARKLINT_RULES_DIR="$T/escrules" "$L" --no-config -f github "$T/esc"
t_contains "github: %, CR, LF escaped in the message; ',' and ':' in properties" "$T_OUT" \
	"file=$T/esc/a%2Cb%3Ac.yaml,line=1,col=1,title=t-esc::50%25 done%0D%0Anext: a, b%0Ahint: a,b: 100%25"
cat >"$T/escrules/t-esc.lua" <<'EOF'
return { id = "t-esc", severity = "warning", category = "test", description = "escaping",
  hint = "h", kinds = { "ConfigMap" },
  check = function(obj, ctx) ctx:report{ message = "a\27[31mred\226\128\174b\r\nc" } end }
EOF
t_run "github: control characters" 0 env SPARKLINT_RULES_DIR="$T/escrules" "$L" --no-config -f github "$T/esc"
t_contains "github: ESC and U+202E shown as the text format shows them, CR LF still %0D%0A" "$T_OUT" \
	"title=t-esc::a\\x1b[31mred\\u202eb%0D%0Ac%0Ahint: h"

# ---- exit codes and --fail-level ---------------------------------------------------

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >"$T/clean.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec: {containers: [{name: a, image: nginx}]}\n' >"$T/warn.yaml"
printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {backoffLimit: 1, template: {}}\n' >"$T/info.yaml"
t_run "exit 0: clean" 0 tl "$T/clean.yaml"
[ -z "$T_OUT" ] && t_ok "clean run prints nothing" || t_fail "clean run prints nothing" "$T_OUT"
t_run "exit 0: only warnings below the default fail level" 0 tl "$T/warn.yaml"
t_contains "warnings are still printed" "$T_OUT" "warning: container 'a' uses image 'nginx'"
t_run "exit 1: --fail-level warning" 1 tl --fail-level warning "$T/warn.yaml"
t_run "exit 0: info below --fail-level warning" 0 tl --fail-level warning "$T/info.yaml"
t_run "exit 1: --fail-level info" 1 tl --fail-level=info "$T/info.yaml"
t_run "exit 1: errors" 1 tl "$T/clean.yaml" tests/lint/engine/app.yaml
t_run "exit 2: bad --fail-level" 2 tl --fail-level fatal "$T/clean.yaml"
t_contains "usage errors name the problem" "$T_ERR" "sparklint: unknown level 'fatal'"
t_run "exit 2: --no-config with -c" 2 "$L" --no-config -c "$T/clean.yaml" "$T/clean.yaml"
t_contains "--no-config with -c: says why" "$T_ERR" "sparklint: --no-config and --config contradict each other"
t_run "exit 2: unknown option" 2 tl --frobnicate "$T/clean.yaml"
t_contains "unknown option message" "$T_ERR" "sparklint: unknown option '--frobnicate'"
t_run "exit 2: unknown format" 2 tl -f xml "$T/clean.yaml"
t_run "exit 2: option without its value" 2 tl "$T/clean.yaml" --format
t_run "exit 2: missing file, other files still linted" 2 tl "$T/nope.yaml" "$T/warn.yaml"
t_contains "missing file is an io finding" "$T_OUT" "$T/nope.yaml: error: cannot open '$T/nope.yaml': No such file or directory [io]"
t_contains "other file still linted" "$T_OUT" "warning: container 'a' uses image 'nginx'"
if [ -w /dev/full ]; then
	t_run "exit 2: a failed write to stdout" 2 sh -c 'SPARKLINT_RULES_DIR=$1 "$2" --no-config "$3" >/dev/full' sh "$TR" "$L" tests/lint/engine/app.yaml
	t_contains "write failure reported" "$T_ERR" "writing output failed"
fi
t_run "--help" 0 "$L" --help
[ "$(printf '%s\n' "$T_OUT" | wc -l)" -le 30 ] && t_ok "--help fits on a screen" || t_fail "--help fits on a screen" "$T_OUT"
t_run "--version" 0 "$L" --version
t_contains "--version prints the version" "$T_OUT" "sparklint "

# ---- input problems ---------------------------------------------------------------

mkdir -p "$T/empty" "$T/broken"
t_run "zero documents: empty directory is exit 2" 2 tl "$T/empty"
t_contains "zero documents: says so" "$T_ERR" "no documents found"
printf '# only a comment\n---\n' >"$T/comments.yaml"
t_run "zero documents: a file of comments is exit 2" 2 tl "$T/comments.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: d, labels: {spark-role: driver}}\n---\nkind: [unclosed\n' >"$T/broken/bad.yaml"
cp "$T/warn.yaml" "$T/broken/good.yaml"
t_run "unparsable file: exit 2" 2 tl -f json "$T/broken"
printf '%s\n' "$T_OUT" >"$T/broken.json"
t_check "unparsable file: a yaml finding with its position; the rest still linted" pyjson "$T/broken.json" '
rules = {f["rule"]: f for f in d["findings"]}
y = rules["yaml"]
assert y["file"].endswith("bad.yaml") and y["line"] == 6 and y["column"] >= 1, y
assert "t-driver-pod" in rules and "t-image-latest" in rules, list(rules)'

# Documents none of which is an object are an error too: a failed `helm template | sparklint -`.
t_run "no objects: text on stdin is exit 2" 2 tl - <<<"helm failed to render the chart"
t_contains "no objects: ... says why" "$T_ERR" "sparklint: no Kubernetes objects in the given paths: 1 document, none a mapping with a 'kind'"
printf '[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]\n' >"$T/array.json"
t_run "no objects: a JSON array of manifests is exit 2" 2 tl "$T/array.json"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\njust text\n' >"$T/mixed.yaml"
t_run "no objects: one object among other documents lints as usual" 0 tl "$T/mixed.yaml"
# A NUL in a value a message quotes is written \0: the rest of the message is not lost.
printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p\\u0000x","labels":{"spark-role":"driver"}},"spec":{"containers":[]}}\n' >"$T/nul.json"
t_run "messages: a NUL in a quoted value" 1 tl "$T/nul.json"
t_contains "messages: ... is written \\0, the rest kept" "$T_OUT" "error: pod 'p\\0x' is a bare driver [t-driver-pod]"
t_run "a missing file: exit 2" 2 tl "$T/no-such.yaml"
t_contains "a missing file: the report says why" "$T_OUT" "cannot open '$T/no-such.yaml'"
case "$T_ERR" in *"no documents found"*) t_fail "a missing file: ... and nothing else says 'no documents'" "$T_ERR" ;;
	*) t_ok "a missing file: ... and nothing else says 'no documents'" ;; esac
# An endless pipe is read up to 256 MiB, then an error (not the OOM killer;
# the address space limit keeps a regression from taking the machine).
lim='ulimit -v 2000000;'
[ -n "${SK_SANITIZED:-}" ] && lim=
t_run "stdin: an endless pipe ends in an error" 2 \
	bash -c "$lim"'yes "a: 1" | '"$(printf '%q ' env SPARKLINT_RULES_DIR="$TR" "$L" --no-config -)"
t_contains "stdin: ... saying how much it read, of <stdin>" "$T_OUT" "<stdin>: error: '<stdin>' is larger than 268435456 bytes"

# ---- directories --------------------------------------------------------------------

mkdir -p "$T/tree/b" "$T/tree/a/.hidden" "$T/tree/c"
cp "$T/warn.yaml" "$T/tree/b/z.yml"
cp "$T/warn.yaml" "$T/tree/a/y.yaml"
cp "$T/warn.yaml" "$T/tree/a/.hidden/x.yaml"
cp "$T/warn.yaml" "$T/tree/a/notes.txt"
printf '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": [{"name": "a", "image": "nginx"}]}}\n' >"$T/tree/c/p.json"
ln -s .. "$T/tree/c/loop"
ln -s ../b "$T/tree/c/b-again"
ln -s ../b/z.yml "$T/tree/c/z-again.yml"
t_run "directories: walked recursively, symlink loops and repeats skipped" 0 tl -f json "$T/tree"
printf '%s\n' "$T_OUT" >"$T/tree.json"
t_check "directories: *.yaml, *.yml, *.json only; hidden skipped; each file once (a symlinked file too)" pyjson "$T/tree.json" '
files = sorted({f["file"][len("'"$T/tree/"'"):] for f in d["findings"]})
assert files == ["a/y.yaml", "b/z.yml", "c/p.json"], files
assert d["summary"]["files"] == 3, d["summary"]'

# ---- paths, argument order, list documents -----------------------------------------

mkdir -p "$T/args/sl"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "nginx"}]\n' >"$T/args/pod.yaml"
(cd "$T/args" && "$ABS_L" --no-config --rule latest-tag .//pod.yaml >"$T/dsl.out" 2>&1; echo $? >"$T/dsl.rc")
t_eq "paths: './/pod.yaml' is ./pod.yaml, not /pod.yaml" "$(cat "$T/dsl.rc"; head -1 "$T/dsl.out" | cut -d: -f1-3)" "0
pod.yaml:5:26"
cp "$T/args/pod.yaml" "$T/args/sl/ok.yaml"
ln -s missing.yaml "$T/args/sl/dangling.yaml"
ln -s missing-dir "$T/args/sl/vendor"		# not a manifest's name: may have been a directory
t_run "paths: a *.yaml symlink to nothing in a directory is an io error (exit 2)" 2 \
	"$L" --no-config --rule latest-tag "$T/args/sl"
t_contains "paths: ... naming it" "$T_OUT" "$T/args/sl/dangling.yaml: error: cannot open '$T/args/sl/dangling.yaml': No such file or directory [io]"
t_contains "paths: ... and the other files are still linted" "$T_OUT" "$T/args/sl/ok.yaml:5:26: warning:"
case $T_OUT in *vendor*) t_fail "paths: ... a dangling symlink of another name is skipped" "$T_OUT" ;;
*) t_ok "paths: ... a dangling symlink of another name is skipped" ;; esac
# Two drivers sharing an executor pod name prefix: the finding is on the later
# one in path order, whatever order the files are named in.
D=examples/gitops/clusters/prod/streaming/clickstream/job-clickstream-driver.yaml
cp "$D" "$T/args/a.yaml"
sed 's/^  name: clickstream-driver$/  name: other-driver/' "$D" >"$T/args/b.yaml"
(cd "$T/args" && "$ABS_L" --no-config --rule spark-executor-pod-name-prefix a.yaml b.yaml >"$T/ab.out" 2>&1)
(cd "$T/args" && "$ABS_L" --no-config --rule spark-executor-pod-name-prefix b.yaml a.yaml >"$T/ba.out" 2>&1)
t_eq "order: the same report whatever the order of the PATHs" "$(cat "$T/ba.out")" "$(cat "$T/ab.out")"
t_contains "order: ... the later file in path order has the finding" "$(cat "$T/ab.out")" \
	"b.yaml:63:11: error: executor podNamePrefix 'clickstream-9d7c2c' of Job 'other-driver' is also used by Job 'clickstream-driver'"
ln -s pod.yaml "$T/args/0-link.yaml"
(cd "$T/args" && "$ABS_L" --no-config --rule latest-tag pod.yaml 0-link.yaml >"$T/ab2.out" 2>&1)
(cd "$T/args" && "$ABS_L" --no-config --rule latest-tag 0-link.yaml pod.yaml >"$T/ab3.out" 2>&1)
t_eq "order: a file named twice (through a symlink) has one name whatever the order" "$(cat "$T/ab2.out")" "$(cat "$T/ab3.out")"
t_contains "order: ... the first in path order" "$(cat "$T/ab2.out")" "0-link.yaml:5:26: warning:"
cat >"$T/args/list.yaml" <<'EOF'
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: wc}
  spec:
    containers:
    - name: c
      image: nginx:1.25
      securityContext: {privileged: true}
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: sa}
EOF
t_run "lists: the items of a 'kind: List' are checked (exit 1)" 1 \
	"$L" --no-config -f json --rule privileged-container --rule non-existent-service-account "$T/args/list.yaml"
printf '%s\n' "$T_OUT" >"$T/list.json"
t_check "lists: ... each at its own position, as an object of its own" pyjson "$T/list.json" '
got = [(f["rule"], f["line"], f["column"], f["object"]["kind"], f["object"]["name"]) for f in d["findings"]]
assert got == [("privileged-container", 11, 25, "Pod", "wc")], got
assert d["summary"]["documents"] == 1, d["summary"]'
printf 'apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec: {serviceAccountName: nobody, containers: [{name: c, image: "x:1"}]}\n' >"$T/args/podlist.yaml"
t_run "lists: a PodList too" 1 "$L" --no-config --rule non-existent-service-account "$T/args/podlist.yaml"
t_contains "lists: ... the item's field" "$T_OUT" "podlist.yaml:7:10: error: serviceAccount 'nobody' of Pod 'p' not found"
printf 'apiVersion: v1\nkind: List\nitems: []\nmetadata: {resourceVersion: ""}\n' >"$T/args/empty-list.yaml"
t_run "lists: an empty List (kubectl get, nothing found) is a clean run" 0 "$L" --no-config "$T/args/empty-list.yaml"
t_eq "lists: ... with nothing said" "$T_OUT$T_ERR" ""
# An identity with a NUL in it is no identity: "sa\0evil" is not "sa".
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: "sa\\0evil"\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: "p\\0q"}\nspec:\n  serviceAccountName: sa\n  containers: [{name: c, image: "nginx:1.2"}]\n' >"$T/args/nul.yaml"
t_run "identity: a name with a NUL is not the name before it (exit 1)" 1 \
	"$L" --no-config -f json --rule non-existent-service-account "$T/args/nul.yaml"
printf '%s\n' "$T_OUT" >"$T/nul.json"
t_check "identity: ... the Pod's service account 'sa' is not found; the Pod has no name" pyjson "$T/nul.json" '
got = [(f["rule"], f["line"], f["object"]["name"]) for f in d["findings"]]
assert got == [("non-existent-service-account", 10, None)], got'
mkdir -p "$T/args/rules"
cat >"$T/args/rules/nul-find.lua" <<'EOF'
return { id = "nul-find", severity = "error", category = "test", description = "d", hint = "h",
  kinds = { "Pod" },
  check = function(obj, ctx)
    local n = 0
    if ctx:find("ServiceAccount", "sa\0evil") then n = n + 1 end
    if ctx:find("ServiceAccount", "x\0") then n = n + 1 end
    n = n + #ctx:objects("ServiceAccount\0x") + #ctx:select("Pod\0", {}) + #ctx:selecting("Pod", {}, "default\0")
    ctx:report{ message = "found " .. n }
  end }
EOF
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "nginx:1.2"}]}\n' >"$T/args/nul2.yaml"
t_run "identity: ctx:find/objects/select/selecting with a NUL in a kind, name or namespace find nothing" 1 \
	env SPARKLINT_RULES_DIR="$T/args/rules" "$L" --no-config --rule nul-find "$T/args/nul2.yaml"
t_contains "identity: ... (not the object named by the text before the NUL)" "$T_OUT" "found 0 [nul-find]"

# --context-list: the paths of a list, one a line (CRLF too); --allow-no-objects
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ctxsa}\n' >"$T/args/ctxsa.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {serviceAccountName: ctxsa, containers: [{name: c, image: "x:1"}]}\n' >"$T/args/ctxpod.yaml"
printf '%s\r\n\n' "$T/args/ctxsa.yaml" >"$T/args/ctx.list"
t_run "context-list: a listed file resolves a reference (exit 0)" 0 \
	"$L" --no-config --rule non-existent-service-account --context-list "$T/args/ctx.list" "$T/args/ctxpod.yaml"
t_run "context-list: ... and without it, it does not (exit 1)" 1 \
	"$L" --no-config --rule non-existent-service-account "$T/args/ctxpod.yaml"
printf 'on: [push]\n' >"$T/args/workflow.yaml"
: >"$T/args/blank.yaml"
t_run "allow-no-objects: without it, YAML with no Kubernetes object is an error (exit 2)" 2 "$L" --no-config "$T/args/workflow.yaml"
t_run "allow-no-objects: with it, a clean run" 0 "$L" --no-config --allow-no-objects "$T/args/workflow.yaml" "$T/args/blank.yaml"
t_eq "allow-no-objects: ... that says nothing" "$T_OUT$T_ERR" ""
t_run "allow-no-objects: findings still fail" 1 "$L" --no-config --allow-no-objects "$T/args/workflow.yaml" "$T/args/nul2.yaml" "$T/args/list.yaml"

# ---- configuration -----------------------------------------------------------------

mkdir -p "$T/proj/deploy/app" "$T/proj/policies" "$T/proj/vendor"
cp tests/lint/engine/app.yaml "$T/proj/deploy/app/app.yaml"
cp "$T/warn.yaml" "$T/proj/vendor/third.yaml"
cat >"$T/proj/policies/t-cm-name.lua" <<'EOF'
return { id = "t-cm-name", severity = "error", category = "test", description = "ConfigMap named bad",
  hint = "rename it", kinds = { "ConfigMap" },
  check = function(obj, ctx) if obj.metadata.name == "bad" then ctx:report{ path = { "metadata", "name" }, message = "ConfigMap 'bad'" } end end }
EOF
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n' >"$T/proj/deploy/cm.yaml"
cat >"$T/proj/.sparklint.yaml" <<'EOF'
# project settings
rules:
  t-image-latest: error
  t-driver-pod: off
  t-backoff:
    severity: info
    options: {maxBackoff: 20}
disable: [t-duplicate]
rulesDirs: [policies]
exclude: ["vendor", "*.tmp.yaml"]
EOF
cp "$T/warn.yaml" "$T/proj/deploy/skip.tmp.yaml"
ln -s ../vendor "$T/proj/deploy/vendored"	# excluded by its real path
(cd "$T/proj/deploy/app" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" -f json ../.. >"$T/cfg.json" 2>"$T/cfg.err"; echo $? >"$T/cfg.rc")
[ "$(cat "$T/cfg.rc")" = 1 ] && t_ok "config: found by searching upward (exit 1)" || t_fail "config: found by searching upward" "$(cat "$T/cfg.rc" "$T/cfg.err")"
t_check "config: severity override, off, disable, options, rulesDirs, exclude" pyjson "$T/cfg.json" '
rules = sorted((f["rule"], f["severity"], f["file"].split("/")[-1]) for f in d["findings"])
assert ("t-cm-name", "error", "cm.yaml") in rules, rules
assert not [r for r in rules if r[0] in ("t-driver-pod", "t-duplicate")], rules
assert not [r for r in rules if r[2] in ("third.yaml", "skip.tmp.yaml")], rules
assert ("t-image-latest", "error", "app.yaml") in rules, rules
assert [r for r in rules if r[0] == "t-backoff"] == [("t-backoff", "info", "app.yaml")], rules'
t_run "config: --no-config ignores it" 1 env SPARKLINT_RULES_DIR=$TR "$L" --no-config -q "$T/proj/deploy/cm.yaml" "$T/proj/deploy/app"
t_contains "config: --no-config keeps the rules' own severities" "$T_OUT" "error: pod 'driver' is a bare driver [t-driver-pod]"
(cd "$T/proj" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" vendor/third.yaml >"$T/ex.out" 2>"$T/ex.err"; echo $? >"$T/ex.rc")
[ "$(cat "$T/ex.rc")" = 0 ] && t_ok "config: a PATH that is excluded is skipped (exit 0)" || t_fail "config: excluded PATH" "$(cat "$T/ex.rc" "$T/ex.out" "$T/ex.err")"
t_contains "config: says every file was excluded" "$(cat "$T/ex.err")" "every file was excluded by"
(cd "$T/proj" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" -f sarif vendor/third.yaml >"$T/ex.sarif" 2>/dev/null)
t_check "config: ... which the SARIF of that clean run leaves out (the config's absolute path)" pyjson "$T/ex.sarif" '
assert d["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 0}], d["runs"][0]["invocations"]'
# An excluded directory is not opened: here one too deep to open (its path passes PATH_MAX).
mkdir -p "$T/deep/k8s" "$T/deep/pgdata"
cp "$T/clean.yaml" "$T/deep/k8s/"
(cd "$T/deep/pgdata" && n=$(printf 'd%.0s' $(seq 200)) && for i in $(seq 24); do mkdir "$n" && cd "$n" || exit 1; done)
(cd "$T/deep" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" --no-config . >"$T/deep.out" 2>&1; echo $? >"$T/deep.rc")
[ "$(cat "$T/deep.rc")" = 2 ] && t_ok "config: a directory too deep to open is an io error ..." || t_fail "config: too deep" "$(cat "$T/deep.rc"; tail -c 300 "$T/deep.out")"
printf 'exclude: [pgdata]\n' >"$T/deep/.sparklint.yaml"
(cd "$T/deep" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" . >"$T/deep.out" 2>&1; echo $? >"$T/deep.rc")
[ "$(cat "$T/deep.rc")" = 0 ] && t_ok "config: ... unless excluded: then it is not opened" || t_fail "config: excluded, not opened" "$(cat "$T/deep.rc"; tail -c 300 "$T/deep.out")"
# A .sparklint.yaml that is a symlink: its paths are relative to where it is found.
mkdir -p "$T/linked/vendor" "$T/linked/tools"
cp "$T/proj/deploy/cm.yaml" "$T/linked/vendor/"
printf 'exclude: [vendor]\n' >"$T/linked/tools/shared-sparklint.yaml"
ln -s tools/shared-sparklint.yaml "$T/linked/.sparklint.yaml"
cp "$T/clean.yaml" "$T/linked/"
(cd "$T/linked" && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" -r "$T/proj/policies" . >"$T/linked.out" 2>&1; echo $? >"$T/linked.rc")
[ "$(cat "$T/linked.rc")" = 0 ] && t_ok "config: a symlinked config excludes relative to where it is found" || t_fail "config: symlinked config" "$(cat "$T/linked.rc" "$T/linked.out")"
# --list-objects lists what a lint run of its PATHs loads: the exclude of
# the configuration found, named by -c or none (--no-config), named or walked.
lo() { (cd "$1" && shift && "$ABS_L" --list-objects "$@"); }
t_run "config: --list-objects leaves out what the exclude matches" 0 \
	lo "$T/proj" deploy vendor/third.yaml deploy/skip.tmp.yaml
t_eq "config: ... named or walked (and by its real path)" "$T_OUT" \
	"$(lo "$T/proj" --no-config deploy/app/app.yaml deploy/cm.yaml)"
t_run "config: --list-objects --no-config lists every file" 0 lo "$T/proj" --no-config vendor/third.yaml
t_eq "config: ... as a lint run loads them" "$T_OUT" "$(lo "$T/proj" --no-config "$T/warn.yaml")"
t_run "config: --list-objects with the symlinked config" 0 lo "$T/linked" .
t_eq "config: ... excludes relative to where it is found" "$T_OUT" "$(lo "$T/linked" --no-config clean.yaml)"
t_run "config: --list-objects -c FILE" 0 lo "$T/linked" -c tools/shared-sparklint.yaml .
t_eq "config: ... excludes relative to FILE's directory" "$T_OUT" \
	"$(lo "$T/linked" --no-config clean.yaml vendor/cm.yaml)"
printf 'exclude: vendor\n' >"$T/bad-exclude.yaml"
t_run "config: --list-objects with a bad configuration is exit 2" 2 \
	lo "$T/linked" -c "$T/bad-exclude.yaml" .
t_eq "config: ... listing nothing" "$T_OUT" ""
t_contains "config: ... and saying why" "$T_ERR" "$T/bad-exclude.yaml:1:10: error:"
# --list-rule-files: the directories a lint run reads rules from (the
# built-in one, the configuration's rulesDirs, -r's) and each one's lib/,
# then the real path of each *.lua read there, relative to the current
# directory when under it; for the pre-commit hook.
mkdir -p "$T/rf/pol/lib" "$T/rf/shared" "$T/rf/sub"
printf 'rulesDirs: [pol]\n' >"$T/rf/.sparklint.yaml"
for f in pol/b.lua pol/a.lua pol/.hidden.lua pol/notes.md pol/lib/m.lua shared/s.lua 'sub/we\ird.lua'; do
	: >"$T/rf/$f"
done
ln -s ../shared/s.lua "$T/rf/pol/c.lua"
rf() { (cd "$1" && shift && SPARKLINT_RULES_DIR="$ABS_TR" "$ABS_L" --list-rule-files "$@"); }
t_run "--list-rule-files" 0 rf "$T/rf" -r sub -r .
t_eq "--list-rule-files: the built-in directory first" "$(printf '%s\n' "$T_OUT" | sed -n 1p)" "$ABS_TR/"
t_eq "--list-rule-files: then rulesDirs, -r's, each lib/, real paths" \
	"$(printf '%s\n' "$T_OUT" | grep -v "^$ABS_TR/")" \
	"$(printf '%s\n' pol/ pol/a.lua pol/b.lua shared/s.lua pol/lib/ pol/lib/m.lua \
		sub/ 'sub/we\\ird.lua' sub/lib/ ./ lib/)"
t_eq "--list-rule-files: every built-in rule" "$(printf '%s\n' "$T_OUT" | grep -c "^$ABS_TR/[^/]*\.lua$")" \
	"$(ls "$ABS_TR"/*.lua | wc -l)"
# a rule's symlink that leads nowhere: where it leads (the file whose
# deletion broke it), through the directories that are there
mkdir -p "$T/rf/dang"
ln -s ../shared/gone.lua "$T/rf/dang/d.lua"
ln -s ../shared/../nodir/../shared/x/y.lua "$T/rf/dang/e.lua"
t_run "--list-rule-files: a dangling rule symlink" 0 rf "$T/rf" --no-config -r dang
t_eq "--list-rule-files: ... lists where it leads" "$(printf '%s\n' "$T_OUT" | grep -v "^$ABS_TR/")" \
	"$(printf '%s\n' dang/ shared/gone.lua shared/x/y.lua dang/lib/)"
# each symlink crossed on the way to a directory, its lib/ or a rule's
# target, on a line of its own (retargeting one changes what is read); a
# rule's own link is not one (its directory is listed)
mkdir -p "$T/rf/packs/a" "$T/rf/libs" "$T/rf/up/down"
: >"$T/rf/packs/a/x.lua" && : >"$T/rf/libs/m.lua"
ln -s packs "$T/rf/pk" && ln -s ../pk/a "$T/rf/up/cur" && ln -s ../../libs "$T/rf/packs/a/lib"
t_run "--list-rule-files: a directory through symlinks" 0 rf "$T/rf" --no-config -r up/down/../cur
t_eq "--list-rule-files: ... lists each symlink crossed" "$(printf '%s\n' "$T_OUT" | grep -v "^$ABS_TR/")" \
	"$(printf '%s\n' up/cur pk packs/a/ packs/a/x.lua packs/a/lib libs/ libs/m.lua)"
t_run "--list-rule-files --no-config" 0 rf "$T/rf" --no-config
t_eq "--list-rule-files: ... lists the built-in directory only" \
	"$(printf '%s\n' "$T_OUT" | grep -v "^$ABS_TR/")" ""
t_run "--list-rule-files with a directory that cannot be read is exit 2" 2 rf "$T/rf" -r missing -r sub
t_contains "--list-rule-files: ... saying why" "$T_ERR" \
	"missing: error: cannot open rules directory 'missing': No such file or directory [io]"
t_contains "--list-rule-files: ... after the others" "$T_OUT" "sub/lib/"
# A directory named .sparklint.yaml is not a configuration: the search goes
# on past it (ESLint, find-up); -c naming a directory is an error.
mkdir -p "$T/cfgdir/sub/.sparklint.yaml"
cp "$T/clean.yaml" "$T/cfgdir/sub/"
in_cfgdir() ( cd "$T/cfgdir/sub" && SPARKLINT_RULES_DIR="$ABS_TR" exec "$ABS_L" "$@" )
t_run "config: a directory named .sparklint.yaml is skipped (a clean run, exit 0)" 0 in_cfgdir clean.yaml
t_eq "config: ... without a message" "$T_OUT$T_ERR" ""
printf 'rules:\n  t-nope: off\n' >"$T/cfgdir/.sparklint.yaml"
t_run "config: ... and the search goes on to the parent's file" 2 in_cfgdir clean.yaml
t_contains "config: ... which is the one read" "$T_ERR" "$T/cfgdir/.sparklint.yaml:2:3: error: unknown rule 't-nope' [config]"
rm "$T/cfgdir/.sparklint.yaml"
t_run "config: -c naming a directory is exit 2" 2 in_cfgdir -c .sparklint.yaml clean.yaml
t_contains "config: ... saying it is one" "$T_ERR" ".sparklint.yaml: error: cannot read '.sparklint.yaml': Is a directory [io]"
printf 'rules:\n  t-backoff: warning\nrulez: {}\n' >"$T/bad1.yaml"
t_run "config: unknown key is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad1.yaml" "$T/clean.yaml"
t_contains "config: unknown key with its position" "$T_ERR" "$T/bad1.yaml:3:1: error: unknown key 'rulez' (expected rules, disable, rulesDirs or exclude) [config]"
printf 'rules:\n  t-nope: off\n' >"$T/bad2.yaml"
t_run "config: unknown rule is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad2.yaml" "$T/clean.yaml"
t_contains "config: unknown rule with its position" "$T_ERR" "$T/bad2.yaml:2:3: error: unknown rule 't-nope' [config]"
printf 'rules:\n  t-backof: off\ndisable: [t-image-latst]\n' >"$T/bad2b.yaml"
t_run "config: a misspelt rule id is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad2b.yaml" "$T/clean.yaml"
t_contains "config: ... with a did-you-mean (rules:)" "$T_ERR" "$T/bad2b.yaml:2:3: error: unknown rule 't-backof'; did you mean 't-backoff'? [config]"
t_contains "config: ... with a did-you-mean (disable:)" "$T_ERR" "$T/bad2b.yaml:3:11: error: unknown rule 't-image-latst'; did you mean 't-image-latest'? [config]"
printf 'rules:\n  t-backoff:\n    options: {maxBackof: 3}\n' >"$T/bad3.yaml"
t_run "config: unknown option is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad3.yaml" "$T/clean.yaml"
t_contains "config: unknown option names the options" "$T_ERR" "rule 't-backoff' has no option 'maxBackof' (options: 'maxBackoff', 'wantTtl')"
# A key that is not a string (the loader makes `~` the text "null") is not a name.
printf 'rules:\n  ~: off\ndisable: [t-driver-pod, ~, 7]\n' >"$T/badnull.yaml"
t_run "config: null keys and items are exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/badnull.yaml" "$T/clean.yaml"
t_contains "config: ... a null rule id is not a rule named 'null'" "$T_ERR" \
	"$T/badnull.yaml:2:3: error: a rule id must be a string, not null [config]"
t_contains "config: ... a disable item says what it is" "$T_ERR" \
	"$T/badnull.yaml:3:25: error: 'disable' entries must be non-empty strings, not null [config]"
t_contains "config: ... a number too" "$T_ERR" \
	"$T/badnull.yaml:3:28: error: 'disable' entries must be non-empty strings, not a number [config]"
printf 'rules:\n  t-backoff:\n    options: {~: 3}\n' >"$T/badnullopt.yaml"
t_run "config: a null option name is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/badnullopt.yaml" "$T/clean.yaml"
t_contains "config: ... not an option named 'null'" "$T_ERR" \
	"$T/badnullopt.yaml:3:15: error: an option name of rule 't-backoff' must be a string, not null (options: 'maxBackoff', 'wantTtl') [config]"
printf 'rules:\n  t-backoff:\n    options: {maxBackoff: "3"}\n' >"$T/bad4.yaml"
t_run "config: ill-typed option is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad4.yaml" "$T/clean.yaml"
t_contains "config: option type" "$T_ERR" "$T/bad4.yaml:3:27: error: option 'maxBackoff' of rule 't-backoff' must be a number [config]"
# A list option's items have the default's item type (latest-tag's blockList: patterns).
printf 'rules:\n  latest-tag:\n    options:\n      blockList:\n      - ".*:latest$"\n      - 3\n' >"$T/bad7.yaml"
t_run "config: a list option with an item of another type is exit 2" 2 "$L" -c "$T/bad7.yaml" "$T/clean.yaml"
t_contains "config: ... at the item" "$T_ERR" \
	"$T/bad7.yaml:6:9: error: option 'blockList' of rule 'latest-tag' must be a list of strings; item 2 is a number [config]"
# An empty table default ({}) takes a list (or a mapping): Lua cannot tell them apart.
mkdir -p "$T/optrules"
cat >"$T/optrules/t-names.lua" <<'EOF'
return { id = "t-names", severity = "error", category = "test", description = "d", hint = "h",
  kinds = { "Pod" }, options = { names = {} },
  check = function(obj, ctx)
    for _, n in ipairs(ctx.options.names) do
      if obj.metadata.name == n then ctx:report{ message = "named " .. n } end
    end
  end }
EOF
printf 'rules:\n  t-names:\n    options: {names: [driver, other]}\n' >"$T/names.yaml"
t_run "config: an empty-table option default takes a list" 1 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/names.yaml" -r "$T/optrules" --rule t-names tests/lint/engine/app.yaml
t_contains "config: ... which reaches ctx.options" "$T_OUT" "named driver [t-names]"
printf 'rules:\n  t-backoff: {severity: warning}\n  t-driver-pod: loud\n' >"$T/bad6.yaml"
t_run "config: bad severity is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad6.yaml" "$T/clean.yaml"
t_contains "config: bad severity" "$T_ERR" "$T/bad6.yaml:3:17: error: a rule's setting must be off, error, warning, info"
printf 'rulesDirs: [missing-dir]\n' >"$T/bad5.yaml"
t_run "config: missing rulesDirs entry is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad5.yaml" "$T/clean.yaml"
t_contains "config: missing rulesDirs entry at its position" "$T_ERR" "$T/bad5.yaml:1:13: error: cannot open rules directory"
mkdir -p "$T/emptyrules"
printf 'rulesDirs: [emptyrules]\n' >"$T/bad7.yaml"
t_run "config: a rulesDirs entry without rules is exit 2" 2 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/bad7.yaml" "$T/clean.yaml"
t_contains "config: ... at its position" "$T_ERR" "$T/bad7.yaml:1:13: error: no rules (*.lua) in '$T/emptyrules' [config]"

# ---- suppressions --------------------------------------------------------------------

t_check "suppression: annotation and comments silence findings (summary counts them)" pyjson "$T/engine.json" '
assert d["summary"]["suppressed"] == 4, d["summary"]
assert not [f for f in d["findings"] if f["file"].endswith("other.yml") and f["line"] in (11, 20, 34, 40)]'
t_run "suppression: --show-suppressed lists them" 1 tl --show-suppressed -f json tests/lint/engine
printf '%s\n' "$T_OUT" >"$T/supp.json"
t_check "suppression: reasons from the annotation and the comment" pyjson "$T/supp.json" '
s = sorted((f["line"], f["rule"], f["suppressionReason"]) for f in d["findings"] if f["suppressed"])
assert s == [(11, "t-driver-pod", "kept for the demo"), (20, "t-image-latest", "kept for the demo"),
             (34, "t-image-latest", "vendor image"), (40, "t-image-latest", None)], s'
# Only a file whose text holds "sparklint:" is read again for its comments; the loader looks
# as the bytes pass, in 64 KiB windows: comments past the first window count as well.
for i in $(seq 1300); do echo "# padding padding padding padding padding padding pad $i"; done \
	>"$T/padded.yml"
cat tests/lint/engine/other.yml >>"$T/padded.yml"
t_check "suppression: the comments are past the first 64 KiB" \
	test "$(grep -bo 'sparklint: ignore' "$T/padded.yml" | head -1 | cut -d: -f1)" -gt 65536
t_run "suppression: ... still silence findings" 0 tl -f json "$T/padded.yml"
t_check "suppression: ... all 4 of them" pyjson /dev/stdin <<<"$T_OUT" '
assert d["summary"]["suppressed"] == 4, d["summary"]'
t_run "suppression: ... from stdin too" 0 tl -f json - <"$T/padded.yml"
t_check "suppression: ... all 4" pyjson /dev/stdin <<<"$T_OUT" '
assert d["summary"]["suppressed"] == 4, d["summary"]'
# a pipe cannot be read twice either: `sparklint <(kustomize build)`
t_run "suppression: ... from a pipe too" 0 tl -f json <(cat "$T/padded.yml")
t_check "suppression: ... all 4" pyjson /dev/stdin <<<"$T_OUT" '
assert d["summary"]["suppressed"] == 4, d["summary"]'
t_run "suppression: ... from a pipe at -j1 too" 0 tl -j1 -f json <(cat "$T/padded.yml")
t_check "suppression: ... all 4" pyjson /dev/stdin <<<"$T_OUT" '
assert d["summary"]["suppressed"] == 4, d["summary"]'
t_run "suppression: text marks them" 0 tl --show-suppressed tests/lint/engine/other.yml
t_contains "suppression: text shows the reason" "$T_OUT" "[t-image-latest] (suppressed: vendor image)"
t_contains "suppression: text summary counts them" "$T_OUT" ", 4 suppressed"
t_run "suppression: sarif marks them" 0 tl --show-suppressed -f sarif tests/lint/engine/other.yml
printf '%s\n' "$T_OUT" >"$T/supp.sarif"
t_check "suppression: sarif suppressions[]" pyjson "$T/supp.sarif" '
s = [r for r in d["runs"][0]["results"] if r.get("suppressions")]
assert len(s) == 4 and s[0]["suppressions"][0]["kind"] == "inSource", s'
if [ -z "${SK_SKIP_ORACLE:-}" ] && command -v node >/dev/null 2>&1 && [ -x "$SHARED/oracle/run" ]; then
	t_check "suppression: sarif with suppressions is valid" "$SHARED/oracle/run" sarif-validate "$T/supp.sarif"
fi

# Lines as libyaml counts them (a lone CR, NEL, LS, PS break a line too): a comment suppresses
# the finding next to it, whatever the line ends are.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {d: "one\xe2\x80\xa8two"}\nspec:\n  containers:\n  - name: c\n    image: nginx # sparklint: ignore t-image-latest\n' >"$T/ls.yaml"
t_run "suppression: a line separator (U+2028) in a string before the comment" 0 tl --report-unused-ignores "$T/ls.yaml"
tr '\n' '\r' <"$T/ls.yaml" >"$T/cr.yaml"
t_run "suppression: CR line ends" 0 tl --report-unused-ignores "$T/cr.yaml"
# UTF-16 (as Windows PowerShell 5 writes `helm template > x.yaml`): libyaml reads it, and
# so are its comments; small and large files (read in windows, or whole and cut), stdin.
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
doc = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # sparklint: ignore t-image-latest -- metadata\n"
       "spec:\n  containers:\n  - name: c\n    image: nginx # sparklint: ignore t-image-latest\n")
big = doc + "".join("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n" % i for i in range(30000))
for name, text in (("u16", doc), ("u16big", big)):
    open("%s/%s-le.yaml" % (t, name), "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
    open("%s/%s-be.yaml" % (t, name), "wb").write(b"\xfe\xff" + text.encode("utf-16-be"))
PY
for f in u16-le u16-be u16big-le u16big-be; do
	for j in 1 2; do
		t_run "suppression: UTF-16 ($f, -j$j)" 1 tl -j$j --report-unused-ignores "$T/$f.yaml"
		t_contains "suppression: ... silences the finding ($f, -j$j)" "$T_OUT" "in 1 file, 1 suppressed"
		t_contains "suppression: ... and the unused id is where an editor shows it ($f, -j$j)" "$T_OUT" \
			"$T/$f.yaml:4:31: error: the suppression of rule 't-image-latest' silenced no finding [unused-ignore]"
	done
done
t_run "suppression: UTF-16 on stdin" 0 tl - <"$T/u16big-le.yaml"
t_contains "suppression: ... silences the finding" "$T_OUT" "1 suppressed"
# ---- --report-unused-ignores ----------------------------------------------------------
# tests/lint/unused/app.yaml: two suppressions silence findings, eight ids do not (a typo, a
# rule with nothing there, 'all' above a clean line, a comment above the wrong line, an id twice).
U=tests/lint/unused/app.yaml
t_run "unused: off by default (exit 0: the finding left is a warning)" 0 tl -f json "$U"
t_check "unused: ... nothing about suppressions" pyjson /dev/stdin <<<"$T_OUT" '
assert [f["rule"] for f in d["findings"]] == ["t-image-latest"], d["findings"]
assert d["summary"]["suppressed"] == 2, d["summary"]'
t_run "unused: --report-unused-ignores is exit 1" 1 tl --report-unused-ignores -f json "$U"
printf '%s\n' "$T_OUT" >"$T/unused.json"
t_check "unused: each id that silenced nothing, at the id (columns in code points)" pyjson "$T/unused.json" '
got = [(f["line"], f["column"], f["severity"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
want = [(10, 26, "error", "the suppression names an unknown rule \u0027t-imgae-latest\u0027; did you mean \u0027t-image-latest\u0027?"),
        (10, 26, "error", "the suppression of rule \u0027t-backoff\u0027 silenced no finding"),
        (16, 49, "error", "the suppression of rule \u0027t-image-latest\u0027 silenced no finding"),
        (29, 29, "error", "the suppression of all rules silenced no finding"),
        (32, 29, "error", "the suppression names an unknown rule \u0027no-such-rule\u0027"),
        (32, 43, "error", "the suppression of rule \u0027t-image-latest\u0027 silenced no finding"),
        (35, 39, "error", "the suppression of rule \u0027t-backoff\u0027 silenced no finding"),
        (35, 49, "error", "the suppression of rule \u0027t-backoff\u0027 silenced no finding")]
assert got == want, got
assert d["summary"]["suppressed"] == 2 and d["summary"]["errors"] == 8, d["summary"]'
t_check "unused: an annotation finding names its object" pyjson "$T/unused.json" '
f = [f for f in d["findings"] if f["rule"] == "unused-ignore" and f["line"] == 10][0]
assert (f["object"]["kind"], f["object"]["name"]) == ("Pod", "driver"), f'
t_run "unused: text gives the hint" 1 tl --report-unused-ignores "$U"
t_contains "unused: ... remove it" "$T_OUT" "  hint: remove 't-backoff' from the suppression"
t_run "unused: sarif" 1 tl --report-unused-ignores -f sarif "$U"
printf '%s\n' "$T_OUT" >"$T/unused.sarif"
t_check "unused: sarif lists the code as a rule" pyjson "$T/unused.sarif" '
rules = [r["id"] for r in d["runs"][0]["tool"]["driver"]["rules"]]
res = [r for r in d["runs"][0]["results"] if r["ruleId"] == "unused-ignore"]
assert "unused-ignore" in rules and len(res) == 8, (rules, len(res))
assert all(rules[r["ruleIndex"]] == "unused-ignore" for r in res)'
if [ -z "${SK_SKIP_ORACLE:-}" ] && command -v node >/dev/null 2>&1 && [ -x "$SHARED/oracle/run" ]; then
	t_check "unused: the sarif is valid" "$SHARED/oracle/run" sarif-validate "$T/unused.sarif"
fi
# Under --rule, the ids of the rules left out and 'all' are not judged; typos still are.
t_run "unused: --rule judges only the rules that ran" 1 tl --report-unused-ignores --rule t-backoff -f json "$U"
t_check "unused: ... t-backoff and the unknown ids" pyjson /dev/stdin <<<"$T_OUT" '
got = sorted((f["line"], f["column"]) for f in d["findings"] if f["rule"] == "unused-ignore")
assert got == [(10, 26), (10, 26), (32, 29), (35, 39), (35, 49)], got'
# A rule the configuration turns off silences nothing: its suppressions are reported.
printf 'rules:\n  t-image-latest: off\n' >"$T/unused-off.yaml"
t_run "unused: a rule turned off by the config" 1 env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/unused-off.yaml" --report-unused-ignores -f json "$U"
t_check "unused: ... its suppressions are reported, saying so" pyjson /dev/stdin <<<"$T_OUT" '
m = [f["message"] for f in d["findings"] if f["rule"] == "unused-ignore" and f["line"] == 14]
assert m == ["the suppression of rule \u0027t-image-latest\u0027 silenced no finding (the configuration turns the rule off)"], m'
t_run "unused: a --context file is not judged" 0 tl --report-unused-ignores tests/lint/context/app \
	--context tests/lint/context/shared --context tests/lint/unused
# A file whose only problem is a stale suppression fails the gate; a used one does not.
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # sparklint: ignore t-image-latest\n' >"$T/stale.yaml"
t_run "unused: a stale suppression alone is exit 1" 1 tl --report-unused-ignores "$T/stale.yaml"
t_contains "unused: ... at the id" "$T_OUT" "stale.yaml:4:31: error: the suppression of rule 't-image-latest' silenced no finding [unused-ignore]"
t_run "unused: ... and exit 0 without the flag" 0 tl "$T/stale.yaml"
# From standard input too (its text is kept for the comments).
t_run "unused: from stdin" 1 tl --report-unused-ignores -f json - <"$U"
t_check "unused: ... the same eight" pyjson /dev/stdin <<<"$T_OUT" '
assert len([f for f in d["findings"] if f["rule"] == "unused-ignore"]) == 8, d["findings"]'
# Ids cost a byte or two each: the list stops after 1000 findings, and a finding without a
# position (it sorts first) says so.
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n# sparklint: ignore x0'
  for i in $(seq 1 3000); do printf ',x%d' "$i"; done; printf '\n'; } >"$T/many-ids.yaml"
t_run "unused: 3001 unknown ids" 1 tl --report-unused-ignores -f json "$T/many-ids.yaml"
t_check "unused: ... the first 1000 listed, and first a finding that says the list stops" pyjson /dev/stdin <<<"$T_OUT" '
u = [f for f in d["findings"] if f["rule"] == "unused-ignore"]
assert len(u) == 1001, len(u)
assert u[0]["message"] == "more than 1000 suppressions silence nothing or name no rule; only the first 1000 are listed", u[0]
assert u[0]["file"] is None and u[0]["line"] is None, u[0]
assert [f["message"] for f in u[1:3]] == ["the suppression names an unknown rule \u0027x0\u0027", "the suppression names an unknown rule \u0027x1\u0027"], u[1:3]
assert u[-1]["message"] == "the suppression names an unknown rule \u0027x999\u0027", u[-1]'
# Positions along a line are counted as the walk goes: 200,000 ids in one comment (2 MB),
# none judged (--rule leaves their rule out), took 97 s when each id's column was counted
# from the line's start.
"$PYTHON" -c 'import sys; open(sys.argv[1], "w").write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n# sparklint: ignore " + ",".join(["t-backoff"] * 200000) + "\n")' "$T/many-ids-one-line.yaml"
t_run "unused: 200,000 ids on one line, not judged, end at once" 0 timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config --rule t-image-latest --report-unused-ignores "$T/many-ids-one-line.yaml"
# Only YAML comments are suppressions: not text in a block scalar or a quoted string (a script
# in a ConfigMap), which neither silences a finding nor is judged.
cat >"$T/strings.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  lint.sh: |
    # sparklint: ignore t-image-latest -- an example in a script
  note: "see # sparklint: ignore all"
  single: 'and # sparklint: ignore all'
# sparklint: ignore t-backoff
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: nginx
      args: ["# sparklint: ignore t-image-latest", x]
      # sparklint: ignore t-image-latest
    - {name: b, image: busybox} # sparklint: ignore t-image-latest
EOF
t_run "unused: text in strings is not a suppression" 1 tl --report-unused-ignores -f json "$T/strings.yaml"
t_check "unused: ... only the YAML comments count" pyjson /dev/stdin <<<"$T_OUT" '
got = sorted((f["rule"], f["line"], f["column"]) for f in d["findings"])
assert got == [("t-image-latest", 18, 7), ("unused-ignore", 10, 21), ("unused-ignore", 20, 27)], got'
t_run "unused: ... nor does text in a string silence a finding on its line" 0 tl --show-suppressed -f json "$T/strings.yaml"
t_check "unused: ... (line 18 reported, line 21 suppressed)" pyjson /dev/stdin <<<"$T_OUT" '
got = sorted((f["line"], f["suppressed"]) for f in d["findings"])
assert got == [(18, False), (21, True)], got'
# A comment after a block scalar's header is a comment; an annotation may be a block, one id a line.
cat >"$T/block-header.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {spark-role: driver}
  annotations:
    sparklint.io/ignore: |
      t-driver-pod,
      t-backoff
spec:
  containers:
  - name: c
    image: >- # sparklint: ignore t-image-latest
      nginx:latest
EOF
t_run "unused: a comment after a block scalar's header, an annotation as a block" 1 tl --report-unused-ignores --show-suppressed -f json "$T/block-header.yaml"
t_check "unused: ... both silence, and t-backoff is judged" pyjson /dev/stdin <<<"$T_OUT" '
got = sorted((f["rule"], f["line"], f["suppressed"]) for f in d["findings"])
assert got == [("t-driver-pod", 2, True), ("t-image-latest", 13, True), ("unused-ignore", 7, False)], got'

# Each annotation counts: the object's and its pod template's.
cat >"$T/two-annotations.yaml" <<'EOF'
apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations: {sparklint.io/ignore: t-backoff}
spec:
  backoffLimit: 9
  ttlSecondsAfterFinished: 60
  template:
    metadata:
      annotations: {sparklint.io/ignore: "t-imgae-latest, t-image-latest", sparklint.io/ignore-reason: pinned elsewhere}
    spec:
      restartPolicy: Never
      containers: [{name: a, image: nginx}]
EOF
t_run "unused: both annotations silence" 0 tl --show-suppressed -f json "$T/two-annotations.yaml"
t_check "unused: ... each with its own reason" pyjson /dev/stdin <<<"$T_OUT" '
got = sorted((f["rule"], f["suppressed"], f.get("suppressionReason")) for f in d["findings"])
assert got == [("t-backoff", True, None), ("t-image-latest", True, "pinned elsewhere")], got'
t_run "unused: ... and both are judged" 1 tl --report-unused-ignores -f json "$T/two-annotations.yaml"
t_check "unused: ... the typo in the template's" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(11, 42, "the suppression names an unknown rule \u0027t-imgae-latest\u0027; did you mean \u0027t-image-latest\u0027?")], got'
# An annotation is nothing but a list: text it does not take is reported, not dropped.
for v in '"t-image-latest t-backoff"' '",t-backoff"' '"t-backoff;t-image-latest"' '"t-backoff,,x"'; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {sparklint.io/ignore: %s}\n' "$v" >"$T/list.yaml"
	t_run "unused: annotation $v" 1 tl --report-unused-ignores "$T/list.yaml"
	t_contains "unused: ... the stray text" "$T_OUT" "' where a rule id should be [unused-ignore]"
done
# A value that is no string, or a string with no ids, silences nothing, as a comment with no ids
# does: reported at the value (before, nothing was).  A NUL in the stray text is escaped, not
# the message's end.
cat >"$T/no-ids.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    sparklint.io/ignore: [t-image-latest]
spec:
  containers: [{name: a, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata:
  name: q
  annotations: {sparklint.io/ignore: 5}
spec:
  template:
    metadata: {annotations: {sparklint.io/ignore: true}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, annotations: {sparklint.io/ignore: null}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, annotations: {sparklint.io/ignore: ""}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, annotations: {sparklint.io/ignore: "  "}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: d, annotations: {sparklint.io/ignore: {t-backoff: x}}}
---
apiVersion: v1
kind: Pod
metadata: {name: e, annotations: {sparklint.io/ignore: "t-image-latest\u0000,x"}}
spec:
  containers: [{name: a, image: nginx}]
EOF
t_run "unused: annotations that are no string of ids" 1 tl --report-unused-ignores --show-suppressed -f json "$T/no-ids.yaml"
t_check "unused: ... each reported at its value, saying what it is" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
m = "the suppression annotation must be a string of rule ids, not "
assert got == [(6, 26, m + "a list"), (14, 38, m + "a number"), (17, 51, m + "a boolean"),
               (21, 56, m + "null"), (25, 56, "the suppression annotation has no rule ids"),
               (29, 56, "the suppression annotation has no rule ids"), (33, 56, m + "a mapping"),
               (37, 56, "the suppression list has \u0027\\x00,x\u0027 where a rule id should be")], got
h = [f["hint"] for f in d["findings"] if f["rule"] == "unused-ignore"][:7]
assert all("this annotation silences nothing" in x for x in h), h
s = [(f["line"], f["suppressed"]) for f in d["findings"] if f["rule"] == "t-image-latest"]
assert s == [(8, False), (39, True)], s'
t_run "unused: ... and without the flag nothing is said" 0 tl -f json "$T/no-ids.yaml"
# A comma with no id after it ends an annotation's list as it ends a comment's: reported the same
# way, at the annotation's value (a list written as a block may end in a comma and a newline).
for v in '"t-backoff,"' '"t-backoff , "' '|\n      t-backoff,\n'; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    sparklint.io/ignore: %b\n' "$v" >"$T/list.yaml"
	t_run "unused: annotation $v" 1 tl --report-unused-ignores "$T/list.yaml"
	t_contains "unused: ... ends with a comma" "$T_OUT" "list.yaml:6:26: error: the suppression list ends with ',' [unused-ignore]"
done
# A comment that carries the mark but does not parse silences nothing: it is reported, at
# its '#'; a comment that only mentions sparklint, or the mark in a string, is not.
cat >"$T/flaws.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: {note: "see # sparklint: ignore"}
spec:
  containers:
    # sparklint: ignore
    - name: a # sparklint: ignore: t-image-latest
      image: nginx # sparklint: ignore:t-image-latest
    - name: b # sparklint: ignore ,t-image-latest -- pinned
      image: busybox # a note on sparklint: ignore
EOF
t_run "unused: comments with the mark that are no suppression" 1 tl --report-unused-ignores -f json "$T/flaws.yaml"
t_check "unused: ... each reported at its '#', saying what is wrong" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(8, 5, "the suppression comment has no rule ids"),
               (9, 15, "expected \u0027ignore\u0027 followed by rule ids after \u0027sparklint:\u0027, not \u0027ignore: t-image-latest\u0027"),
               (10, 20, "expected \u0027ignore\u0027 followed by rule ids after \u0027sparklint:\u0027, not \u0027ignore:t-image-latest\u0027"),
               (11, 15, "the suppression comment has \u0027,t-image-latest -- pinned\u0027 where a rule id should be")], got
assert [f["line"] for f in d["findings"] if f["rule"] == "t-image-latest"] == [10, 12], d'
t_run "unused: ... and without the flag they are silent as before" 0 tl -f json "$T/flaws.yaml"
# "ignore -- why" holds a reason and no id ('-' is an id's character, but "--" starts a reason):
# it is a comment without ids, not a list naming the rule '--'; "ignore a-b -- why" is a list.
cat >"$T/only-reason.yaml" <<'EOF'
apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  backoffLimit: 9 # sparklint: ignore -- t-backoff is fine here
  ttlSecondsAfterFinished: 60
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: a, image: nginx} # sparklint: ignore -- why
      - {name: b, image: nginx} # sparklint: ignore t-image-latest -- why
      - {name: c, image: nginx} #  sparklint:  ignore   -
EOF
t_run "unused: a comment with a reason and no ids" 1 tl --report-unused-ignores --show-suppressed -f json "$T/only-reason.yaml"
t_check "unused: ... has no rule ids, at its '#'; 'a-b -- why' is still a list" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(6, 19, "the suppression comment has no rule ids"),
               (12, 33, "the suppression comment has no rule ids"),
               (14, 33, "the suppression comment has no rule ids")], got
s = [(f["rule"], f["line"], f["suppressed"], f.get("suppressionReason")) for f in d["findings"] if f["rule"] != "unused-ignore"]
assert s == [("t-backoff", 6, False, None), ("t-image-latest", 12, False, None),
             ("t-image-latest", 13, True, "why"), ("t-image-latest", 14, False, None)], s'
t_run "unused: ... and without the flag nothing changes" 0 tl -f json "$T/only-reason.yaml"
t_check "unused: ... (warnings, one suppressed)" pyjson /dev/stdin <<<"$T_OUT" '
assert [f["line"] for f in d["findings"]] == [6, 12, 14] and d["summary"]["suppressed"] == 1, d'
"$PYTHON" -c 'import sys; open(sys.argv[1], "w").write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # sparklint: ignore " + "-" * 100000 + " why\n")' "$T/long-dashes.yaml"
t_run "unused: a reason's separator of 100,000 dashes ends at once" 1 timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config --report-unused-ignores "$T/long-dashes.yaml"
t_contains "unused: ... a comment with no rule ids" "$T_OUT" "long-dashes.yaml:4:11: error: the suppression comment has no rule ids [unused-ignore]"
# A comma with no id after it ends the list: the rest of the line is the reason, so an id after
# it is not suppressed ("a,,b", "a, ,b"), and "a," or "a, -- why" leave a stray comma.  Each is
# reported where the id should be (a list's last comma: at the comma), once a list.
cat >"$T/stray-commas.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - {name: a, image: nginx} # sparklint: ignore t-backoff,,t-image-latest
    - {name: b, image: nginx} # sparklint: ignore t-backoff, ,t-image-latest -- why
    - {name: c, image: nginx} # sparklint: ignore t-image-latest,
    - {name: d, image: nginx} # sparklint: ignore t-image-latest, -- pinned
    - {name: e, image: nginx} # sparklint: ignore t-image-latest , t-backoff -- fine
    - {name: f, image: nginx} # sparklint: ignore t-image-latest,;t-backoff
EOF
t_run "unused: a comma with no rule id after it" 1 tl --report-unused-ignores --rule t-image-latest --show-suppressed -f json "$T/stray-commas.yaml"
t_check "unused: ... is reported where the id should be; a list with blanks is not" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(7, 61, "the suppression list has \u0027,t-image-latest\u0027 where a rule id should be"),
               (8, 62, "the suppression list has \u0027,t-image-latest -- why\u0027 where a rule id should be"),
               (9, 65, "the suppression list ends with \u0027,\u0027"),
               (10, 67, "the suppression list has \u0027-- pinned\u0027 where a rule id should be"),
               (12, 66, "the suppression list has \u0027;t-backoff\u0027 where a rule id should be")], got
s = [(f["line"], f["suppressed"]) for f in d["findings"] if f["rule"] == "t-image-latest"]
assert s == [(7, False), (8, False), (9, True), (10, True), (11, True), (12, True)], s
r = [(f["line"], f.get("suppressionReason")) for f in d["findings"] if f["suppressed"]]
assert r == [(9, None), (10, "pinned"), (11, "fine"), (12, ";t-backoff")], r'
t_run "unused: ... and without the flag nothing changes" 0 tl --rule t-image-latest -f json "$T/stray-commas.yaml"
t_check "unused: ... (two warnings, four suppressed)" pyjson /dev/stdin <<<"$T_OUT" '
assert [f["line"] for f in d["findings"]] == [7, 8] and d["summary"]["suppressed"] == 4, d'
# Bounded on hostile lists: 100,000 stray commas, blanks and commas, or separators, one report each.
"$PYTHON" - "$T" <<'EOF'
import sys
h = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # sparklint: ignore x"
for name, tail in (("commas", "," * 100000), ("blank-commas", ", " * 100000 + " " * 1000000),
                   ("separators", ",-- y" * 100000)):
    open("%s/stray-%s.yaml" % (sys.argv[1], name), "w").write(h + tail + "\n")
EOF
stray_check() {	# file, column of the gap, the text quoted there starts with
	t_run "unused: 100,000 stray items ($1) end at once" 1 timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config --report-unused-ignores -f json "$T/stray-$1.yaml"
	t_check "unused: ... one report of the list's gap ($1)" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["column"], f["message"]) for f in d["findings"]]
assert len(got) == 2 and got[0] == (31, "the suppression names an unknown rule \u0027x\u0027"), got
assert got[1][0] == '"$2"' and got[1][1].startswith("the suppression list has \u0027'"$3"'"), got
assert got[1][1].endswith("...\u0027 where a rule id should be"), got'
}
stray_check commas 33 ',,,,'
stray_check blank-commas 34 ', , '
stray_check separators 33 '-- y,'
# A reason's separator among the ids ends the list as an empty id does: in "a,--,b" the list is
# "a" and "--,b" the reason, so b is not suppressed, as the message says (before, b was).
cat >"$T/separator-ids.yaml" <<'EOF'
apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations: {sparklint.io/ignore: "t-claim-missing,--,t-image-latest"}
spec:
  backoffLimit: 9 # sparklint: ignore t-image-latest,--,t-backoff
  ttlSecondsAfterFinished: 60
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: a, image: nginx} # sparklint: ignore t-image-latest,--,t-backoff -- why
EOF
t_run "unused: a separator among a list's ids" 1 tl --report-unused-ignores --rule t-image-latest --rule t-backoff --show-suppressed -f json "$T/separator-ids.yaml"
t_check "unused: ... ends the list; the ids after it are the reason, not suppressed" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(5, 38, "the suppression list has \u0027--,t-image-latest\u0027 where a rule id should be"),
               (7, 39, "the suppression of rule \u0027t-image-latest\u0027 silenced no finding"),
               (7, 54, "the suppression list has \u0027--,t-backoff\u0027 where a rule id should be"),
               (13, 68, "the suppression list has \u0027--,t-backoff -- why\u0027 where a rule id should be")], got
s = [(f["rule"], f["line"], f["suppressed"], f.get("suppressionReason")) for f in d["findings"] if f["rule"] != "unused-ignore"]
assert s == [("t-backoff", 7, False, None), ("t-image-latest", 13, True, "t-backoff -- why")], s'
# Two suppression comments on one line: the second is text of the first one's reason, so its ids
# are not suppressed; it is reported at its '#'.  A reason started with "--" is prose, a quoted
# suppression in it too ("-- old note: # sparklint: ignore x"), as is a mark that is no
# suppression ("-- see # sparklint: docs").
cat >"$T/second.yaml" <<'EOF'
apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  backoffLimit: 9 # sparklint: ignore t-image-latest # sparklint: ignore t-backoff
  ttlSecondsAfterFinished: 60
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: a, image: nginx} # sparklint: ignore t-image-latest -- see # sparklint: docs
      - {name: b, image: nginx} # sparklint: ignore -- x # sparklint: ignore t-image-latest
      # sparklint: ignore t-backoff #sparklint: ignore t-image-latest # sparklint: ignore t-image-latest
      - {name: c, image: nginx}
      - {name: d, image: nginx} # sparklint: ignore t-image-latest # note: not sparklint: ignore x
      - {name: e, image: nginx} # sparklint: ignore t-image-latest -- old: # sparklint: ignore t-backoff
      - {name: f, image: nginx} # sparklint: ignore t-image-latest,, -- a # sparklint: ignore t-backoff
EOF
t_run "unused: a second suppression comment on a line" 1 tl --report-unused-ignores --show-suppressed -f json "$T/second.yaml"
t_check "unused: ... is reported at its '#', its rule not suppressed" pyjson /dev/stdin <<<"$T_OUT" '
second = "a second \u0027sparklint:\u0027 comment on the line is read as the first one\u0027s reason, so its rules are not suppressed"
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(6, 39, "the suppression of rule \u0027t-image-latest\u0027 silenced no finding"), (6, 54, second),
               (13, 33, "the suppression comment has no rule ids"),
               (14, 27, "the suppression of rule \u0027t-backoff\u0027 silenced no finding"), (14, 37, second),
               (18, 68, "the suppression list has \u0027, -- a # sparklint: ignore t-backoff\u0027 where a rule id should be")], got
s = [(f["rule"], f["line"], f["suppressed"]) for f in d["findings"] if f["rule"] != "unused-ignore"]
assert s == [("t-backoff", 6, False), ("t-image-latest", 12, True), ("t-image-latest", 13, False),
             ("t-image-latest", 15, False), ("t-image-latest", 16, True), ("t-image-latest", 17, True),
             ("t-image-latest", 18, True)], s'
t_run "unused: ... and without the flag nothing changes" 0 tl -f json "$T/second.yaml"
t_check "unused: ... (four suppressed)" pyjson /dev/stdin <<<"$T_OUT" '
assert d["summary"]["suppressed"] == 4 and d["summary"]["findings"] == 3, d["summary"]'
# Bounded: 80,000 marks that are no suppression in a reason (not started with "--": that one is
# prose), 1 MB of blanks, then one that is.
"$PYTHON" -c 'import sys; open(sys.argv[1], "w").write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # sparklint: ignore x " + "# sparklint: ignore " * 80000 + " " * 1000000 + "# sparklint: ignore y\n")' "$T/many-second.yaml"
t_run "unused: 80,000 marks in a reason, 1 MB of blanks, end at once" 1 timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config --report-unused-ignores -f json "$T/many-second.yaml"
t_check "unused: ... the one that is a suppression is reported" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["column"], f["message"]) for f in d["findings"]]
assert [c for c, m in got] == [31, 32 + 80000 * 20 + 1000000 + 1], got
assert got[0][1].startswith("the suppression names an unknown rule") and got[1][1].startswith("a second"), got'
# Broken comments are looked at one by one: 80,000 on a line before 1 MB of blanks end at once.
"$PYTHON" -c 'import sys; open(sys.argv[1], "w").write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # " + "# sparklint: " * 80000 + " " * 1000000 + "\n")' "$T/many-marks.yaml"
t_run "unused: 80,000 broken comments on a line, 1 MB of blanks after them, end at once" 1 timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config --report-unused-ignores "$T/many-marks.yaml"
t_contains "unused: ... the first is reported" "$T_OUT" "many-marks.yaml:4:13: error: expected 'ignore' followed by rule ids after 'sparklint:', not '# sparklint: # sparklint:"
# Many findings on one line each look up its suppressions: a line, its id list and its reason
# are read once, a list's ids sorted (before: findings x line length, 40 s to minutes here).
# One flow Pod of 3,000 untagged images on a line, then 40,000 marks / a list of 100,000 ids
# (the rule's id last) / an annotation with that list.
"$PYTHON" - "$T" <<'EOF'
import sys
d = sys.argv[1]
cs = ",".join('{name: c%d, image: nginx}' % i for i in range(3000))
ids = ",".join(["xx-yy-zz"] * 100000)
pod = '{apiVersion: v1, kind: Pod, metadata: {name: p%s}, spec: {containers: [%s]}}'
open(d + "/long-marks.yaml", "w").write(pod % ("", cs) + " " + "# sparklint: x " * 40000 + "\n")
open(d + "/long-list.yaml", "w").write(pod % ("", cs) + " # sparklint: ignore " + ids + ",t-image-latest -- why\n")
open(d + "/long-annotation.yaml", "w").write(pod % (', annotations: {sparklint.io/ignore: "%s,t-image-latest"}' % ids, cs) + "\n")
EOF
t_run "suppress: 3,000 findings on a line of 40,000 marks end at once" 0 timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config "$T/long-marks.yaml"
t_contains "suppress: ... each finding reported" "$T_OUT" "3000 problems"
t_run "suppress: 3,000 findings under a comment listing 100,000 ids end at once, suppressed" 0 \
	timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config -f json --show-suppressed "$T/long-list.yaml"
t_check "suppress: ... by the list's last id, with the reason" pyjson /dev/stdin <<<"$T_OUT" '
s = d["summary"]
assert s["suppressed"] == 3000 and s["findings"] == 0, s
assert len(d["findings"]) == 3000 and {f["suppressionReason"] for f in d["findings"]} == {"why"}, d["findings"][0]'
t_run "suppress: 3,000 findings under an annotation listing 100,000 ids end at once, suppressed" 0 \
	timeout 20 env SPARKLINT_RULES_DIR=$TR "$L" --no-config -f json "$T/long-annotation.yaml"
t_check "suppress: ... all of them" pyjson /dev/stdin <<<"$T_OUT" '
assert d["summary"]["suppressed"] == 3000, d["summary"]'
# Ids separated by a blank: the text after the list is the reason, so a rule id right after it
# (no comma, no "--") is not suppressed; it is reported at that word.  Prose is still a reason.
cat >"$T/blank-ids.yaml" <<'EOF'
apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  backoffLimit: 9 # sparklint: ignore t-image-latest t-backoff
  ttlSecondsAfterFinished: 60
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: a, image: nginx} # sparklint: ignore t-image-latest pinned by t-backoff's owner
      - {name: b, image: nginx} # sparklint: ignore t-image-latest -- t-backoff is separate
      - {name: c, image: nginx} # sparklint: ignore t-image-latest t-imgae-latest
EOF
t_run "unused: a rule id after the list without a comma" 1 tl --report-unused-ignores --show-suppressed -f json "$T/blank-ids.yaml"
t_check "unused: ... is reported at the word; a reason in prose or after '--' is not" pyjson /dev/stdin <<<"$T_OUT" '
got = [(f["line"], f["column"], f["message"]) for f in d["findings"] if f["rule"] == "unused-ignore"]
assert got == [(6, 39, "the suppression of rule \u0027t-image-latest\u0027 silenced no finding"),
               (6, 54, "\u0027t-backoff\u0027 follows the suppression list without a comma, so it is read as the reason and its rule is not suppressed")], got
s = [(f["rule"], f["line"], f["suppressed"], f.get("suppressionReason")) for f in d["findings"] if f["rule"] != "unused-ignore"]
assert s == [("t-backoff", 6, False, None),
             ("t-image-latest", 12, True, "pinned by t-backoff\u0027s owner"),
             ("t-image-latest", 13, True, "t-backoff is separate"),
             ("t-image-latest", 14, True, "t-imgae-latest")], s'

# A file that did not load whole was not all linted: its suppressions are not judged.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: a, image: alpine} # sparklint: ignore t-backoff\n  bad: [unclosed\n' >"$T/broken.yaml"
t_run "unused: a file with a YAML error" 2 tl --report-unused-ignores "$T/broken.yaml"
case "$T_OUT" in *unused-ignore*) t_fail "unused: ... is not judged" "$T_OUT" ;; *) t_ok "unused: ... is not judged" ;; esac
# Columns in code points, a byte order mark not counted (as in every other position).
printf '\xef\xbb\xbfkind: ConfigMap # sparklint: ignore t-bogus\n' >"$T/bom.yaml"
t_run "unused: after a byte order mark" 1 tl --report-unused-ignores "$T/bom.yaml"
t_contains "unused: ... the column" "$T_OUT" "bom.yaml:1:37: error: the suppression names an unknown rule 't-bogus'"

# ---- --context ---------------------------------------------------------------------

t_run "context: a reference into a context dir resolves (exit 0)" 0 tl tests/lint/context/app --context tests/lint/context/shared
t_run "context: without it the reference is missing" 1 tl tests/lint/context/app
t_contains "context: the missing claim" "$T_OUT" "claim 'shared-data' not found"
t_run "context: context-only objects are not reported" 0 tl -f json --context tests/lint/context/shared tests/lint/context/app
printf '%s\n' "$T_OUT" >"$T/ctx.json"
t_check "context: summary counts only reported files" pyjson "$T/ctx.json" '
assert d["findings"] == [] and d["summary"]["files"] == 1 and d["summary"]["documents"] == 1, d'
t_run "context: a file given both ways is reported" 1 tl -f json --context tests/lint/context/shared tests/lint/context/app ./tests/lint/context/shared/platform.yaml
printf '%s\n' "$T_OUT" >"$T/ctx2.json"
t_check "context: findings for the file given as a PATH, once" pyjson "$T/ctx2.json" '
r = sorted(f["rule"] for f in d["findings"])
assert r == ["t-driver-pod", "t-image-latest"], r
assert d["summary"]["files"] == 2, d["summary"]'
t_run "context: only context, no PATH documents is exit 2" 2 tl "$T/empty" --context tests/lint/context/shared

# ---- determinism ---------------------------------------------------------------------

DET="tests/lint/corpus tests/lint/engine tests/lint/context"
if [ -f "$SHARED/bench/gen_corpus.py" ]; then
	"$PYTHON" "$SHARED/bench/gen_corpus.py" --apps 40 --out "$T/gen" >/dev/null 2>&1 && DET="$DET $T/gen"
fi
"$L" --no-config -f json -j1 $DET >"$T/d1.json" 2>&1
"$L" --no-config -f json -j1 $DET >"$T/d2.json" 2>&1
"$L" --no-config -f json -j2 $DET >"$T/d3.json" 2>&1
"$L" --no-config -f json -j7 $DET >"$T/d4.json" 2>&1
t_check "determinism: two runs give the same bytes" cmp "$T/d1.json" "$T/d2.json"
t_check "determinism: -j1 and -j2 give the same bytes" cmp "$T/d1.json" "$T/d3.json"
t_check "determinism: -j1 and -j7 give the same bytes" cmp "$T/d1.json" "$T/d4.json"
t_check "determinism: findings are sorted by file, line, column, rule" pyjson "$T/d1.json" '
k = [(f["file"], f["line"], f["column"], f["rule"]) for f in d["findings"]]
assert k == sorted(k) and len(k) > 20, len(k)'
tl -f json -j1 -r tests/lint/hostile-rules/h-nil-index -r tests/lint/hostile-rules/h-mutate tests/lint/engine tests/lint/corpus >"$T/h1.json" 2>&1
tl -f json -j2 -r tests/lint/hostile-rules/h-nil-index -r tests/lint/hostile-rules/h-mutate tests/lint/engine tests/lint/corpus >"$T/h2.json" 2>&1
t_check "determinism: with failing and mutating rules, -j1 = -j2" cmp "$T/h1.json" "$T/h2.json"

# One big stream (kustomize build | sparklint -) is cut at its "---" lines and loaded in
# pieces by all workers (lib/ydoc.h: ystream_cuts); the result must be the serial one, and a
# piece with a diagnostic means the whole stream is loaded again, for the serial message.
if [ -f "$SHARED/bench/gen_corpus.py" ]; then
	"$PYTHON" "$SHARED/bench/gen_corpus.py" --apps 80 --single-stream --out "$T/one" >/dev/null
	BIG="$T/one/stream.yaml"
else	# the checked-in manifests, again and again
	BIG="$T/big.yaml"
	for i in $(seq 60); do for f in tests/lint/corpus/*.yaml tests/lint/engine/*.yaml; do
		printf -- '---\n'; cat "$f"; done; done >"$BIG"
fi
t_check "pieces: the stream is over 1 MiB" test "$(wc -c <"$BIG")" -gt 1048576
bl() { SPARKLINT_RULES_DIR="$PWD/rules" "$L" --no-config "$@"; }	# the built-in rules
t_run "pieces: -j1 loads it whole" 1 bl --verbose -f json -j1 "$BIG"
printf '%s' "$T_OUT" >"$T/p1.json"
t_eq "pieces: ... and says nothing of pieces" "$(printf '%s' "$T_ERR" | grep -c 'pieces')" 0
t_run "pieces: -j2 loads it in pieces" 1 bl --verbose -f json -j2 "$BIG"
printf '%s' "$T_OUT" >"$T/p2.json"
t_contains "pieces: ... 8 of them" "$T_ERR" "1 stream loaded in 8 pieces in parallel, 0 again whole"
t_run "pieces: -j3" 1 bl -f json -j3 "$BIG"
printf '%s' "$T_OUT" >"$T/p3.json"
t_check "pieces: -j1 and -j2 give the same bytes" cmp "$T/p1.json" "$T/p2.json"
t_check "pieces: -j1 and -j3 give the same bytes" cmp "$T/p1.json" "$T/p3.json"
t_check "pieces: ... with findings from all over the stream" pyjson "$T/p1.json" '
lines = [f["line"] for f in d["findings"]]
assert len(lines) > 100 and max(lines) > 20000, (len(lines), max(lines))'
bl -f json -j1 - <"$BIG" >"$T/ps1.json"
bl -f json -j2 - <"$BIG" >"$T/ps2.json"
t_check "pieces: stdin, -j1 and -j2 give the same bytes" cmp "$T/ps1.json" "$T/ps2.json"
# A quoted scalar left open over a "---" two thirds in: an error in one piece.
"$PYTHON" - "$BIG" "$T/bad.yaml" <<'PY'
import sys
t = open(sys.argv[1]).read().split("\n---\n")
k = 2 * len(t) // 3
t[k] = 'broken: "open\n' + t[k]
open(sys.argv[2], "w").write("\n---\n".join(t))
PY
t_run "pieces: a YAML error, -j1" 2 tl -f json -j1 "$T/bad.yaml"
printf '%s\n%s' "$T_OUT" "$T_ERR" >"$T/b1.txt"
t_run "pieces: a YAML error, -j2" 2 tl --verbose -f json -j2 "$T/bad.yaml"
t_contains "pieces: ... the stream is loaded again whole" "$T_ERR" "in parallel, 1 again whole after a diagnostic"
tl -f json -j2 "$T/bad.yaml" >"$T/b2.out" 2>"$T/b2.err"
printf '%s\n%s' "$(cat "$T/b2.out")" "$(cat "$T/b2.err")" >"$T/b2.txt"
t_check "pieces: ... and reports what -j1 reports, byte for byte" cmp "$T/b1.txt" "$T/b2.txt"
t_contains "pieces: ... the serial message" "$(cat "$T/b1.txt")" "found unexpected document indicator"
# A directive: not cut (it belongs to the document after it).
{ printf '%%YAML 1.1\n'; cat "$BIG"; } >"$T/dir.yaml"
t_run "pieces: a %YAML directive, -j2" 1 tl --verbose -f json -j2 "$T/dir.yaml"
t_eq "pieces: ... is loaded whole" "$(printf '%s' "$T_ERR" | grep -c 'pieces')" 0

# Default -j: no second Lua state for a handful of documents; an explicit -j is obeyed.
t_run "workers: default -j on 2 files" 1 tl --verbose tests/lint/engine/app.yaml tests/lint/engine/other.yml
t_contains "workers: one worker for a few documents" "$T_ERR" " documents, 1 workers,"
t_run "workers: -j2 on 2 files" 1 tl --verbose -j2 tests/lint/engine/app.yaml tests/lint/engine/other.yml
t_contains "workers: -j2 is obeyed" "$T_ERR" " documents, 2 workers,"

# ---- hostile rules -------------------------------------------------------------------

# Peak RSS through GNU time when it is there (not under sanitizers: their
# shadow memory is not ours).
RSS_TIME=
[ -x /usr/bin/time ] && RSS_TIME="/usr/bin/time -f %M -o $T/rss"
for d in tests/lint/hostile-rules/*/; do
	h=$(basename "$d")
	# timeout: a hang guard only; the 2 s the issue asks for is CPU time.
	: >"$T/rss"
	t_run "hostile $h: exit 2" 2 timeout 120 $RSS_TIME env SPARKLINT_RULES_DIR=$TR "$L" --no-config -j2 -r "$d" tests/lint/engine/app.yaml tests/lint/engine/other.yml
	e=$T_CPU_MS
	# peak RSS (GNU time prints "Command exited with non-zero status N" first)
	kb=$(tail -n 1 "$T/rss")
	if [ -n "${SK_SANITIZED:-}" ] || [ -z "$RSS_TIME" ]; then :
	elif [ -n "$kb" ] && [ "$kb" -le $((256 * 1024)) ]; then t_ok "hostile $h: peak RSS under 256 MB ($((kb / 1024)) MB)"
	else t_fail "hostile $h: peak RSS under 256 MB (${kb:-?} KB)"; fi
	case "$T_OUT" in
	*"tests/lint/hostile-rules/$h/$h.lua:"[0-9]*": error: rule '$h' failed: "*"[rule-error]"*)
		t_ok "hostile $h: a rule-error naming its file:line" ;;
	*) t_fail "hostile $h: a rule-error naming its file:line" "$T_OUT" ;;
	esac
	n=$(printf '%s\n' "$T_OUT" | grep -c "\[rule-error\]")
	[ "$n" = 1 ] && t_ok "hostile $h: exactly one rule-error" || t_fail "hostile $h: exactly one rule-error ($n)" "$T_OUT"
	t_contains "hostile $h: other rules' findings still appear" "$T_OUT" \
		"tests/lint/engine/app.yaml:4:1: error: pod 'driver' is a bare driver [t-driver-pod]"
	t_contains "hostile $h: the mutation-sensitive finding is intact" "$T_OUT" \
		"tests/lint/engine/app.yaml:33:13: error: claim 'gone' not found in namespace 'apps' [t-claim-missing]"
	# '-- want: TEXT [| TEXT...]' in the rule file: what the rule-error says after
	# "failed: " (a budget may run out on the wall clock first on a loaded machine)
	want=$(sed -n 's/^-- want: //p' "$d/$h.lua")
	if [ -n "$want" ]; then
		line=$(printf '%s\n' "$T_OUT" | grep -F '[rule-error]')
		found=false
		while read -r w; do
			case "$line" in *"rule '$h' failed: $w"*) found=true ;; esac
		done < <(printf '%s\n' "$want" | sed 's/ | /\n/g')
		$found && t_ok "hostile $h: the rule-error says why" ||
			t_fail "hostile $h: the rule-error says why ($want)" "$line"
	fi
	if [ -n "${SK_SANITIZED:-}" ] || [ "$e" -lt 2000 ]; then t_ok "hostile $h: within 2 s of CPU (${e} ms)"
	else t_fail "hostile $h: within 2 s of CPU (${e} ms)"; fi
done
[ ! -e /tmp/sparklint-pwned ] && t_ok "hostile: os.execute did nothing" || t_fail "hostile: os.execute did nothing"
# A rule that keeps a document and changes it chunks later is caught at the end, and
# the rules run again alone on fresh tables, so the findings are those of a clean run.
# The re-run cannot blame this rule (its 30th call has passed), so one error without a
# position says that some rule did it: exit 2, not a clean pass.  One worker: with
# more, each copy of the rule counts its own calls.
mkdir -p "$T/late-rule"
cat >"$T/late-rule/h-late.lua" <<'LUA'
local kept, calls = nil, 0
return {
	id = "h-late", severity = "error", category = "test",
	description = "hostile: changes a document it kept, chunks later", hint = "none",
	check = function(obj, ctx)
		calls = calls + 1
		if obj.kind == "Pod" and not kept then kept = obj end
		if calls == 30 then kept.spec.containers[1].image = "pinned:1.0" end
	end,
}
LUA
"$PYTHON" - "$T/late.yaml" <<'PY'
import sys
docs = ["apiVersion: v1\nkind: Pod\nmetadata: {name: first}\nspec:\n  containers:\n  - {name: c, image: busybox}\n"]
docs += ["apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\ndata: {k: v}\n" % i for i in range(40)]
docs += ["apiVersion: v1\nkind: Pod\nmetadata: {name: second}\nspec:\n  containers:\n  - {name: c, image: busybox}\n"]
open(sys.argv[1], "w").write("---\n".join(docs))
PY
tl -f json "$T/late.yaml" >"$T/late-clean.json" 2>&1
t_run "hostile h-late: a change chunks later is an error (-j1)" 2 \
	tl -j1 --verbose -f json -r "$T/late-rule" "$T/late.yaml"
t_contains "hostile h-late: ... caught: the rules run again alone" "$T_ERR" "re-run isolated"
t_check "hostile h-late: ... the findings are a clean run's, and one error says a rule changed a document" \
	pyjson /dev/stdin <<<"$T_OUT" '
import json
clean = json.load(open("'"$T/late-clean.json"'"))["findings"]
rest = [f for f in d["findings"] if f["rule"] != "rule-error"]
errs = [f for f in d["findings"] if f["rule"] == "rule-error"]
assert rest == clean and len(clean) == 2, (rest, clean)
assert len(errs) == 1 and errs[0]["file"] is None, errs
assert errs[0]["message"].startswith("a rule modified a document it was given, and none did again"), errs'

# C scans are charged for the bytes each call covers, not the whole string:
# the built-in rules tokenize a 1 MB `sh -c` script (40,000 confs, quoting,
# so spark.lua steps through it with s:find(p, i)) within their budgets.
"$PYTHON" - "$T/bigscript.json" <<'PY'
import json, sys
confs = " ".join("--conf 'spark.x%d=v %d'" % (i, i) for i in range(40000))
script = "cd /tmp; exec /opt/spark/bin/spark-submit --master k8s://https://kubernetes.default.svc " + confs + " local:///app.jar"
pod = {"metadata": {"labels": {"spark-role": "driver"}},
       "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "spark:3.5", "command": ["sh", "-c", script]}]}}
json.dump({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "namespace": "x"},
           "spec": {"template": pod}}, open(sys.argv[1], "w"))
PY
t_run "budgets: a 1 MB shell script is linted" 1 "$L" --no-config -f json "$T/bigscript.json"
t_check "budgets: ... without a rule-error, its confs read" pyjson /dev/stdin <<<"$T_OUT" '
rules = [f["rule"] for f in d["findings"]]
assert "rule-error" not in rules, [f["message"] for f in d["findings"] if f["rule"] == "rule-error"][:3]
assert "spark-driver-pod-name" in rules and "spark-driver-bind-address" not in rules, rules'
# A StatefulSet driver's mounts are matched to its volumeClaimTemplates by
# name in one pass: 20,000 of each (1.5 MB) are within the checkpoint rules'
# budgets, and the mount named after a template is its checkpoint claim.
"$PYTHON" - "$T/bigsts.json" <<'PY'
import json, sys
n = 20000
mounts = [{"name": "v%d" % i, "mountPath": "/m%d" % i} for i in range(n)]
mounts.append({"name": "t%d" % (n - 1), "mountPath": "/ck"})
c = {"name": "d", "image": "apache/spark:3.5.1", "args": ["/opt/spark/bin/spark-submit", "--conf",
     "spark.sql.streaming.checkpointLocation=/ck/app", "local:///app.jar"], "volumeMounts": mounts}
vcts = [{"metadata": {"name": "t%d" % i}, "spec": {"accessModes": ["ReadWriteMany"]}} for i in range(n)]
json.dump({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s", "namespace": "x"},
           "spec": {"serviceName": "s", "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b", "spark-role": "driver"}}, "spec": {"containers": [c]}},
                    "volumeClaimTemplates": vcts}}, open(sys.argv[1], "w"))
PY
t_run "budgets: a StatefulSet with 20,000 mounts and volumeClaimTemplates is linted" 0 "$L" --no-config -f json \
	--rule spark-checkpoint-access-mode --rule spark-checkpoint-pvc-ephemeral --rule spark-checkpoint-pvc-missing \
	--rule spark-checkpoint-storageclass-reclaim --rule spark-checkpoint-volume-missing "$T/bigsts.json"
t_check "budgets: ... without a rule-error, its checkpoint on the last template" pyjson /dev/stdin <<<"$T_OUT" '
f = d["findings"]
assert [x["rule"] for x in f] == ["spark-checkpoint-storageclass-reclaim"], [(x["rule"], x["message"][:200]) for x in f]
assert "volumeClaimTemplate '"'"'t19999'"'"'" in f[0]["message"], f[0]["message"]'
# A Spark Connect client's spark-submit is sized as a driver's, but the
# message says whose container it is (it is no driver to the other rules).
t_run "spark-driver-memory-limit: a Connect client's container is named as one" 1 \
	"$L" --no-config --rule spark-driver-memory-limit tests/rules/spark-driver-memory-limit/fail.yaml
t_contains "spark-driver-memory-limit: ... 'Spark Connect client container'" "$T_OUT" \
	"fail.yaml:200:15: warning: memory limit 2Gi of Spark Connect client container 'spark-kubernetes-driver' is below spark.driver.memory + overhead = 4506Mi: spark-submit's JVM is OOM-killed"

# A script of Spark Connect launchers is read in one pass for their
# --remote: 30,000 'pyspark' words (180 KB) are within every rule's budget
# (a scan from each launcher to the next separator failed 21 rules).
"$PYTHON" - "$T/launchers.json" <<'PY'
import json, sys
c = {"name": "c", "image": "my/app:1.0", "command": ["sh", "-c", " ".join(["pyspark"] * 30000)]}
json.dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "x", "labels": {"spark-role": "driver"}},
           "spec": {"containers": [c]}}, open(sys.argv[1], "w"))
PY
t_run "budgets: a script of 30,000 Spark Connect launchers is linted" 1 "$L" --no-config -f json "$T/launchers.json"
t_check "budgets: ... without a rule-error, a driver (labelled, no client)" pyjson /dev/stdin <<<"$T_OUT" '
rules = [f["rule"] for f in d["findings"]]
assert "rule-error" not in rules, [f["message"] for f in d["findings"] if f["rule"] == "rule-error"][:3]
assert "spark-driver-bare-pod" in rules, rules'
t_run "hostile: messages" 2 tl -r tests/lint/hostile-rules/h-loop -r tests/lint/hostile-rules/h-io \
	-r tests/lint/hostile-rules/h-table-error -r tests/lint/hostile-rules/h-module-error \
	-r tests/lint/hostile-rules/h-mutate -r tests/lint/hostile-rules/h-memory tests/lint/engine/app.yaml
for want in \
	"h-loop.lua:10:1: error: rule 'h-loop' failed: instruction budget exceeded" \
	"h-io.lua:10:1: error: rule 'h-io' failed: undefined global 'io'" \
	"h-table-error.lua:10:1: error: rule 'h-table-error' failed: error object is a table value" \
	"h-module-error.lua:10:1: error: rule 'h-module-error' failed: tests/lint/rules/lib/tk.lua:" \
	"h-mutate.lua:9:1: error: rule 'h-mutate' failed: it modified a document it was given" \
	"error: rule 'h-memory' failed: "; do
	t_contains "hostile: ${want%%:*}" "$T_OUT" "$want"
done

# A rule's findings are held in C, outside its Lua state's cap, so they have a cap of
# their own, the same size: past it, in document order, the rule fails at that document
# and keeps the findings before, the same for any -j.  The objects are suppressed, so
# the report stays small; the count of suppressed findings is the kept set's size.
mkdir -p "$T/spread"
cat >"$T/spread/t-spread.lua" <<'EOR'
return {
	id = "t-spread", severity = "info", category = "test", description = "many findings",
	hint = "none", kinds = { "ConfigMap" },
	check = function(obj, ctx)
		local m = string.rep("m", 900) .. obj.metadata.name
		for i = 1, 1000 do ctx:report{ message = m .. i } end
	end,
}
EOR
"$PYTHON" - "$T/spread.yaml" <<'PY'
import sys
open(sys.argv[1], "w").write("---\n".join(
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n  annotations: {sparklint.io/ignore: all}\n" % i
    for i in range(100)))
PY
for j in 1 2 3; do
	t_run "findings cap: -j$j is exit 2" 2 tl -j$j -f json --rule t-spread -r "$T/spread" "$T/spread.yaml"
	printf '%s\n' "$T_OUT" >"$T/spread$j.json"
done
t_check "findings cap: the rule fails where its findings passed the cap, and keeps those before" \
	pyjson "$T/spread1.json" '
e = [f for f in d["findings"] if f["rule"] == "rule-error"]
assert len(e) == 1 and e[0]["line"] == 4, e
assert e[0]["message"].startswith("rule \x27t-spread\x27 failed: ctx:report: its findings passed "), e
assert "(checking ConfigMap \x27c" in e[0]["message"], e
assert 50000 < d["summary"]["suppressed"] < 70000, d["summary"]'
t_check "findings cap: the same report for -j1, -j2, -j3" \
	cmp -s "$T/spread1.json" "$T/spread2.json"
t_check "findings cap: ... -j3 too" cmp -s "$T/spread1.json" "$T/spread3.json"

# ---- untrusted text in the text report ------------------------------------------------
# A name from the YAML and a file name that try to start a line of their own (a CI
# runner reads '::warning ...' on any output line as a command) or to drive the terminal.
inj=$T/$'inj\n::error file=x::forged'.yaml
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\\n::warning file=y::forged\\e[2J\\e]0;title\\a"\n  labels: {spark-role: driver}\nspec:\n  containers: [{name: spark-kubernetes-driver, image: "apache/spark:3.5.1"}]\n' >"$inj"
t_run "injection: findings in a hostile file are reported" 1 "$L" --no-config "$inj"
t_contains "injection: the name's newline and escapes are shown escaped" "$T_OUT" \
	"x\\n::warning file=y::forged\\x1b[2J\\x1b]0;title\\x07"
t_contains "injection: so is the file name's" "$T_OUT" "inj\\n::error file=x::forged.yaml:2:1: error:"
if printf '%s\n%s\n' "$T_OUT" "$T_ERR" | grep -q '^::\|'$'\033'; then
	t_fail "injection: no output line starts with '::', no ESC byte" "$T_OUT"
else
	t_ok "injection: no output line starts with '::', no ESC byte"
fi
rm -f "$inj"

# A rule that builds 80 MiB as it loads: every state loads rules under the
# same cap (the first one before the input is known, the others after), so
# the verdict does not depend on -j.
mkdir -p "$T/bigload"
printf 'local s = string.rep("x", 80 << 20)\nreturn { id = "bigload", severity = "error", category = "x", description = "d", hint = "h", check = function(obj, ctx) end }\n' >"$T/bigload/bigload.lua"
for j in 1 2; do
	t_run "load cap: a rule over the cap as it loads fails at -j$j (exit 2)" 2 tl -j$j -r "$T/bigload" tests/lint/engine/app.yaml
	t_contains "load cap: ... naming it (-j$j)" "$T_OUT$T_ERR" "$T/bigload/bigload.lua: error: memory limit exceeded (64 MiB) [rule-error]"
done

# ---- malformed rule files ------------------------------------------------------------

mal() {	# mal CASE WANT: the loader rejects tests/lint/malformed/CASE with WANT on stderr
	t_run "malformed $1: exit 2" 2 tl -r "tests/lint/malformed/$1" "$T/clean.yaml"
	t_contains "malformed $1: file:line and reason" "$T_ERR" "tests/lint/malformed/$1/m-$1.lua:$2"
}
mal missing-hint "2:1: error: malformed rule 'm-missing-hint': missing field 'hint' [rule-error]"
mal bad-type "4:2: error: malformed rule 'm-bad-type': field 'severity' must be a string"
mal id-mismatch "3:2: error: malformed rule 'm-id-mismatch': id 'something-else' must equal the file's basename"
mal unknown-field "8:2: error: malformed rule 'm-unknown-field': unknown field 'chek'"
mal bad-severity "4:2: error: malformed rule 'm-bad-severity': severity 'fatal' must be error, warning or info"
mal no-check "2:1: error: malformed rule 'm-no-check': needs a check or a finish function"
mal syntax "6: error: '}' expected"
mal not-table "2:1: error: malformed rule 'm-not-table': the file must return a table (got string)"
mal global-write "2:1: error: malformed rule 'm-global-write': it sets global 'helper'"
# A global set and cleared again is not the one to point at.
mal global-cleared "4:1: error: malformed rule 'm-global-cleared': it sets global 'helper' (declare it local)"
mal top-error "3: error: attempt to index a nil value"
# Lua gives a memory error no position: the file is named all the same.
t_run "malformed top-memory: exit 2" 2 tl -r tests/lint/malformed/top-memory "$T/clean.yaml"
t_contains "malformed top-memory: the file and the reason" "$T_ERR" \
	"tests/lint/malformed/top-memory/m-top-memory.lua: error: memory limit exceeded"
# A broken helper module is one error, not one more per rule that reads it.
t_run "malformed module-shadows-global: exit 2" 2 tl -r tests/lint/malformed/module-shadows-global "$T/clean.yaml"
t_eq "malformed module-shadows-global: the module's error alone, not the rules' that use re" "$T_ERR" \
	"tests/lint/malformed/module-shadows-global/lib/re.lua: error: module 're' would replace the global 're' (a table) that every rule sees; rename the file [rule-error]"
t_run "malformed broken-module: exit 2" 2 tl -r tests/lint/malformed/broken-module "$T/clean.yaml"
t_eq "malformed broken-module: the module's error alone" "$T_ERR" \
	"tests/lint/malformed/broken-module/lib/mhelp.lua:3: error: mhelp is broken [rule-error]"
mal bad-kinds "8:2: error: malformed rule 'm-bad-kinds': field 'kinds' must be a list of strings"
mal bad-options "8:2: error: malformed rule 'm-bad-options': field 'options' must be a table of named options"
mal empty-api-versions "8:2: error: malformed rule 'm-empty-api-versions': field 'apiVersions' must list at least one value"
mal metatable "4:1: error: malformed rule 'm-metatable': the returned table must not have a metatable [rule-error]"
# C strings stop at a NUL: a field holding one is refused, not read short.
mal nul-id "4:2: error: malformed rule 'm-nul-id': field 'id' must not hold a NUL byte [rule-error]"
mal nul-severity "5:2: error: malformed rule 'm-nul-severity': field 'severity' must not hold a NUL byte [rule-error]"
mal nul-kind "9:2: error: malformed rule 'm-nul-kind': field 'kinds' must not hold a NUL byte [rule-error]"

# ---- filters: check() sees only the kinds and apiVersions a rule lists ----------------
mkdir -p "$T/filter"
cat >"$T/filter/t-filter.lua" <<'EOR'
return {
	id = "t-filter", severity = "error", category = "test", description = "filter",
	hint = "none", kinds = { "Job", "Pod" }, apiVersions = { "batch/v1", "v1" },
	check = function(obj, ctx) ctx:report{ obj = obj, message = "saw " .. obj.metadata.name } end,
}
EOR
cat >"$T/filter.yaml" <<'EOY'
{apiVersion: batch/v1, kind: Job, metadata: {name: a}}
---
{apiVersion: batch/v1beta1, kind: Job, metadata: {name: b}}
---
{apiVersion: v1, kind: Pod, metadata: {name: c}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: d}}
---
{kind: Pod, metadata: {name: e}}
---
{apiVersion: v1, metadata: {name: f}}
EOY
t_run "filters: findings exit 1" 1 "$L" --no-config -r "$T/filter" --rule t-filter -f json "$T/filter.yaml"
t_eq "filters: check() saw exactly the Job in batch/v1 and the Pod in v1" \
	"$(printf '%s' "$T_OUT" | python3 -c 'import json,sys; print(" ".join(f["message"] for f in json.load(sys.stdin)["findings"]))')" \
	"saw a saw c"
# precompiled Lua (the Redis CVE route: bytecode skips the verifier); the first byte is ESC
mal bytecode " error: attempt to load a binary chunk (mode is 't') [rule-error]"
cp tests/lint/rules/t-driver-pod.lua "$T/escrules/"
mkdir -p "$T/dup" && cp tests/lint/rules/t-driver-pod.lua "$T/dup/"
# a rules directory without any rule is a typo (or rules one level down), not a pass
mkdir -p "$T/norules/sub" && cp tests/lint/rules/t-driver-pod.lua "$T/norules/sub/"
t_run "rules: -r DIR without a *.lua is exit 2" 2 tl -r "$T/norules" "$T/clean.yaml"
t_contains "rules: ... saying so" "$T_ERR" "sparklint: error: no rules (*.lua) in '$T/norules' [config]"
mkdir -p "$T/twice"
printf 'return { id = "t-twice", severity = "error", category = "test", description = "d", hint = "h", check = function(obj, ctx) end }\n' >"$T/twice/t-twice.lua"
t_run "rules: the same directory twice (-r and -r ./) is one directory" 0 tl -r "$T/twice" -r "$T/twice/" "$T/clean.yaml"
t_run "rules: ... the built-in one named with -r too" 0 tl -r "$TR" "$T/clean.yaml"
t_run "rules: one id in two directories is exit 2" 2 tl -r "$T/dup" "$T/clean.yaml"
t_contains "rules: both files named" "$T_ERR" "rule 't-driver-pod' is defined twice"
# rule files are opened by name in the directory that listed them (tl's rules directory is a
# relative path), and a bad one is named by its path
mkdir -p "$T/oddrules/odd.lua" && cp tests/lint/rules/t-driver-pod.lua "$T/oddrules/"
t_run "rules: a directory named *.lua is exit 2" 2 tl -r "$T/oddrules" "$T/clean.yaml"
t_contains "rules: ... with its path" "$T_ERR" "oddrules/odd.lua': Is a directory"

# ---- the built-in rules come compiled in sparklint (lib/embed.h) -----------------------
# Used for a file only when its text is the same; a changed file is compiled from its text,
# and what sparklint reports does not depend on which.
nbuiltin=$(ls rules/*.lua rules/lib/*.lua | wc -l)
pre() {	# pre DIR DESC WANT: lint the engine fixture with the rules in DIR
	t_run "precompiled: $2" 1 env SPARKLINT_RULES_DIR="$1" "$L" --no-config --verbose -f json \
		tests/lint/engine/app.yaml
	t_contains "precompiled: $2: $3 of $nbuiltin files precompiled" "$T_ERR" \
		"; $3 of these files precompiled in sparklint"
}
pre "$PWD/rules" "the built-in rules" "$nbuiltin"
printf '%s' "$T_OUT" >"$T/pre-builtin.json"
mkdir -p "$T/rules-same/lib" "$T/rules-changed/lib"
for f in rules/*.lua rules/lib/*.lua; do
	cp "$f" "$T/rules-same/${f#rules/}"
	{ cat "$f"; echo "-- changed"; } >"$T/rules-changed/${f#rules/}"
done
pre "$T/rules-same" "the same text elsewhere" "$nbuiltin"
pre "$T/rules-changed" "every file changed" 0
printf '%s' "$T_OUT" >"$T/pre-changed.json"
t_check "precompiled: the same findings as compiled from the text" \
	cmp "$T/pre-builtin.json" "$T/pre-changed.json"
t_check "precompiled: ... and there are findings" pyjson "$T/pre-builtin.json" '
assert len(d["findings"]) >= 5, len(d["findings"])'

# ---- --verbose: time per rule ----------------------------------------------------------
# The slowest rules, as ESLint's TIMING=1: for a rule author whose hook got slow.
t_run "--verbose: time per rule" 1 env SPARKLINT_RULES_DIR="$PWD/rules" "$L" --no-config \
	--verbose -j2 tests/lint/engine/app.yaml
printf '%s' "$T_ERR" >"$T/timing.err"
ls rules/*.lua | sed 's|.*/||; s|\.lua$||' >"$T/rule-ids"
t_check "--verbose: the 10 slowest rules, slowest first, each a built-in rule" \
	"$PYTHON" - "$T/timing.err" "$T/rule-ids" <<'PY'
import re, sys
err = open(sys.argv[1]).read().splitlines()
ids = set(open(sys.argv[2]).read().split())
head = [i for i, l in enumerate(err) if "time in rule calls" in l]
assert len(head) == 1, err
m = re.fullmatch(r"sparklint: time in rule calls, ([0-9.]+) s over ([0-9]+) workers?; "
                 r"the ([0-9]+) slowest of ([0-9]+) rules:", err[head[0]])
assert m, err[head[0]]
total, shown, n = float(m[1]), int(m[3]), int(m[4])
assert n == len(ids) and shown == min(10, n), (shown, n, len(ids))
rows = err[head[0] + 1:head[0] + 1 + shown]
times = []
for r in rows:
    f = re.fullmatch(r"  (\S+) +([0-9.]+) s +([0-9.]+)%", r)
    assert f and f[1] in ids, r
    times.append(float(f[2]))
assert times == sorted(times, reverse=True), times
assert sum(times) <= total + 0.001 * shown, (times, total)
PY
t_run "--verbose: without it, no timing" 1 env SPARKLINT_RULES_DIR="$PWD/rules" "$L" \
	--no-config tests/lint/engine/app.yaml
t_eq "--verbose: ... on stderr" "$(printf '%s' "$T_ERR" | grep -c 'time in rule')" 0

# ---- --rule ---------------------------------------------------------------------------

t_run "--rule: one rule only" 1 tl -f json --rule t-driver-pod tests/lint/engine/app.yaml
printf '%s' "$T_OUT" >"$T/only.json"
t_check "--rule: every finding is from that rule" pyjson "$T/only.json" '
r = {f["rule"] for f in d["findings"]}
assert r == {"t-driver-pod"}, r'
printf 'rules:\n  t-driver-pod: off\n' >"$T/off.yaml"
t_run "--rule: wins over a config that turns the rule off" 1 \
	env SPARKLINT_RULES_DIR=$TR "$L" -c "$T/off.yaml" --rule t-driver-pod tests/lint/engine/app.yaml
t_contains "--rule: ... and the rule reports" "$T_OUT" "[t-driver-pod]"
t_run "--rule: an unknown id is a usage error" 2 tl --rule t-driver-pd tests/lint/engine/app.yaml
t_contains "--rule: with a suggestion" "$T_ERR" \
	"sparklint: error: --rule: unknown rule 't-driver-pd'; did you mean 't-driver-pod'? [usage]"
[ -z "$T_OUT" ] && t_ok "--rule: nothing on stdout after a usage error" ||
	t_fail "--rule: nothing on stdout after a usage error" "$T_OUT"

# ---- a rule cannot flood the report ----------------------------------------------------

t_run "long message: a 20 MB message is reported" 1 tl -f json --rule h-longmsg -r tests/lint/long-message tests/lint/engine/app.yaml
printf '%s' "$T_OUT" >"$T/long.json"
t_check "long message: cut to 4 KiB on a character boundary, marked" pyjson "$T/long.json" '
m = d["findings"][0]["message"]
assert len(m.encode()) <= 4096 + 3 and m.endswith("...") and set(m[:-3]) == {"\u00e9"}, len(m)'

# ---- --list-rules, --explain, --inspect -------------------------------------------------

t_run "--list-rules" 0 tl --list-rules
t_contains "--list-rules: id, severity, category, description" "$T_OUT" "t-backoff        warning  test      Job backoffLimit too high or ttl unset"
ids=$(printf '%s\n' "$T_OUT" | awk 'NR > 1 {print $1}')
[ "$ids" = "$(printf '%s\n' "$ids" | LC_ALL=C sort)" ] && t_ok "--list-rules: sorted" || t_fail "--list-rules: sorted" "$ids"
t_run "--explain: the rule's doc" 0 tl --explain t-driver-pod
t_contains "--explain: prints <ruledir>/<id>.md" "$T_OUT" "A test rule: a Pod labelled"
t_run "--explain: falls back to description and hint" 0 tl --explain t-backoff
t_contains "--explain: fallback" "$T_OUT" "hint: lower spec.backoffLimit"
t_run "--explain: unknown rule is exit 2" 2 tl --explain nope
t_run "--explain: a misspelt rule is exit 2" 2 tl --explain t-driver-pd
t_contains "--explain: ... with a did-you-mean" "$T_ERR" "sparklint: unknown rule 't-driver-pd'; did you mean 't-driver-pod'?"
t_run "--explain: a built-in rule's doc from docs/rules" 0 "$L" --no-config --explain spark-driver-bare-pod
t_contains "--explain: built-in doc title" "$T_OUT" "# spark-driver-bare-pod"
# A rule's description, hint and category are its author's text: escaped as in the text
# report, so a rule cannot drive the terminal from --list-rules or --explain.
mkdir -p "$T/escrule"
cat >"$T/escrule/t-ansi.lua" <<'EOR'
return { id = "t-ansi", severity = "info", category = "c\27[2J", description = "d\27[31mRED",
  hint = "h\27]0;title\7\nnext", check = function() end }
EOR
t_run "--list-rules: a rule's escapes" 0 tl -r "$T/escrule" --list-rules
t_contains "--list-rules: ... are shown escaped" "$T_OUT" "c\\x1b[2J  d\\x1b[31mRED"
t_run "--explain: a rule's escapes" 0 tl -r "$T/escrule" --explain t-ansi
t_contains "--explain: ... are shown escaped" "$T_OUT" "d\\x1b[31mRED (info, c\\x1b[2J)"
t_contains "--explain: ... in the hint too" "$T_OUT" "hint: h\\x1b]0;title\\x07"
case "$(cd "$T" && SPARKLINT_RULES_DIR=$ABS_TR "$ABS_L" --no-config -r escrule --list-rules; SPARKLINT_RULES_DIR=$ABS_TR "$ABS_L" --no-config -r escrule --explain t-ansi)" in
*$'\033'*|*$'\a'*) t_fail "--list-rules, --explain: no ESC or BEL byte" ;;
*) t_ok "--list-rules, --explain: no ESC or BEL byte" ;;
esac
t_run "--inspect: one JSON line per document" 0 "$L" --inspect tests/lint/engine/other.yml
[ "$(printf '%s\n' "$T_OUT" | wc -l)" = 3 ] && t_ok "--inspect: 3 lines" || t_fail "--inspect: 3 lines" "$T_OUT"
t_run "--inspect --positions from stdin" 0 "$L" --inspect --positions - <tests/lint/engine/app.json
t_contains "--inspect --positions: JSON pointers" "$T_OUT" '"/spec/containers/0/image":[5,50]'
t_run "--inspect: unparsable input is exit 2" 2 "$L" --inspect "$T/broken/bad.yaml"

# ---- --test-rules -----------------------------------------------------------------------

t_run "--test-rules: the test rules' fixtures pass" 0 tl --test-rules tests/lint/rules
[ "$(printf '%s\n' "$T_OUT" | grep -c '^ok - ')" = 10 ] && t_ok "--test-rules: one ok line per fixture file" || t_fail "--test-rules: 10 ok lines" "$T_OUT"
# ctx:select / ctx:selecting answer from label indexes: every match, in document order.
t_run "--test-rules: ctx:select and ctx:selecting find every match" 0 tl --test-rules tests/lint/select-rules
t_run "--test-rules: bad fixtures fail" 1 tl --test-rules tests/lint/rules --fixtures tests/lint/fixtures-bad
for want in \
	"not ok - t-backoff fixtures: none found" \
	"not ok - t-claim-missing fail: fail.yaml has no '# expect: t-claim-missing' marker" \
	"not ok - t-driver-pod pass: unexpected t-driver-pod at pass.yaml:2:1" \
	"not ok - t-driver-pod fail: missing t-driver-pod at fail.yaml:1" \
	"not ok - t-duplicate fail: fail.yaml:3: malformed marker" \
	"not ok - t-image-latest fail: missing t-image-latest at fail.yaml:7:3" \
	"ok - t-image-latest pass"; do
	t_contains "--test-rules: $want" "$T_OUT" "$want"
done
# A rule's findings must not depend on how -j splits the documents: each fixture runs again with
# the documents the rule checks dealt to two workers (1st, 3rd, ... in one, the rest and finish()
# in the other; a Service between two ConfigMaps does not keep them together), the same every run.
t_run "--test-rules: rules that keep state between calls are not ok" 1 tl --test-rules tests/lint/stateful-rules
SPLIT="the findings differ with the documents split between two workers, as -j splits them (the 1st, 3rd, ... the rule checks in one, the rest and finish() in the other)"
WHY="Does the rule keep state between calls (an upvalue, ctx:memo())? Other objects come from ctx:objects or ctx:find, and what finish() needs from check() through ctx:collect. Does it depend on pairs() order? Use sk.sorted_pairs"
for want in \
	"not ok - s-kept-in-upvalue fail: fail.yaml: $SPLIT: one worker gives fail.yaml:4:3: warning: ConfigMap 'a' has no data [s-kept-in-upvalue]; two give fail.yaml:9:3: warning: ConfigMap 'b' has no data [s-kept-in-upvalue]. $WHY" \
	"not ok - s-seen-before fail: fail.yaml: $SPLIT: one worker gives fail.yaml:12:3: warning: ConfigMap 'a' again [s-seen-before]; two give nothing more. $WHY" \
	"#   fail.yaml: $SPLIT: one worker gives tests/lint/stateful-rules/s-changes-kept.lua:16:1: error: rule 's-changes-kept' failed: it modified a document it was given (objects are shared and read-only; copy what you change) [rule-error]; two give fail.yaml:9:3: warning: labelled [s-changes-kept]. $WHY" \
	"not ok - s-names-in-message fail: fail.yaml: $SPLIT: one worker gives fail.yaml:4:3: info: ConfigMaps: a, b [s-names-in-message]; two give fail.yaml:4:3: info: ConfigMaps: b [s-names-in-message]. $WHY" \
	"not ok - s-counted-hint fail: fail.yaml: $SPLIT: one worker gives fail.yaml:9:3: warning: a ConfigMap [s-counted-hint] (hint: call 2); two give fail.yaml:9:3: warning: a ConfigMap [s-counted-hint] (hint: call 1). $WHY" \
	"ok - s-collects fail" "ok - s-kept-in-upvalue pass" "ok - s-seen-before pass"; do
	t_contains "--test-rules: $want" "$T_OUT" "$want"
done
[ "$(printf '%s\n' "$T_OUT" | grep -c '^not ok - ')" = 5 ] && t_ok "--test-rules: only the five fail fixtures of rules with state are not ok" || t_fail "--test-rules: 5 not ok lines" "$T_OUT"
t_run "--test-rules: a malformed rule is not ok" 1 tl --test-rules tests/lint/malformed/no-check --fixtures "$T/empty"
t_contains "--test-rules: load failure line" "$T_OUT" "not ok - m-no-check load: the rule file is malformed"
t_run "--test-rules: missing directory is exit 2" 2 tl --test-rules "$T/nowhere"
t_run "--test-rules: a rule with a built-in rule's id is not ok" 1 tl --test-rules "$T/dup" --fixtures "$T/empty"
t_contains "--test-rules: ... saying a lint run would refuse it" "$T_OUT" \
	"not ok - $T/dup/t-driver-pod.lua: a built-in rule has this id ($TR/t-driver-pod.lua); a lint run refuses both"
t_run "--test-rules: a broken module" 1 tl --test-rules tests/lint/malformed/broken-module --fixtures "$T/empty"
t_contains "--test-rules: ... is not ok" "$T_OUT" \
	"not ok - tests/lint/malformed/broken-module/lib/mhelp.lua load: mhelp is broken"
t_contains "--test-rules: ... and the rules are not checked, not malformed" "$T_OUT" \
	"not ok - m-uses-mhelp1 load: not checked: a helper module did not load"
t_run "--test-rules: a memory error at load" 1 tl --test-rules tests/lint/malformed/top-memory --fixtures "$T/empty"
t_contains "--test-rules: ... names the file, no line 0" "$T_OUT" \
	"#   tests/lint/malformed/top-memory/m-top-memory.lua: memory limit exceeded"

# ---- golden CLI cases (tests/cli/lint-*) -------------------------------------------------

for d in tests/cli/lint-*/; do
	c=$(basename "$d")
	(
		cd "$d" || exit 2
		envs=()
		[ -f env ] && mapfile -t envs <env
		eval "set -- $(cat args)"
		if [ -f stdin ]; then
			env "${envs[@]}" "$ABS_L" "$@" <stdin >"$T/$c.out" 2>"$T/$c.err"
		else
			env "${envs[@]}" "$ABS_L" "$@" </dev/null >"$T/$c.out" 2>"$T/$c.err"
		fi
		echo $? >"$T/$c.rc"
	)
	if [ -n "${REGEN:-}" ]; then
		cp "$T/$c.out" "$d/expected.out"
		cp "$T/$c.err" "$d/expected.err"
		cp "$T/$c.rc" "$d/expected.rc"
	fi
	for k in out err rc; do
		if cmp -s "$T/$c.$k" "$d/expected.$k"; then t_ok "cli $c: expected.$k"
		else t_fail "cli $c: expected.$k" "$(diff "$d/expected.$k" "$T/$c.$k" | head -20)"; fi
	done
done
exit 0
