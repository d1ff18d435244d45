/*
** tests/fuzz/fuzz_common.h: helpers shared by the libFuzzer harnesses
** (header-only; every function is static inline).  A harness calls fuzz_bug() when
** an oracle fails: that prints what broke and aborts, which libFuzzer
** records as a crash with the input saved.
*/
#ifndef SK_FUZZ_COMMON_H
#define SK_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Print the diagnostics of `dl` to stderr (for the crash report). */
static inline void fuzz_print_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		diag_print(stderr, &dl->v[i], false);
}

/*
** Lines of an input as YAML (and libyaml) counts them: 1 + line breaks
** (LF, CRLF, CR, and the YAML 1.1 breaks NEL, LS, PS), so the empty line
** after a final newline counts.
*/
static inline unsigned fuzz_count_lines(const uint8_t *data, size_t size)
{
	unsigned n = 1;

	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n')
			n++;
		else if (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'))
			n++;
		else if (data[i] == 0xC2 && i + 1 < size && data[i + 1] == 0x85)
			n++;
		else if (data[i] == 0xE2 && i + 2 < size && data[i + 1] == 0x80 &&
			 (data[i + 2] == 0xA8 || data[i + 2] == 0xA9))
			n++;
	}
	return n;
}

/* Print a JSON value compactly, in key order, to stderr. */
static inline void fuzz_print_json(const char *label, const json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY |
				 JSON_PRESERVE_ORDER) : NULL;

	fprintf(stderr, "%s: %s\n", label, s ? s : "(null)");
	free(s);
}

/* An oracle failed: say which, then abort so libFuzzer keeps the input. */
__attribute__((noreturn, format(printf, 1, 2)))
static inline void fuzz_bug(const char *fmt, ...)
{
	va_list ap;

	fputs("FUZZ ORACLE FAILED: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
** True when `j` holds something the emitter documents as unwritable: a
** string (or key) with a NUL byte or invalid UTF-8 (jansson refuses the
** latter, so NUL only), a non-finite real, or nesting deeper than `room`.
*/
static inline bool fuzz_unemittable(const json_t *j, unsigned room)
{
	const char *k;
	json_t *v;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_STRING:
		return memchr(json_string_value(j), 0, json_string_length(j)) != NULL;
	case JSON_REAL:
		return json_real_value(j) != json_real_value(j) ||
		       json_real_value(j) - json_real_value(j) != 0;
	case JSON_ARRAY:
		if (room == 0)
			return true;
		json_array_foreach(j, i, v)
			if (fuzz_unemittable(v, room - 1))
				return true;
		return false;
	case JSON_OBJECT: {
		if (room == 0)
			return true;
		void *it = json_object_iter((json_t *)j);
		for (; it; it = json_object_iter_next((json_t *)j, it)) {
			size_t klen;
			k = json_object_iter_key(it);
			klen = json_object_iter_key_len(it);
			if (memchr(k, 0, klen))
				return true;
			if (fuzz_unemittable(json_object_iter_value(it), room - 1))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}

/*
** Compare two values, key order included (json_equal ignores it; the
** emitter promises to keep it).  Returns true when they are the same.
*/
static inline bool fuzz_same_ordered(const json_t *a, const json_t *b)
{
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
	char *sa, *sb;
	bool same;

	if (!json_equal((json_t *)a, (json_t *)b))
		return false;
	sa = json_dumps(a, flags);
	sb = json_dumps(b, flags);
	same = sa && sb && strcmp(sa, sb) == 0;
	free(sa);
	free(sb);
	return same || !sa || !sb;	/* dump failure is OOM, not a finding */
}

#endif
