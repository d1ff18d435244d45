#!/usr/bin/python3
"""ci_check.py [--script] KIND FILE: check that a CI example calls commands
that exist, or (--script) print the part of it that runs after the build as
one shell program, for the suite to run on the sample repository.

KIND is `github` (a workflow: jobs.*.steps[].run) or `gitlab` (jobs'
before_script/script).  Every simple command of every shell line must be a
shell builtin or an assignment, or a program on PATH; `sparkgen` and
`sparklint` may use only options their --help lists; `make` only targets the
Makefile defines; `apt-get install` must name every package of the
Makefile's DEB_BUILD; a path into the tool's checkout (/opt/sparkgen/...,
.sparkgen/...) must exist in this repository.  Environment: SPARKGEN, SPARKLINT (the binaries),
MAKEFILE.  Prints one line per problem, exits 1 if there is any.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml

BUILTINS = {"exit", "true", "false", "set", "export", "cd", "echo", "test", "["}
SEPARATORS = {"|", "||", "&&", ";", "&", "(", ")"}
CHECKOUTS = ("/opt/sparkgen/", ".sparkgen/")	# where the examples clone sparkgen
REDIRECTS = {">", ">>", "<", "2>", "2>&1", ">&"}


def shell_lines(kind, doc):
    """(where, text) of every shell script in the file."""
    if kind == "github":
        for job, body in (doc.get("jobs") or {}).items():
            for i, step in enumerate(body.get("steps") or []):
                if "run" in step:
                    yield "jobs.%s.steps[%d]" % (job, i), step["run"]
    else:
        for job, body in doc.items():
            if not isinstance(body, dict) or job.startswith("."):
                continue
            for key in ("before_script", "script", "after_script"):
                for i, line in enumerate(body.get(key) or []):
                    yield "%s.%s[%d]" % (job, key, i), line


def commands(text):
    """The simple commands of a script, as token lists."""
    for line in text.splitlines():
        lex = shlex.shlex(line, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        lex.commenters = "#"
        cmd = []
        try:
            tokens = list(lex)
        except ValueError as e:
            yield ["<unparsable: %s>" % e]
            continue
        skip = False
        for t in tokens:
            if skip:
                skip = False
            elif t in SEPARATORS:
                if cmd:
                    yield cmd
                cmd = []
            elif t in REDIRECTS or re.fullmatch(r"\d?>+&?\d?", t):
                skip = not t.endswith("&1")
            else:
                cmd.append(t)
        if cmd:
            yield cmd


def help_options(prog):
    out = subprocess.run([prog, "--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"(?:^|[\s\[|,])(--?[A-Za-z][A-Za-z-]*)", out))


def make_targets(makefile):
    text = open(makefile).read()
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.M))


def deb_build(makefile):
    m = re.search(r"^DEB_BUILD\s*:=\s*(.*)$", open(makefile).read(), re.M)
    return set(m.group(1).split())


def check(kind, path):
    doc = yaml.safe_load(open(path))
    progs = {"sparkgen": os.environ["SPARKGEN"], "sparklint": os.environ["SPARKLINT"]}
    opts = {name: help_options(p) for name, p in progs.items()}
    makefile = os.environ.get("MAKEFILE", "Makefile")
    targets = make_targets(makefile)
    problems, seen = [], 0
    for where, text in shell_lines(kind, doc):
        for cmd in commands(text):
            seen += 1
            while cmd and (cmd[0] == "sudo" or re.fullmatch(r"[A-Za-z_]\w*=.*", cmd[0])):
                cmd = cmd[1:]          # sudo, VAR=value prefixes
            if not cmd:
                continue
            name, args = cmd[0], cmd[1:]
            for a in args:
                for prefix in CHECKOUTS:
                    if a.startswith(prefix) and not os.path.exists(a[len(prefix):]):
                        problems.append("%s: %s is not in this repository" % (where, a))
            if name in progs:
                for a in args:
                    if a.startswith("-") and a != "-" and a.split("=")[0] not in opts[name]:
                        problems.append("%s: %s has no option %s" % (where, name, a))
            elif name == "make":
                rest = iter(args)
                for a in rest:
                    if a in ("-C", "-f"):
                        next(rest, None)
                    elif a.startswith("-") or "=" in a:
                        continue
                    elif a not in targets:
                        problems.append("%s: make has no target %s" % (where, a))
            elif name == "apt-get" and "install" in args:
                missing = deb_build(makefile) - set(args)
                if missing:
                    problems.append("%s: apt-get install lacks DEB_BUILD's %s"
                                    % (where, " ".join(sorted(missing))))
            elif name not in BUILTINS and not shutil.which(name):
                problems.append("%s: %s: command not found" % (where, name))
    if seen == 0:
        problems.append("%s: no shell commands found" % path)
    return problems, seen


def script(kind, path):
    """GitHub: the steps after the build, each in its own shell, all run (as
    their `if: !cancelled()` says); GitLab: `script:` in one `set -e` shell."""
    doc = yaml.safe_load(open(path))
    if kind == "github":
        out = ["rc=0"]
        for where, text in shell_lines(kind, doc):
            if "make " in text:
                continue
            out.append("( set -e\n%s\n) || rc=1" % text.rstrip("\n"))
        out.append("exit $rc")
    else:
        out = ["set -e"]
        for job, body in doc.items():
            if isinstance(body, dict) and "script" in body:
                out.extend(body["script"])
    return "\n".join(out) + "\n"


def main():
    if sys.argv[1] == "--script":
        sys.stdout.write(script(sys.argv[2], sys.argv[3]))
        return
    kind, path = sys.argv[1], sys.argv[2]
    problems, seen = check(kind, path)
    for p in problems:
        print(p)
    if not problems:
        print("%d commands checked" % seen)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
