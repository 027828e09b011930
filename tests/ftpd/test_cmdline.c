/* Command-line splitting: Telnet IAC, pipelining, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmdline.h"

/* Feeds text and returns the lines as "VERB|arg;" joined. */
static void run(const void *data, size_t len, char *out, size_t size)
{
	struct cmd_reader r;
	struct cmd_line line;
	const unsigned char *p = data;
	cmd_reader_init(&r);
	out[0] = '\0';
	while (len > 0) {
		size_t used;
		enum cmd_result res = cmd_next(&r, p, len, &used, &line);
		p += used;
		len -= used;
		if (res == CMD_LINE)
			snprintf(out + strlen(out), size - strlen(out), "%s%s|%s;",
				 line.bad_verb ? "!" : "", line.verb, line.arg);
		else if (res == CMD_TOO_LONG)
			snprintf(out + strlen(out), size - strlen(out), "LONG;");
	}
}

static void test_pipelined_lines_in_order(void **state)
{
	char out[256];
	const char in[] = "user anonymous\r\nPASS x@y\r\nTYPE I\nretr pub/a b\r\npart";
	run(in, sizeof in - 1, out, sizeof out);
	assert_string_equal(out, "USER|anonymous;PASS|x@y;TYPE|I;RETR|pub/a b;");
}

static void test_telnet_iac_stripped(void **state)
{
	char out[256];
	/* IAC IP, IAC DM (Synch) before ABOR; IAC WILL x; IAC IAC is 0xff */
	const unsigned char in[] = { 0xff, 0xf4, 0xff, 0xf2, 'A', 'B', 'O', 'R', '\r', '\n',
				     'C', 'W', 'D', ' ', 'a', 0xff, 0xfb, 0x01, 'b', 0xff, 0xff,
				     '\r', '\n' };
	run(in, sizeof in, out, sizeof out);
	assert_string_equal(out, "ABOR|;CWD|ab\xff;");
}

static void test_overlong_line_dropped(void **state)
{
	char in[FTPD_LINE_MAX * 3], out[256];
	memset(in, 'A', sizeof in);
	memcpy(in + sizeof in - 12, "\r\nNOOP\r\n", 8);
	run(in, sizeof in - 4, out, sizeof out);
	assert_string_equal(out, "LONG;NOOP|;");
}

static void test_bad_verbs(void **state)
{
	char out[256];
	const char in[] = "R3TR x\r\nVERYLONGVERB\r\n\r\n";
	run(in, sizeof in - 1, out, sizeof out);
	assert_string_equal(out, "!R3TR|x;!|;|;");
}

static void test_byte_at_a_time(void **state)
{
	struct cmd_reader r;
	struct cmd_line line;
	const char in[] = "SIZE big.iso\r\n";
	size_t used;
	cmd_reader_init(&r);
	for (size_t i = 0; i + 1 < sizeof in - 1; i++)
		assert_int_equal(cmd_next(&r, (const unsigned char *)in + i, 1, &used, &line),
				 CMD_MORE);
	assert_int_equal(cmd_next(&r, (const unsigned char *)"\n", 1, &used, &line), CMD_LINE);
	assert_string_equal(line.verb, "SIZE");
	assert_string_equal(line.arg, "big.iso");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipelined_lines_in_order),
		cmocka_unit_test(test_telnet_iac_stripped),
		cmocka_unit_test(test_overlong_line_dropped),
		cmocka_unit_test(test_bad_verbs),
		cmocka_unit_test(test_byte_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
