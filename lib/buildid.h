/*
** buildid.h: the GNU build ID of a loaded object (its NT_GNU_BUILD_ID note),
** which changes with any change of its code.  sparkgen's render cache keys
** on them; sparklint uses its built-in bytecode only with the very liblua
** it was compiled by.
*/
#ifndef SK_BUILDID_H
#define SK_BUILDID_H

#include <stddef.h>

struct dl_phdr_info;

/* The build ID of one object (dl_iterate_phdr's view of it), or NULL. */
const unsigned char *buildid_note(const struct dl_phdr_info *info, size_t *len);

/*
** The build ID of the first loaded object whose file name contains `part`
** (e.g. "liblua"), copied to out (up to `cap` bytes).  Its length, or 0 when
** no such object is loaded or it has no build ID.
*/
size_t buildid_of(const char *part, unsigned char *out, size_t cap);

/* Is an object whose file name contains `part` loaded?  (Not when linked in.) */
int buildid_loaded(const char *part);

#endif
