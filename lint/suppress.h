/*
** suppress.h: the two ways to silence a finding.
**   object annotation  sparklint.io/ignore: "rule-a,rule-b"   ("all" = every rule)
**                      sparklint.io/ignore-reason: "why"
**   line comment       # sparklint: ignore rule-a[,rule-b] [reason...]
**                      on the finding's line, or alone on the line above;
**                      a YAML comment (not text inside a quoted or block scalar).
** Functions over text; the engine decides which object/line applies.
*/
#ifndef SK_SUPPRESS_H
#define SK_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#define SUPPRESS_MARK "sparklint:"	/* in every suppression comment */
#define SUPPRESS_ANNOTATION "sparklint.io/ignore"
#define SUPPRESS_REASON_ANNOTATION "sparklint.io/ignore-reason"

/*
** A list's ids sorted, so that many findings looking up one list (a long
** list on a line that holds many findings) cost O(log n) each, not O(n).
** suppress_index_find gives the first id of the comma-separated list (blanks
** around commas allowed) that is `rule` or "all", or NULL.
*/
struct suppress_index {
	const char *list;	/* borrowed: the list indexed, NULL when none */
	size_t len;
	struct suppress_id {
		const char *s;
		size_t len;
	} *v;			/* owned: by text, then by place in the list */
	size_t n;
};
void suppress_index_build(struct suppress_index *x, const char *list, size_t len);
const char *suppress_index_find(const struct suppress_index *x, const char *rule);
void suppress_index_release(struct suppress_index *x);

/* The ids of a list in turn (an id ends the list where it cannot go on). */
struct suppress_iter {
	const char *p, *end;
	const char *last;	/* the end of the last id, or the list's start */
	bool first;
};
void suppress_iter_init(struct suppress_iter *it, const char *list, size_t len);
bool suppress_iter_next(struct suppress_iter *it, const char **id, size_t *idlen);
/* After the last id: the text the list did not take, blanks skipped; its length. */
size_t suppress_iter_rest(const struct suppress_iter *it, const char **rest);
/*
** After the last id, when the rest is empty: the list's last comma if only
** blanks follow it ("a," or "a, \n"), where an id is missing, or NULL.
*/
const char *suppress_iter_trailing(const struct suppress_iter *it);

/*
** Find a "# sparklint: ignore LIST" comment in one line (no newline), by its
** text alone (suppress_lines_comment also asks the YAML parser).
** On success stores the LIST span in *list and *listlen, sets *alone when the
** comment is the only thing on the line, and returns true.
*/
bool suppress_comment(const char *line, size_t len, const char **list,
		      size_t *listlen, bool *alone);

/* A file split into lines, for comment lookups (built once per file). */
struct suppress_lines {
	char *buf;		/* owned file contents */
	size_t len;
	size_t *off;		/* owned: start offset of each line */
	size_t n;		/* number of lines */
	size_t *comments;	/* owned: where the comments that carry the mark
				   and are YAML comments start (sound or not), as
				   byte offsets, ascending (found at the first lookup) */
	size_t ncomments;
	bool classified;	/* comments is filled */
	struct suppress_memo {	/* suppress_lines_comment's answers for the
				   last two lines asked (a finding's line and
				   the one above), a line's at [no % 2]: many
				   findings on one long line scan it once */
		unsigned no;	/* 0: none */
		bool found, alone;
		const char *list;
		size_t listlen;
		struct suppress_index ids;	/* of list, built at the first match */
		const char *reason;		/* interned, once ids is built */
	} memo[2];
};

/* Takes ownership of `buf` (NUL-terminated, `len` bytes). */
void suppress_lines_init(struct suppress_lines *sl, char *buf, size_t len);
void suppress_lines_release(struct suppress_lines *sl);

/*
** True when a comment on `line` (1-based), or alone on the line above it,
** suppresses `rule`.  Text after the id list ("# sparklint: ignore a -- why")
** is stored in *reason as an interned string (NULL when none), the id that
** matched (its address in sl->buf) in *by.
*/
bool suppress_lines_match(struct suppress_lines *sl, unsigned line,
			  const char *rule, const char **reason, const char **by);

