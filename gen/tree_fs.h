/*
** tree_fs.h: the file-system half of the tree writer (internal to tree.c):
** symlink-safe reads below the output directory and the all-or-nothing
** commit of a planned set of file changes.
*/
#ifndef SK_TREE_FS_H
#define SK_TREE_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct tree_object;

enum tree_fs_state {
	TREE_FS_SAME,		/* on disk and identical: nothing to do */
	TREE_FS_ADD,		/* absent: create */
	TREE_FS_CHANGE,		/* present, ours, different: replace */
	TREE_FS_REMOVE,		/* ours, no longer produced: delete */
	TREE_FS_KEEP		/* ours once but no longer a regular file: leave */
};

struct tree_fs_file {
	char *rel;		/* owned: '/'-separated path below the output dir */
	const char *data;	/* the new content (borrowed or `own`) */
	size_t len;
	char *own;		/* owned buffer behind `data`, or NULL */
	const char *hash;	/* borrowed: SHA-256 hex of `data` if known, or NULL */
	const struct tree_object *obj;	/* borrowed: the object it holds, or NULL */
	char *old;		/* owned: the content on disk, NULL when absent */
	size_t oldlen;
	unsigned mode;		/* permission bits to write: those on disk less x (new: 0644) */
	bool exec;		/* on disk with an executable bit, which the run clears */
	enum tree_fs_state state;
	char *tmp, *bak;	/* commit: temp and backup names in its dir (owned) */
	bool done;		/* commit: the file's rename or unlink happened */
};

struct tree_fs {
	const char *dir;	/* borrowed: the output directory as given */
	int dfd;		/* open on dir, or -1 while it does not exist */
	char **mk;		/* owned: missing dirs below dir, parents first */
	size_t nmk, amk;
	char *cache_rel;	/* owned: the directory behind cache_fd */
	int cache_fd;
	unsigned jobs;		/* threads writing a new tree, reading one (0 and 1: one) */
};

/*
** Open `dir` (following a symlink there, none below) into fs; a missing dir
** is fine (fs->dfd == -1).  Returns 0, or -1 with an "io" diagnostic.
*/
int tree_fs_open(struct tree_fs *fs, const char *dir, bool exclusive,
		 struct diag_list *dl);
void tree_fs_close(struct tree_fs *fs);

/*
** Read the file `rel` below the output dir into *data (caller frees; NULL
** and 0 when it does not exist), never following a symlink.  Returns 0, or
** -1 with diagnostics (a symlink, a non-directory in the way, a non-regular
** file, I/O errors).
*/
int tree_fs_read(struct tree_fs *fs, const char *rel, char **data, size_t *len,
		 unsigned *mode, struct diag_list *dl);

/*
** tree_fs_read of every f[i].rel into f[i].old, oldlen and mode, from up
** to fs->jobs threads; rc[i] is what it returned, or 1 for a file that is
** f[i].data byte for byte and not executable by its owner (its copy is
** not kept: old is NULL).  The diagnostics come in the order of f.
** Returns 0, or -1 when out of memory (what was read stays in f).
*/
int tree_fs_read_all(struct tree_fs *fs, struct tree_fs_file *f, size_t n, int *rc,
		     struct diag_list *dl);

/*
** `rel` is going to be written or removed: note its missing parent
** directories for the commit and check up front that the deepest existing
** one is writable.  Returns 0, or -1 with diagnostics.
*/
int tree_fs_need(struct tree_fs *fs, const char *rel, struct diag_list *dl);

/*
** Apply the planned changes of `f` (sorted by rel; in an existing tree the
** last one is written last) atomically: every new file is first written to a temp file in its
** directory and every replaced or removed one linked to a backup; then
** renames and unlinks only.  On any failure everything is undone and the
** tree is as before.  When the output dir does not exist (fs->dfd == -1),
** the tree is written into a staging dir beside it, under the files' own
** names, and renamed into place at the end.  Returns 0, or -1 with
** diagnostics.
*/
int tree_fs_commit(struct tree_fs *fs, struct tree_fs_file *f, size_t n,
		   struct diag_list *dl);

/* Display path "dir/rel" (caller frees; NULL when out of memory). */
char *tree_fs_path(const struct tree_fs *fs, const char *rel);

#endif
