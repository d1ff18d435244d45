# sparklint's JSON report (-f json) as a GitLab Code Quality report:
#   sparklint -f json --context . clusters | jq -f codequality.jq > gl-code-quality.json
# The fingerprint leaves the line out, so a finding keeps its identity when
# a regenerated file moves it; GitLab compares fingerprints between the
# merge request and its target branch.
def level: {"error": "major", "warning": "minor", "info": "info"}[.] // "info";
[ .findings[]
  | select(.suppressed != true)
  | {
      description: (.message + (if .hint then " (hint: " + .hint + ")" else "" end)),
      check_name: .rule,
      fingerprint: ([.rule, .file,
                     (.object // {} | [.kind, .namespace, .name] | map(. // "") | join("/")),
                     .message] | join("|")),
      severity: (.severity | level),
      location: {path: .file, lines: {begin: .line}}
    } ]
