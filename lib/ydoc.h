/*
** ydoc.h: the positioned document model.  libyaml's event parser builds, per
** input stream, a tree of nodes in one arena; every node keeps its source
** position.  Scalars are typed the way Kubernetes reads YAML (sigs.k8s.io/yaml
** over go-yaml v2, YAML 1.1 flavoured; see docs/yaml-typing.md).  Everything
** else (json_t for gen/inspect/reports, Lua tables for rules) is derived from
** this tree on demand.
*/
#ifndef SK_YDOC_H
#define SK_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "diag.h"

/* Limits; an input that exceeds one is an error, never an OOM or a crash. */
#define YDOC_MAX_DEPTH 512		/* nested collections */
#define YDOC_MAX_TOKEN (16u << 20)	/* bytes in one scalar or token */
#define YDOC_MAX_ALIAS_EXPANSION 1000000 /* nodes added by aliases, per document */
#define YDOC_ALIAS_TEXT_UNIT 64		/* a scalar weighs one node more per this many bytes */

enum ynode_type {
	YN_NULL,
	YN_BOOL,
	YN_INT,
	YN_FLOAT,
	YN_STR,
	YN_SEQ,
	YN_MAP
};

enum ynode_style {		/* how a scalar was written */
	YS_PLAIN,
	YS_QUOTED,		/* single or double quoted */
	YS_BLOCK		/* literal or folded */
};

enum ynode_flags {
	YNF_SHARED = 1 << 0,	/* an alias points here: reached by more than one path */
	YNF_ANCHOR = 1 << 1,	/* carries an anchor (&a) */
	YNF_MERGE = 1 << 2,	/* a plain (or !!merge) `<<`: a merge key where it is a key */
	YNF_OPEN = 1 << 3	/* loader-internal: collection still being built */
};

struct ypair;

/* Largest weight; heavier subtrees saturate here (far above the alias budget). */
#define YDOC_WEIGHT_MAX ((1u << 23) - 1)

/*
** One node: 32 bytes, since a big stream holds millions of them (issue 8:
** peak RSS).  Counts are 32-bit (a collection of more than 2^32 - 1
** entries is a load error), `u` is packed to 12 bytes, and `len` shares
** its last 4 bytes with u.seq.n / u.map.n: read `len` of scalars only.
*/
struct ynode {
	const char *text;	/* scalars: the value as text (after unescaping), NUL-terminated;
				   typed scalars keep the text as written ("0x1F"); NULL for collections.
				   Equal texts may share storage; a short string may live in the node
				   itself (in `u`), so copy a string node only while the original lives */
	union {
		union {
			bool b;
			int64_t i;
			double f;
			struct { struct ynode **v; uint32_t n; } __attribute__((packed)) seq;
			struct { struct ypair *v; uint32_t n; } __attribute__((packed)) map;	/* in source order */
		} __attribute__((packed, aligned(4))) u;
		struct {
			uint32_t u_head_[2];	/* (u's first 8 bytes) */
			uint32_t len;	/* scalars: length of text */
		};
	};
	uint32_t line, col;	/* 1-based, col in code points */
	uint32_t type : 3;	/* enum ynode_type */
	uint32_t style : 2;	/* enum ynode_style; scalars only */
	uint32_t flags : 4;	/* enum ynode_flags */
	uint32_t weight : 23;	/* nodes in the subtree with aliases expanded, keys counted,
				   a scalar's text as one more per YDOC_ALIAS_TEXT_UNIT bytes;
				   saturates at YDOC_WEIGHT_MAX */
};

/*
** A mapping entry.  Keys are always strings, converted the way
** sigs.k8s.io/yaml does (int 8080 -> "8080", true -> "true", null -> "null");
** a collection as a key is an error.  `key` keeps the key's position.
*/
struct ypair {
	struct ynode *key;	/* type YN_STR */
	struct ynode *val;
};

struct ydoc {
	struct ynode *root;	/* never NULL: empty documents are not stored */
	unsigned index;		/* 0-based position in the stream, counting empty documents */
};

struct ystream {
	const char *file;	/* borrowed: interned name used in diagnostics */
	struct ydoc *docs;	/* the non-empty documents, in order */
	size_t ndocs;
	unsigned nempty;	/* documents skipped because empty or only comments */
	struct yarena *arena;	/* owns every node and string */
};

