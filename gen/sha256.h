/*
** sha256.h: SHA-256 (FIPS 180-4), used by the tree writer to record the
** content of the files it owns (DIR/.sparkgen-index, sha256sum format).
*/
#ifndef SK_SHA256_H
#define SK_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Hash `len` bytes of `data`; writes 64 lowercase hex digits and a NUL to `hex`. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

/* Whether the CPU's SHA extensions do the work (x86-64 only). */
bool sha256_accelerated(void);
/* For tests: true, the portable code only; false, whatever the CPU has. */
void sha256_use_portable(bool portable);

#endif
