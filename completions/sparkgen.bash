# bash completion for sparkgen; installed as
# $(PREFIX)/share/bash-completion/completions/sparkgen.  Options come from
# `sparkgen --help`, so they never fall behind the program.

_sparkgen_options()
{
	"$1" --help 2>/dev/null |
		grep -oE '(^|[][[:space:]|,])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[][[:space:]|,]*//' | sort -u
}

# The environment names under `environments:` in the descriptions on the line.
_sparkgen_envs()
{
	local w
	for w in "${COMP_WORDS[@]:1}"; do
		[[ -f $w ]] && awk '/^environments:/ { f = 1; next } /^[^ #]/ { f = 0 }
			f && /^  [A-Za-z0-9_.-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "$w"
	done 2>/dev/null | sort -u
}

_sparkgen()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} f
	COMPREPLY=()
	case $prev in
	-o|--output|--templates)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
	--env)
		mapfile -t COMPREPLY < <(compgen -W "$(_sparkgen_envs)" -- "$cur"); return ;;
	-j|--jobs)	return ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_sparkgen_options "${COMP_WORDS[0]}")" -- "$cur")
		return
	fi
	# descriptions and the directories that hold them
	while IFS= read -r f; do
		[[ -d $f || $f == *.yaml || $f == *.yml ]] && COMPREPLY+=("$f")
	done < <(compgen -f -- "$cur")
}
complete -o filenames -F _sparkgen sparkgen
