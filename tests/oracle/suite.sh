#!/usr/bin/env bash
# tests/oracle/suite.sh: our YAML reading against PyYAML, an independent
# reader.  Every document of tests/oracle/corpus/*.yaml must read the same
# (value, root line, the position of every node); the cases in
# known-differences.txt are where Kubernetes' reading differs on purpose,
# and each is checked to really differ.  Runs `$SPARKLINT --inspect`, or the
# test driver $TOOLDIR/inspect while sparklint has no --inspect.
. "$(dirname "$0")/../lib.sh"
dir=tests/oracle

inspect_cmd() {
	if [ -x "$SPARKLINT" ] && printf 'a: 1\n' | "$SPARKLINT" --inspect - 2>/dev/null |
		grep -q '"object":{"a":1}'; then
		echo "$SPARKLINT --inspect"
	elif [ -x "${TOOLDIR:-}/inspect" ]; then
		echo "$TOOLDIR/inspect"
	fi
}

cmd=$(inspect_cmd)
if [ -z "$cmd" ]; then
	t_skip "yaml oracle" "neither '$SPARKLINT --inspect' nor \$TOOLDIR/inspect"
	exit 0
fi
if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then
	t_skip "yaml oracle" "$PYTHON has no PyYAML (apt-get install python3-yaml)"
	exit 0
fi
echo "# inspecting with: $cmd"
# shellcheck disable=SC2086  # $cmd is a command and its option
"$PYTHON" "$dir/yaml_oracle.py" corpus $cmd -- "$dir"/corpus/*.yaml || T_FAILED=1
# shellcheck disable=SC2086
"$PYTHON" "$dir/yaml_oracle.py" known $cmd -- "$dir/known-differences.txt" || T_FAILED=1
exit $T_FAILED
