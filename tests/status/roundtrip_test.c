/* The contract both ways: what common's event_format writes, pxe-status's
 * record_parse reads back byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "record.h"

static void roundtrip(const char *const *kv, size_t n_kv)
{
	char line[EVENT_MAX_LINE];
	struct record rec;
	size_t len = event_format(line, sizeof line, "tftpd", "fail", kv, n_kv);
	assert_true(record_parse(&rec, line, len));
	assert_string_equal(rec.daemon, "tftpd");
	assert_string_equal(rec.name, "fail");
	assert_int_equal(rec.n_kv, n_kv / 2);
	for (size_t i = 0; i < n_kv / 2; i++) {
		assert_string_equal(rec.kv[i].key, kv[2 * i]);
		assert_string_equal(rec.kv[i].value, kv[2 * i + 1]);
	}
}

static void test_plain_values(void **state)
{
	const char *kv[] = { "client", "198.18.0.2:2070", "file", "pxelinux.0", "bytes", "42406" };
	roundtrip(kv, 6);
}

static void test_values_that_need_quoting(void **state)
{
	const char *kv[] = {
		"reason", "file not found",
		"file", "a\"b\\c=d",
		"empty", "",
		"bytes", "\x01\x1b[2J\x7f\x80\xff",
		"tab", "a\tb\nc",
		"v6", "[fd00::2]:2070",
	};
	roundtrip(kv, sizeof kv / sizeof kv[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_values),
		cmocka_unit_test(test_values_that_need_quoting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
