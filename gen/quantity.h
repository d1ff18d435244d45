/*
** quantity.h: the few size and CPU quantities sparkgen computes with:
** Kubernetes quantities (10Gi, 1T, 500M, 0.5), Spark/JVM memory strings
** (512m, 2g; also 2Gi) and CPU counts.  Syntax is checked by the schema; these
** functions still reject what they cannot read.
*/
#ifndef SK_QUANTITY_H
#define SK_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

/*
** Parse a non-negative Kubernetes quantity without sign or exponent
** ("10Gi", "1.5T", "500M", "100m", "2") into *out (base units: bytes or
** cores).  Returns 0, or -1 when malformed.
*/
int quantity_parse(const char *s, double *out);

/*
** Parse a Spark memory size with a unit ("512m", "2g", "2gb", "2Gi"; the
** units k/m/g/t are binary, as in Spark) into MiB, rounded up (it sizes a
** memory limit).  Returns 0, -1 when malformed or zero, or -2 when larger
** than Spark takes: its bytes must fit a Java long (8 EiB).
*/
int quantity_spark_mib(const char *s, uint64_t *mib);

/*
** The Spark conf form of a memory size: digits and one lower-case unit
** letter ("2Gi" -> "2g", "512MB" -> "512m").  Writes at most `n` bytes to
** `buf`; returns 0, or -1 when malformed or it does not fit.
*/
int quantity_spark_conf(const char *s, char *buf, size_t n);

/*
** A CPU count as a Kubernetes quantity: whole numbers as digits ("2"), else
** millicores ("500m", "300m").  Rounds up to a whole millicore, as the API
** server does: 0.0001 is "1m", never "0".
*/
void quantity_cpu_format(double cores, char *buf, size_t n);

#endif
