/*
** ydoc_resolve.c: scalar typing as Kubernetes reads YAML (go-yaml v2's
** resolve() under sigs.k8s.io/yaml; see docs/yaml-typing.md), and the text
** of non-string mapping keys.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ydoc.h"
#include "ydoc_int.h"

/* go-yaml's resolveTable: what a first byte hints at. */
enum { H_NONE, H_MAP, H_DOT, H_NUM };

static int resolve_hint(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return H_NUM;
	switch (c) {
	case '+': case '-':
		return H_NUM;
	case '.':
		return H_DOT;
	case 'y': case 'Y': case 'n': case 'N': case 't': case 'T':
	case 'f': case 'F': case 'o': case 'O': case '~':
		return H_MAP;
	default:
		return H_NONE;
	}
}

struct resolve_word {
	const char *s;
	enum ynode_type type;
	int val;		/* bool value, or the sign of an infinity, 0 = NaN */
};

static const struct resolve_word resolve_words[] = {
	{ "y", YN_BOOL, 1 }, { "Y", YN_BOOL, 1 }, { "yes", YN_BOOL, 1 },
	{ "Yes", YN_BOOL, 1 }, { "YES", YN_BOOL, 1 }, { "true", YN_BOOL, 1 },
	{ "True", YN_BOOL, 1 }, { "TRUE", YN_BOOL, 1 }, { "on", YN_BOOL, 1 },
	{ "On", YN_BOOL, 1 }, { "ON", YN_BOOL, 1 },
	{ "n", YN_BOOL, 0 }, { "N", YN_BOOL, 0 }, { "no", YN_BOOL, 0 },
	{ "No", YN_BOOL, 0 }, { "NO", YN_BOOL, 0 }, { "false", YN_BOOL, 0 },
	{ "False", YN_BOOL, 0 }, { "FALSE", YN_BOOL, 0 }, { "off", YN_BOOL, 0 },
	{ "Off", YN_BOOL, 0 }, { "OFF", YN_BOOL, 0 },
	{ "~", YN_NULL, 0 }, { "null", YN_NULL, 0 }, { "Null", YN_NULL, 0 },
	{ "NULL", YN_NULL, 0 },
	{ ".nan", YN_FLOAT, 0 }, { ".NaN", YN_FLOAT, 0 }, { ".NAN", YN_FLOAT, 0 },
	{ ".inf", YN_FLOAT, 1 }, { ".Inf", YN_FLOAT, 1 }, { ".INF", YN_FLOAT, 1 },
	{ "+.inf", YN_FLOAT, 1 }, { "+.Inf", YN_FLOAT, 1 }, { "+.INF", YN_FLOAT, 1 },
	{ "-.inf", YN_FLOAT, -1 }, { "-.Inf", YN_FLOAT, -1 }, { "-.INF", YN_FLOAT, -1 },
};