/*
** Load every document of a stream.  `name` is used in diagnostics (it is
** interned).  Empty documents are skipped (counted in nempty); an empty
** stream has no documents and is not an error.  On success returns 0.  On a syntax or limit error records an
** error diagnostic ("yaml") with file:line:col and returns -1; the documents
** parsed before the error stay in `ys` (so a linter can still report them),
** and ystream_release() must be called either way.
**
** Aliases share nodes (the tree is a DAG); the expansion budget makes a
** billion-laughs document an error.  Merge keys (<<) are applied.
** Duplicate keys are an error naming both positions.  Nesting (also through
** aliases) is at most YDOC_MAX_DEPTH, so recursive walks are safe.  Rules
** and messages: docs/yaml-typing.md.
*/
int ystream_load_buffer(struct ystream *ys, const char *name,
			const char *buf, size_t len, struct diag_list *dl);
/*
** Parallel loading of one big stream (lint/input.c): ystream_cuts finds
** where the text may be cut into pieces that load alone exactly as they load
** together, ystream_load_piece loads one (as ystream_load_buffer, positions
** counted from `line0` lines before it), ystream_append puts a piece's
** documents after the previous ones (document indices continue).  A cut is
** the start of a line "---" (then a blank or the line's end): libyaml ends
** any document there, a plain or block scalar too, and a quoted scalar or a
** flow collection left open is an error.  So when every piece loads without
** a diagnostic, the result is the serial one; when one has a diagnostic, the
** caller loads the whole stream serially, for the serial message.
*/
struct ystream_cut {
	size_t offset;		/* byte where a piece begins */
	unsigned line;		/* lines before it (0-based line of the cut) */
};
/*
** Up to `want` cuts, in order, each at least len / (want + 1) bytes after
** the previous one; 0 when the stream must not be cut (a directive line, a
** line break libyaml counts other than \n, a NUL, a UTF-16 byte order mark).
*/
size_t ystream_cuts(const char *buf, size_t len, size_t want,
		    struct ystream_cut *cuts);
int ystream_load_piece(struct ystream *ys, const char *name, const char *buf,
		       size_t len, unsigned line0, struct diag_list *dl);
/* Move src's documents after dst's and release src; -1 when out of memory. */
int ystream_append(struct ystream *dst, struct ystream *src);

/* As ystream_load_buffer, reading `path` ("-" = stdin) in chunks (no whole-file copy). */
int ystream_load_file(struct ystream *ys, const char *path,
		      struct diag_list *dl);
/*
** The same, also telling in *seen whether the text contains `watch` (at
** most 32 bytes; as far as it was read when loading stopped at an error):
** sparklint looks for its suppression marker as the bytes pass rather than
** reading every file again.
*/
int ystream_load_file_watch(struct ystream *ys, const char *path,
			    const char *watch, bool *seen, struct diag_list *dl);
/*
** The same from a descriptor the caller opened (and closes), named `path`;
** `size` is util_fd_size's (a directory is the caller's to refuse).
*/
int ystream_load_fd_watch(struct ystream *ys, const char *path, int fd,
			  size_t size, const char *watch, bool *seen,
			  struct diag_list *dl);
void ystream_release(struct ystream *ys);

/* Lookups; all return borrowed nodes or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
const struct ynode *ynode_getn(const struct ynode *map, const char *key,
			       size_t keylen);
const struct ynode *ynode_at(const struct ynode *seq, size_t i);	/* 0-based */
/* Dotted path of map keys, "spec.template.spec"; no escaping. */
const struct ynode *ynode_path(const struct ynode *root, const char *dotted);
/* Scalar text if `n` is a string (else NULL). */
const char *ynode_str(const struct ynode *n);
bool ynode_is_scalar(const struct ynode *n);

/*
** Resolve a plain scalar's type as Kubernetes does.  Fills *i or *f for
** numbers.  Used by the loader, the emitter (to decide quoting) and tests.
*/
enum ynode_type ydoc_resolve_plain(const char *s, size_t len, bool *b,
				   int64_t *i, double *f);

/*
** Convert to jansson (new reference; NULL on allocation failure).  Shared
** alias subtrees are converted once and shared (json_incref), so the result
** is as small as the tree.  Floats that are NaN or infinite become null,
** as JSON cannot hold them.
*/
json_t *ynode_to_json(const struct ynode *n);

/*
** Position of every node, as JSON Pointer -> [line, col] in document order
** ("" is the root).  For --inspect --positions.  New reference.
*/
json_t *ynode_positions(const struct ynode *root);

#endif
