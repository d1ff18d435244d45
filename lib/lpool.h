/*
** lpool.h: the allocator behind each Lua state (luahost.c's capped_alloc).
**
** A lint run converts every document into Lua (hundreds of MiB of small
** tables and strings per state) and the rules churn through small
** temporaries; glibc's malloc spent a fifth of the run on them (bin
** consolidation, trimming and re-faulting pages).  A Lua state lives on one
** thread at a time, and Lua always tells the allocator the size of the block
** it frees, so small blocks can come from per-size free lists carved out of
** big chunks, with no header and no lock.  Chunks are only given back when
** the state closes.  Blocks above LPOOL_MAX go to malloc.
*/
#ifndef SK_LPOOL_H
#define SK_LPOOL_H

#include <stddef.h>

/* Size classes: 16, 32, ... 512, then 640, 768, ... 4096. */
#define LPOOL_GRAIN 16u
#define LPOOL_SMALL 512u		/* largest class of the fine grain */
#define LPOOL_COARSE 128u		/* the grain above it */
#define LPOOL_MAX 4096u			/* largest pooled block */
#define LPOOL_NCLASS (LPOOL_SMALL / LPOOL_GRAIN + \
		      (LPOOL_MAX - LPOOL_SMALL) / LPOOL_COARSE)

struct lpool_chunk;

struct lpool {
	void *free[LPOOL_NCLASS];	/* per class: freed blocks, linked */
	char *cur, *end;		/* unused part of the newest chunk */
	struct lpool_chunk *chunks;	/* every chunk, newest first */
	size_t next;			/* size of the next chunk */
};

void lpool_init(struct lpool *p);
/* Free every chunk (the blocks in them die with them). */
void lpool_release(struct lpool *p);

/*
** lua_Alloc's contract on sizes: ptr NULL (osize ignored) allocates, nsize
** 0 frees, else resizes a block of osize bytes.  NULL when out of memory.
*/
void *lpool_realloc(struct lpool *p, void *ptr, size_t osize, size_t nsize);

#endif
