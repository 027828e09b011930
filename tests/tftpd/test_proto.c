/* Request/reply codec of tftpd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

#define PKT(s) (const uint8_t *)(s), sizeof(s) - 1

static void test_rrq_with_options(void **state)
{
	struct tftp_request req;

	assert_int_equal(tftp_parse_request(PKT("\0\1pxelinux.0\0octet\0tsize\0" "0\0blksize\0" "1408\0"),
					    &req), TFTP_PARSE_OK);
	assert_int_equal(req.op, TFTP_RRQ);
	assert_int_equal(req.mode, TFTP_MODE_OCTET);
	assert_string_equal(req.filename, "pxelinux.0");
	assert_int_equal(req.n_opts, 2);
	assert_string_equal(req.opts[0].name, "tsize");
	assert_string_equal(req.opts[1].value, "1408");
}

static void test_padding_tolerated(void **state)
{
	struct tftp_request req;

	/* NUL padding after the options, 0xFF after the name */
	assert_int_equal(tftp_parse_request(PKT("\0\1a.bin\xff\xff\0NetASCII\0tsize\0" "0\0\0\0\0"),
					    &req), TFTP_PARSE_OK);
	assert_string_equal(req.filename, "a.bin");
	assert_int_equal(req.filename_len, 5);
	assert_int_equal(req.mode, TFTP_MODE_NETASCII);
	assert_int_equal(req.n_opts, 1);
	/* an unterminated 0xFF tail is an option name without a value */
	assert_int_equal(tftp_parse_request(PKT("\0\1a\0octet\0\xff\xff"), &req), TFTP_PARSE_OK);
	assert_int_equal(req.n_opts, 0);
}

/* The packet's end ends its last string, as for a fresh in.tftpd 5.2
 * (which reads the byte after the packet in its buffer). */
static void test_unterminated_last_string(void **state)
{
	struct tftp_request req;

	assert_int_equal(tftp_parse_request(PKT("\0\1a\0octet\0blksize\0" "14"), &req), TFTP_PARSE_OK);
	assert_int_equal(req.n_opts, 1);
	assert_string_equal(req.opts[0].name, "blksize");
	assert_string_equal(req.opts[0].value, "14");
	assert_int_equal(tftp_parse_request(PKT("\0\1a\0octet\0tsize"), &req), TFTP_PARSE_OK);
	assert_int_equal(req.n_opts, 0);
	assert_int_equal(tftp_parse_request(PKT("\0\1name\0NetAscii"), &req), TFTP_PARSE_OK);
	assert_int_equal(req.mode, TFTP_MODE_NETASCII);
	assert_int_equal(tftp_parse_request(PKT("\0\1name"), &req), TFTP_PARSE_NOMODE);
	assert_string_equal(req.filename, "name");
}

static void test_bad_requests(void **state)
{
	struct tftp_request req;

	assert_int_equal(tftp_parse_request(PKT("\0"), &req), TFTP_PARSE_SHORT);
	assert_int_equal(tftp_parse_request(PKT("\0\4\0\1"), &req), TFTP_PARSE_BADOP);
	assert_int_equal(tftp_parse_request(PKT("\0\1name\0oct\0\0"), &req), TFTP_PARSE_BADMODE);
	assert_int_equal(tftp_parse_request(PKT("\0\2name\0mail\0"), &req), TFTP_PARSE_BADMODE);
	assert_string_equal(req.filename, "name");   /* for the log line of the refusal */
}

/* As in.tftpd answers them: a request without a mode (or with an empty
 * name, where its parser stops) is "Missing mode". */
