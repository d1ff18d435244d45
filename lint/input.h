/*
** input.h: the set of manifest files sparklint reads: PATH arguments
** (files, directories walked recursively in sorted order, "-" for stdin),
** --context directories, de-duplicated by real path, minus config excludes;
** then loaded in parallel.
*/
#ifndef SK_INPUT_H
#define SK_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "strmap.h"
#include "ydoc.h"

#define INPUT_STDIN_NAME "<stdin>"

struct input_file {
	char *path;		/* owned: what to open ("-" = stdin) */
	const char *name;	/* interned display name */
	char *real;		/* owned real path; NULL for stdin */
	bool reported;		/* given as a PATH (not only as --context) */
	struct ystream ys;	/* the loaded documents */
	struct diag_list dl;	/* load problems ("io", "yaml") */
	bool marked;		/* the text may hold a suppression comment (SUPPRESS_MARK):
				   only then is it read again for its comments */
	char *buf;		/* owned: stdin contents, kept for comments (a big file's
				   contents only while it loads in pieces) */
	size_t len;
	size_t size;		/* bytes, known once loaded (from fstat, or read for stdin) */
	bool keep;		/* buf is kept: stdin, a pipe or a FIFO cannot be read again */
};

struct input_set {
	struct input_file *v;	/* owned array: in the order files were found, then
				   (input_load) in path order */
	size_t n, alloc;
	struct strmap seen;	/* real path -> index */
	struct strmap dirs;	/* "dev:ino" of walked directories */
	bool have_stdin;
	size_t excluded;	/* files skipped by the config's excludes */
	size_t cut, pieces;	/* streams loaded in pieces (in parallel), and the pieces */
	size_t whole_again;	/* ... loaded again whole after a piece's diagnostic */
};

void input_init(struct input_set *in);
void input_release(struct input_set *in);

/*
** Add a file, a directory (every *.yaml, *.yml, *.json below it, hidden
** entries skipped, symlinked directories walked once), or "-".  Files
** matching the config's excludes are skipped.  `reported` is false for
** --context.  Returns 0, or -1 with an "io" diagnostic (the rest is still
** added).  Every file is added before input_load.
*/
int input_add(struct input_set *in, const char *path, bool reported,
	      const struct config *cfg, struct diag_list *dl);

/* Total size in bytes of the files (known after input_load for stdin). */
size_t input_bytes(const struct input_set *in);

/*
** Put the files in path order (byte order, '/' first: as a walk yields
** them), then load every one, with up to `jobs` threads; problems go to
** each file's dl.
*/
void input_load(struct input_set *in, unsigned jobs);

/*
** The whole text of file `i` (caller frees), for suppression comments.
** NULL when it cannot be read.
*/
char *input_read_text(const struct input_set *in, size_t i, size_t *len);
/* The same, but stdin's contents are handed over, not copied (ask once). */
char *input_take_text(struct input_set *in, size_t i, size_t *len);

/* True when `name` has a manifest suffix (.yaml, .yml, .json). */
bool input_is_manifest(const char *name);

#endif
