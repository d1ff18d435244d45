#!/bin/sh
# Install the Debian packages named in "$@" that are missing; quiet when none
# are, sudo when not root.  An argument "cmd:pkg" is satisfied by either the
# command cmd on PATH or the package pkg: node and npm often come from
# NodeSource, whose nodejs conflicts with Debian's npm package.
missing=
for p in "$@"; do
	case $p in
	*:*)	command -v "${p%%:*}" >/dev/null 2>&1 && continue
		p=${p#*:} ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
command -v apt-get >/dev/null || {
	echo "deps: missing packages:$missing (and no apt-get here)" >&2; exit 1; }
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "deps: installing$missing" >&2
$sudo apt-get update -qq >&2 &&
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
