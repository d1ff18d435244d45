/*
** jarena.h: the JSON of one app's render from an arena of its thread.
**
** Rendering an app makes a few thousand jansson values (objects with their
** hash tables, strings: about 100 KB) and frees every one of them once the
** app's YAML is emitted; malloc and free of those were a fifth of the time
** of a regeneration without the render cache.  Between jarena_begin and
** jarena_end, jansson's allocations in the calling thread come from chunks
** of that thread's arena and freeing one does nothing; jarena_end takes
** them all back at once, and keeps the chunks for the thread's next app.
** Outside a scope, and for a block allocated outside it, jansson uses
** malloc and free as before.
**
** The rule that makes this safe: nothing jansson allocated in a scope is
** used or freed after it (no value, no json_dumps text).  Under
** AddressSanitizer (SK_SANITIZED) every call here does nothing, so that
** the sanitizer sees each value's own malloc and free.
*/
#ifndef SK_JARENA_H
#define SK_JARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Route jansson's allocations through here; once, before any thread starts. */
void jarena_install(void);

/*
** Open this thread's scope (scopes do not nest).  Returns false, and opens
** none, when the arena is not installed or the build is sanitized.
*/
bool jarena_begin(void);

/* Close the scope: every block allocated in it is free again. */
void jarena_end(void);

/* Give this thread's kept chunks back to malloc (before the thread ends). */
void jarena_release(void);

/* For tests: bytes of the chunks this thread holds, in use or kept. */
size_t jarena_held(void);

#endif