static const struct resolve_word *resolve_lookup(const char *s, size_t len)
{
	if (len > 5)
		return NULL;
	for (size_t k = 0; k < sizeof(resolve_words) / sizeof(resolve_words[0]); k++) {
		const struct resolve_word *w = &resolve_words[k];

		if (w->s[0] == s[0] && strlen(w->s) == len && !memcmp(w->s, s, len))
			return w;
	}
	return NULL;
}

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
** Go's strconv.ParseUint(s, 0, 64) without the sign: base from the prefix
** (0x, 0b, 0o, or a leading 0 for octal).  0 on success, -1 on a syntax
** error or overflow.
*/
static int parse_uint_base0(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (len >= 2 && s[0] == '0') {
		switch (s[1]) {
		case 'x': case 'X': base = 16; i = 2; break;
		case 'b': case 'B': base = 2; i = 2; break;
		case 'o': case 'O': base = 8; i = 2; break;
		default: base = 8; i = 1; break;
		}
		if (i == len)
			return -1;	/* "0x" and friends */
	}
	for (; i < len; i++) {
		unsigned d = (unsigned)digit_value((unsigned char)s[i]);

		if (d >= base || v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* Go's strconv.ParseInt(s, 0, 64): 0 = int64, 1 = only fits uint64, -1 = no. */
static int parse_int_base0(const char *s, size_t len, int64_t *i, uint64_t *u)
{
	bool neg = false, sign = false;
	uint64_t v;

	if (len && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		sign = true;
		s++, len--;
	}
	if (!len || parse_uint_base0(s, len, &v) < 0)
		return -1;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*i = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		return 0;
	}
	if (v <= (uint64_t)INT64_MAX) {
		*i = (int64_t)v;
		return 0;
	}
	*u = v;
	return sign ? -1 : 1;	/* ParseUint takes no sign */
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* go-yaml's float pattern ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool match_yaml_float(const char *s, size_t len)
{
	size_t i = 0, d;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < len && s[i] == '.') {
		for (d = ++i; i < len && is_digit(s[i]); i++)
			;
		if (i == d)
			return false;
	} else {
		for (d = i; i < len && is_digit(s[i]); i++)
			;
		if (i == d)
			return false;
		if (i < len && s[i] == '.')
			for (i++; i < len && is_digit(s[i]); i++)
				;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < len && is_digit(s[i]); i++)
			;
		if (i == d)
			return false;
	}
	return i == len;
}

/* strtod on a NUL-terminated copy; false when it overflows (Go: ErrRange). */
static bool to_double(const char *s, double *f)
{
	char *end;

	errno = 0;
	*f = strtod(s, &end);
	return *end == '\0' && !(errno == ERANGE && isinf(*f));
}

/*
** Go's underscoreOK for a decimal float: each '_' sits between two
** digits.  Copies s without underscores into out (size len + 1).
*/
static bool strip_go_underscores(const char *s, size_t len, char *out)
{
	size_t n = 0;

	for (size_t k = 0; k < len; k++) {
		if (s[k] != '_') {
			out[n++] = s[k];
			continue;
		}
		if (!k || k + 1 == len || !is_digit(s[k - 1]) || !is_digit(s[k + 1]))
			return false;
	}
	out[n] = '\0';
	return true;
}

/* A scalar starting with '.' that is not .inf/.nan: Go's ParseFloat. */
static enum ynode_type resolve_dot(const char *s, size_t len, char *tmp, double *f)
{
	if (!strip_go_underscores(s, len, tmp) || !match_yaml_float(tmp, strlen(tmp)))
		return YN_STR;
	return to_double(tmp, f) ? YN_FLOAT : YN_STR;
}

/* Digits or a sign: go-yaml tries ParseInt, ParseUint, then its float pattern. */
static enum ynode_type resolve_number(const char *s, size_t len, char *tmp,
				      int64_t *i, double *f)
{
	size_t n = 0;
	uint64_t u;
	int r;

	for (size_t k = 0; k < len; k++)
		if (s[k] != '_')
			tmp[n++] = s[k];
	tmp[n] = '\0';
	r = parse_int_base0(tmp, n, i, &u);
	if (r == 0)
		return YN_INT;
	if (r == 1) {		/* go-yaml: uint64; we have no such type */
		*f = (double)u;
		return YN_FLOAT;
	}
	if (match_yaml_float(tmp, n) && to_double(tmp, f))
		return YN_FLOAT;
	return YN_STR;
}

enum ynode_type ydoc_resolve_plain(const char *s, size_t len, bool *b,
				   int64_t *i, double *f)
{
	const struct resolve_word *w;
	char small[64], *tmp = small;
	enum ynode_type t = YN_STR;
	int hint;

	if (!len)
		return YN_NULL;
	hint = resolve_hint((unsigned char)s[0]);
	if (hint == H_NONE)
		return YN_STR;
	w = resolve_lookup(s, len);
	if (w) {
		if (w->type == YN_BOOL)
			*b = w->val;
		else if (w->type == YN_FLOAT)
			*f = w->val ? w->val * HUGE_VAL : NAN;
		return w->type;
	}
	if (hint == H_MAP)
		return YN_STR;
	if (len >= sizeof(small) && !(tmp = malloc(len + 1)))
		return YN_STR;	/* out of memory: the text is still right */
	if (hint == H_DOT)
		t = resolve_dot(s, len, tmp, f);
	else
		t = resolve_number(s, len, tmp, i, f);
	if (tmp != small)
		free(tmp);
	return t;
}

/* ------------------------------------------------------------ key text */

size_t ydoc_format_float32(double f, char buf[YDOC_KEY_BUF])
{
	char tmp[32], digits[16];
	float x = (float)f;
	int exp, nd = 0, prec;
	size_t n = 0;
	char *p;

	if (isnan(x))
		return (size_t)snprintf(buf, YDOC_KEY_BUF, ".nan");
	if (isinf(x))
		return (size_t)snprintf(buf, YDOC_KEY_BUF, x > 0 ? ".inf" : "-.inf");
	if (x == 0)
		return (size_t)snprintf(buf, YDOC_KEY_BUF, signbit(x) ? "-0" : "0");
	for (prec = 1; prec < 9; prec++) {	/* shortest digits that read back */
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, (double)x);
		if (strtof(tmp, NULL) == x)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, (double)x);
	p = tmp;
	if (*p == '-')
		buf[n++] = *p++;
	for (; *p != 'e'; p++)
		if (is_digit(*p))
			digits[nd++] = *p;
	exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp < -4 || exp >= 6) {	/* %e, exponent with at least two digits */
		buf[n++] = digits[0];
		if (nd > 1) {
			buf[n++] = '.';
			memcpy(buf + n, digits + 1, (size_t)nd - 1);
			n += (size_t)nd - 1;
		}
		n += (size_t)snprintf(buf + n, YDOC_KEY_BUF - n, "e%c%02d",
				      exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return n;
	}
	if (exp < 0) {			/* 0.000ddd */
		buf[n++] = '0';
		buf[n++] = '.';
		for (int k = -1; k > exp; k--)
			buf[n++] = '0';
		memcpy(buf + n, digits, (size_t)nd);
		n += (size_t)nd;
	} else {
		for (int k = 0; k < nd || k <= exp; k++) {
			if (k == exp + 1)
				buf[n++] = '.';
			buf[n++] = k < nd ? digits[k] : '0';
		}
	}
	buf[n] = '\0';
	return n;
}

size_t ydoc_key_format(const struct ynode *n, char buf[YDOC_KEY_BUF])
{
	switch (n->type) {
	case YN_NULL:
		return (size_t)snprintf(buf, YDOC_KEY_BUF, "null");
	case YN_BOOL:
		return (size_t)snprintf(buf, YDOC_KEY_BUF, n->u.b ? "true" : "false");
	case YN_INT:
		return (size_t)snprintf(buf, YDOC_KEY_BUF, "%lld", (long long)n->u.i);
	case YN_FLOAT:
		return ydoc_format_float32(n->u.f, buf);
	default:
		buf[0] = '\0';
		return 0;
	}
}