/*
** suppress_comment on line `no` (1-based), for the line's first suppression
** comment that is a YAML comment: text inside a quoted or block scalar, or
** past a syntax error, is not one.  The first call parses the text (libyaml,
** events only).
*/
bool suppress_lines_comment(struct suppress_lines *sl, unsigned no,
			    const char **list, size_t *listlen, bool *alone);

/*
** The word (id characters) that starts the text after the id list `list`,
** `listlen` of a comment on line `no` (1-based), as suppress_lines_comment
** found it: its address in *word and its length; 0 when that text is empty
** or starts with something else ("-- why", "-why", ": why", ", x").  The
** caller judges whether a rule id left out of the list reads as the reason.
*/
size_t suppress_lines_word_after(const struct suppress_lines *sl, unsigned no,
				 const char *list, size_t listlen,
				 const char **word);

/*
** An id of dashes and colons alone ("--", "-", ":") is where a reason
** starts, not a rule's: "ignore -- why" names no rule.
*/
bool suppress_is_separator(const char *id, size_t len);

/* What is wrong with a suppression comment's id list (it silences what it names). */
enum suppress_gap {
	SUPPRESS_LIST_SOUND,
	SUPPRESS_LIST_REASON,	/* a reason's separator alone ("ignore -- why"): no rule ids */
	SUPPRESS_LIST_ITEM,	/* no id after a comma ("a,,b", "a, ;b", "a, -- why"):
				   the rest of the line is the reason */
	SUPPRESS_LIST_TRAILING,	/* nothing after its last comma ("a,") */
};

/*
** What is wrong with the id list `list`, `listlen` of the suppression
** comment of line `no` (1-based), as suppress_lines_comment found it, or
** SUPPRESS_LIST_SOUND; the first gap of the list.  *at is where: the
** comment's '#' (SUPPRESS_LIST_REASON), where the id should be, *atlen its
** text to the line's end, blanks at its end dropped (SUPPRESS_LIST_ITEM),
** the comma (SUPPRESS_LIST_TRAILING).  Pointers are into sl->buf.
*/
enum suppress_gap suppress_lines_gap(const struct suppress_lines *sl, unsigned no,
				     const char *list, size_t listlen,
				     const char **at, size_t *atlen);

/*
** The '#' of a second suppression comment in the text after the list
** `list`, `listlen` of line `no`'s suppression comment (1-based), as
** suppress_lines_comment found it ("ignore a # sparklint: ignore b"):
** that text is the first one's reason, so b is not suppressed.  The
** first such '#', or NULL; a mark that would not be a suppression on
** its own ("see # sparklint: docs") is not one, nor is any in a reason
** that starts with a separator ("-- old: # sparklint: ignore b"): the
** author wrote prose.
*/
const char *suppress_lines_second(const struct suppress_lines *sl, unsigned no,
				  const char *list, size_t listlen);

/* What is wrong with a comment that carries the mark but is no suppression. */
enum suppress_flaw {
	SUPPRESS_SOUND,		/* "ignore" and an id list: a suppression (or no comment) */
	SUPPRESS_NO_IGNORE,	/* the mark is not followed by "ignore" and a blank */
	SUPPRESS_NO_IDS,	/* "ignore" is followed by no rule id */
};

/*
** Why the first comment of line `no` (1-based) that carries the mark and is
** a YAML comment is no suppression: SUPPRESS_SOUND when it is one, or when
** there is none.  Else *hash is its '#', and *text and *textlen the text at
** fault, blanks at its end dropped (what follows the mark, or "ignore";
** empty when nothing does).  Pointers are into sl->buf.
*/
enum suppress_flaw suppress_lines_flaw(struct suppress_lines *sl, unsigned no,
				       const char **hash, const char **text,
				       size_t *textlen);

/*
** Columns as every position counts them: code points from the line's
** start, a byte order mark on line 1 not counted.  suppress_col_origin is
** where line `no` (1-based) counts from; suppress_cols adds the code points
** of [*q, to) and moves *q to `to`, so a walk along a line is linear.
*/
const char *suppress_col_origin(const struct suppress_lines *sl, size_t no);
size_t suppress_cols(const char **q, const char *to);

/*
** The next line break at or after p, or end; its length in *blen (0 at
** end).  Lines break as libyaml breaks them (LF, CRLF, a lone CR, NEL, LS,
** PS), so a line number here is a finding's.
*/
const char *suppress_next_break(const char *p, const char *end, size_t *blen);

#endif
