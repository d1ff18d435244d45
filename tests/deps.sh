#!/bin/sh
# Install the Debian packages named in "$@" that are not installed yet.
# Prints nothing when everything is there; uses sudo when not root.
missing=
for p in "$@"; do
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