static void test_refusals(void **state)
{
	struct tftp_request req;

	assert_int_equal(tftp_parse_request(PKT("\0\1name\0"), &req), TFTP_PARSE_NOMODE);
	assert_string_equal(req.filename, "name");
	assert_int_equal(tftp_parse_request(PKT("\0\1\0octet\0"), &req), TFTP_PARSE_NOMODE);
	assert_int_equal(tftp_parse_request(PKT("\0\1name\0\0"), &req), TFTP_PARSE_NOMODE);
	assert_int_equal(tftp_parse_request(PKT("\0\1"), &req), TFTP_PARSE_NOMODE);
	assert_int_equal(tftp_parse_refusal_code(TFTP_PARSE_NOMODE), TFTP_EBADOP);
	assert_string_equal(tftp_parse_status_str(TFTP_PARSE_NOMODE), "Missing mode");
	assert_int_equal(tftp_parse_refusal_code(TFTP_PARSE_BADMODE), TFTP_EBADOP);
	assert_string_equal(tftp_parse_status_str(TFTP_PARSE_BADMODE), "Unknown mode");
	assert_int_equal(tftp_parse_refusal_code(TFTP_PARSE_LONGNAME), TFTP_EUNDEF);
	assert_string_equal(tftp_parse_status_str(TFTP_PARSE_LONGNAME), "File name too long");
}

static void test_long_name(void **state)
{
	uint8_t pkt[TFTP_NAME_MAX + 32];
	struct tftp_request req;

	memset(pkt, 'a', sizeof pkt);
	pkt[0] = 0;
	pkt[1] = 1;
	memcpy(pkt + 2 + TFTP_NAME_MAX + 1, "\0octet", 7);
	assert_int_equal(tftp_parse_request(pkt, 2 + TFTP_NAME_MAX + 8, &req), TFTP_PARSE_LONGNAME);
}

static void test_too_many_options_dropped(void **state)
{
	uint8_t pkt[1024];
	size_t len = 0;
	struct tftp_request req;

	memcpy(pkt, "\0\1f\0octet\0", 10);
	len = 10;
	for (int i = 0; i < TFTP_OPTS_MAX + 4; i++) {
		memcpy(pkt + len, "x\0" "1\0", 4);
		len += 4;
	}
	assert_int_equal(tftp_parse_request(pkt, len, &req), TFTP_PARSE_OK);
	assert_int_equal(req.n_opts, TFTP_OPTS_MAX);
}

static void test_replies(void **state)
{
	struct tftp_reply rep;

	assert_true(tftp_parse_reply(PKT("\0\4\1\2"), &rep));
	assert_int_equal(rep.op, TFTP_ACK);
	assert_int_equal(rep.block, 0x102);
	assert_true(tftp_parse_reply(PKT("\0\5\0\10no\0"), &rep));
	assert_int_equal(rep.errcode, 8);
	assert_int_equal(rep.data_len, 2);
	assert_false(tftp_parse_reply(PKT("\0\4\1"), &rep));
	assert_false(tftp_parse_reply(PKT("\0\1\0\0"), &rep));
}

static void test_builders(void **state)
{
	uint8_t buf[64];
	struct tftp_opt opts[] = { { "tsize", "42" }, { "BLKSIZE", "1468" } };

	assert_int_equal(tftp_build_data_hdr(buf, sizeof buf, 0xfffe), 4);
	assert_memory_equal(buf, "\0\3\xff\xfe", 4);
	assert_int_equal(tftp_build_ack(buf, sizeof buf, 7), 4);
	assert_memory_equal(buf, "\0\4\0\7", 4);
	assert_int_equal(tftp_build_error(buf, sizeof buf, TFTP_ENOTFOUND, "File not found"), 19);
	assert_memory_equal(buf, "\0\5\0\1File not found\0", 19);
	assert_int_equal(tftp_build_oack(buf, sizeof buf, opts, 2), 2 + 9 + 13);
	assert_memory_equal(buf, "\0\6tsize\0" "42\0BLKSIZE\0" "1468\0", 24);
	assert_int_equal(tftp_build_oack(buf, 10, opts, 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rrq_with_options),
		cmocka_unit_test(test_padding_tolerated),
		cmocka_unit_test(test_unterminated_last_string),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_too_many_options_dropped),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_builders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
