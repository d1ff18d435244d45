# bash completion for sparklint; installed as
# $(PREFIX)/share/bash-completion/completions/sparklint.  Options come from
# `sparklint --help`, rule ids from `sparklint --list-rules`.

_sparklint_options()
{
	"$1" --help 2>/dev/null |
		grep -oE '(^|[][[:space:]|,])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[][[:space:]|,]*//' | sort -u
}

_sparklint()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words=
	COMPREPLY=()
	case $prev in
	-f|--format)	words="text json sarif github" ;;
	--fail-level)	words="error warning info" ;;
	--color)	words="auto always never" ;;
	--explain|--rule)
		words=$("${COMP_WORDS[0]}" --list-rules 2>/dev/null | awk 'NR > 1 { print $1 }') ;;
	-c|--config)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
	-r|--rules|--context|--test-rules|--fixtures)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
	-j|--jobs)	return ;;
	esac
	if [[ -z $words && $cur == -* ]]; then
		words=$(_sparklint_options "${COMP_WORDS[0]}")
	fi
	if [[ -n $words ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -o filenames -F _sparklint sparklint
