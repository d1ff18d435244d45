/*
** test_gen_quantity.c: Kubernetes quantities, Spark memory sizes and CPU
** formatting (gen/quantity.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "quantity.h"

static void test_gen_quantity_parse_suffixes(void **state)
{
	double v;

	(void)state;
	assert_int_equal(quantity_parse("10Gi", &v), 0);
	assert_true(v == 10.0 * 1073741824.0);
	assert_int_equal(quantity_parse("1.5T", &v), 0);
	assert_true(v == 1.5e12);
	assert_int_equal(quantity_parse("500M", &v), 0);
	assert_true(v == 5e8);
	assert_int_equal(quantity_parse("100m", &v), 0);
	assert_true(v > 0.0999 && v < 0.1001);
	assert_int_equal(quantity_parse("2", &v), 0);
	assert_true(v == 2.0);
	assert_int_equal(quantity_parse(".5Ki", &v), 0);
	assert_true(v == 512.0);
}

static void test_gen_quantity_parse_rejects_malformed(void **state)
{
	double v;

	(void)state;
	assert_int_equal(quantity_parse("-1Gi", &v), -1);
	assert_int_equal(quantity_parse("1e3", &v), -1);
	assert_int_equal(quantity_parse("Gi", &v), -1);
	assert_int_equal(quantity_parse("10GB", &v), -1);
	assert_int_equal(quantity_parse("1.2.3", &v), -1);
	assert_int_equal(quantity_parse("", &v), -1);
}

static void test_gen_quantity_spark_mib(void **state)
{
	uint64_t m;

	(void)state;
	assert_int_equal(quantity_spark_mib("2g", &m), 0);
	assert_int_equal(m, 2048);
	assert_int_equal(quantity_spark_mib("512m", &m), 0);
	assert_int_equal(m, 512);
	assert_int_equal(quantity_spark_mib("2Gi", &m), 0);
	assert_int_equal(m, 2048);
	assert_int_equal(quantity_spark_mib("2GB", &m), 0);
	assert_int_equal(m, 2048);
	assert_int_equal(quantity_spark_mib("1536k", &m), 0);
	assert_int_equal(m, 2);		/* a limit: rounded up */
	assert_int_equal(quantity_spark_mib("2048k", &m), 0);
	assert_int_equal(m, 2);
	assert_int_equal(quantity_spark_mib("1k", &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(quantity_spark_mib("1t", &m), 0);
	assert_int_equal(m, 1048576);
}

static void test_gen_quantity_spark_mib_rejects(void **state)
{
	uint64_t m;

	(void)state;
	assert_int_equal(quantity_spark_mib("0g", &m), -1);
	assert_int_equal(quantity_spark_mib("2", &m), -1);
	assert_int_equal(quantity_spark_mib("2x", &m), -1);
	assert_int_equal(quantity_spark_mib("-2g", &m), -1);
	assert_int_equal(quantity_spark_mib("2gi", &m), -1);
	assert_int_equal(quantity_spark_mib("99999999999999999999x", &m), -1);
	/* more bytes than Spark's Java long holds */
	assert_int_equal(quantity_spark_mib("99999999999999999999g", &m), -2);
	assert_int_equal(quantity_spark_mib("9000000000000000g", &m), -2);
	assert_int_equal(quantity_spark_mib("8796093022208m", &m), -2);
	assert_int_equal(quantity_spark_mib("9007199254740992k", &m), -2);
	assert_int_equal(quantity_spark_mib("8388608t", &m), -2);
	assert_int_equal(quantity_spark_mib("8796093022207m", &m), 0);
	assert_int_equal(m, 8796093022207);
	assert_int_equal(quantity_spark_mib("8388607t", &m), 0);
	assert_int_equal(m, 8388607ull << 20);
}

static void test_gen_quantity_spark_conf_normalises(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(quantity_spark_conf("2Gi", buf, sizeof buf), 0);
	assert_string_equal(buf, "2g");
	assert_int_equal(quantity_spark_conf("512MB", buf, sizeof buf), 0);
	assert_string_equal(buf, "512m");
	assert_int_equal(quantity_spark_conf("4g", buf, sizeof buf), 0);
	assert_string_equal(buf, "4g");
	assert_int_equal(quantity_spark_conf("123456789g", buf, 4), -1);
}

static void test_gen_quantity_cpu_format(void **state)
{
	static const struct { double cores; const char *want; } cases[] = {
		{ 0.3, "300m" }, { 1, "1" }, { 1.5, "1500m" }, { 16, "16" },
		{ 0.0001, "1m" },	/* up to 1m, as Kubernetes does */
		{ 0.0015, "2m" }, { 0.999, "999m" }, { 0.9999, "1" }, { 2.3, "2300m" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		quantity_cpu_format(cases[i].cores, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_quantity_parse_suffixes),
		cmocka_unit_test(test_gen_quantity_parse_rejects_malformed),
		cmocka_unit_test(test_gen_quantity_spark_mib),
		cmocka_unit_test(test_gen_quantity_spark_mib_rejects),
		cmocka_unit_test(test_gen_quantity_spark_conf_normalises),
		cmocka_unit_test(test_gen_quantity_cpu_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
