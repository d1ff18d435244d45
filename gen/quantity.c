/*
** quantity.c: parsing and formatting of Kubernetes quantities, Spark memory
** sizes and CPU counts, for the model builder (gen/model.c).
*/
#include "quantity.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct suffix {
	const char *s;
	double mult;
};

static const struct suffix k8s_suffixes[] = {
	{ "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
	{ "Ti", 1099511627776.0 }, { "Pi", 1125899906842624.0 },
	{ "Ei", 1152921504606846976.0 },
	{ "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { "T", 1e12 }, { "P", 1e15 },
	{ "E", 1e18 }, { "m", 1e-3 }, { "", 1.0 },
};

/* Digits with at most one '.', at least one digit; returns chars used or 0. */
static size_t scan_decimal(const char *s, double *v)
{
	size_t i = 0, digits = 0;
	double x = 0, scale = 0.1;
	int dot = 0;

	for (;; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (dot) {
				x += (s[i] - '0') * scale;
				scale /= 10;
			} else {
				x = x * 10 + (s[i] - '0');
			}
			digits++;
		} else if (s[i] == '.' && !dot) {
			dot = 1;
		} else {
			break;
		}
	}
	*v = x;
	return digits ? i : 0;
}

int quantity_parse(const char *s, double *out)
{
	double v;
	size_t i = scan_decimal(s, &v);

	if (i == 0)
		return -1;
	for (size_t k = 0; k < sizeof k8s_suffixes / sizeof k8s_suffixes[0]; k++) {
		if (strcmp(s + i, k8s_suffixes[k].s) == 0) {
			*out = v * k8s_suffixes[k].mult;
			return 0;
		}
	}
	return -1;
}

/*
** Binary exponent of a Spark unit ("k"=1 ... "t"=4), accepting k, kb, KB and
** Ki forms; sets *len to the unit's length.  -1 when `u` is not a unit.
*/
static int spark_unit(const char *u, size_t *len)
{
	static const char letters[] = "kmgt";
	const char *p;

	if (u[0] == '\0' || (p = strchr(letters, tolower((unsigned char)u[0]))) == NULL)
		return -1;
	*len = 1;
	if (u[1] == 'b' || u[1] == 'B' || (u[1] == 'i' && isupper((unsigned char)u[0])))
		*len = 2;
	if (u[*len] != '\0')
		return -1;
	return (int)(p - letters) + 1;
}

int quantity_spark_mib(const char *s, uint64_t *mib)
{
	uint64_t v = 0;
	size_t i = 0, ulen;
	bool big = false;	/* more digits than a uint64_t holds */
	int exp;

	for (; isdigit((unsigned char)s[i]); i++) {
		if (v > (UINT64_MAX - 9) / 10)
			big = true;
		else
			v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0 || (!big && v == 0) || (exp = spark_unit(s + i, &ulen)) < 0)
		return -1;
	/* Spark converts the size to bytes in a Java long, and fails beyond it */
	if (big || v > (uint64_t)INT64_MAX >> (10 * exp))
		return -2;
	switch (exp) {
	case 1: v = (v + 1023) / 1024; break;	/* KiB -> MiB, rounded up */
	case 2: break;
	case 3: v *= 1024; break;
	case 4: v *= 1024 * 1024; break;
	}
	*mib = v;
	return 0;
}

int quantity_spark_conf(const char *s, char *buf, size_t n)
{
	size_t i = 0, ulen;

	while (isdigit((unsigned char)s[i]))
		i++;
	if (i == 0 || spark_unit(s + i, &ulen) < 0 || i + 2 > n)
		return -1;
	memcpy(buf, s, i);
	buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i + 1] = '\0';
	return 0;
}

void quantity_cpu_format(double cores, char *buf, size_t n)
{
	/* through whole micro-cores, so that 0.3 is not 300.00000000000006 */
	long long milli = (llround(cores * 1e6) + 999) / 1000;

	if (milli % 1000 == 0)
		snprintf(buf, n, "%lld", milli / 1000);
	else
		snprintf(buf, n, "%lldm", milli);
}
