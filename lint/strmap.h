/*
** strmap.h: a small open-addressing hash map from byte strings to size_t,
** used by sparklint for the object index (kind/namespace/name), the kind
** lists and file de-duplication.  Keys are copied into the map.
*/
#ifndef SK_STRMAP_H
#define SK_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	char *key;		/* owned; NULL = empty slot */
	size_t len;
	size_t val;
	uint64_t hash;		/* of key: kept, so growing hashes no key again */
};

struct strmap {
	struct strmap_slot *slot;	/* power-of-two size */
	size_t size, used;
};

#define STRMAP_INIT { NULL, 0, 0 }

void strmap_init(struct strmap *m);
/* Make room for n keys in all, so that inserting them never grows the table. */
void strmap_reserve(struct strmap *m, size_t n);
void strmap_release(struct strmap *m);
/* Find `key`; true and *val filled when present. */
bool strmap_get(const struct strmap *m, const char *key, size_t len,
		size_t *val);
/*
** Insert `key` -> `val` unless present.  Returns true when inserted, false
** when the key was already there (*val is then left alone, the old value is
** kept).  Allocation failure exits via the CLI wrappers.
*/
bool strmap_put(struct strmap *m, const char *key, size_t len, size_t val);
/* Pointer to the value of `key`, or NULL. */
size_t *strmap_ref(struct strmap *m, const char *key, size_t len);

#endif
