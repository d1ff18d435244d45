#!/usr/bin/env bash
# tests/parity/suite.sh: kube-linter parity.  sparklint's implementations of
# kube-linter's 31 default checks (same names) must give kube-linter's own
# verdicts on kube-linter's fixtures ($SHARED/peers/kube-linter): the same
# number of reports, on the same objects, in document order.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

peer="$SHARED/peers/kube-linter"
if [ ! -x "$SPARKLINT" ]; then
	t_skip "kube-linter parity" "no sparklint binary at '$SPARKLINT'"
	exit 0
fi
if [ ! -f "$peer/expected.tsv" ]; then
	t_skip "kube-linter parity" "no $peer/expected.tsv"
	exit 0
fi
"$PYTHON" tests/parity/parity.py "$SPARKLINT" "$peer" || T_FAILED=1
exit 0
