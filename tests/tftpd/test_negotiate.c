/* Option negotiation: only what was asked, within the server's limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "negotiate.h"

static const struct tftp_policy defaults = { 0, TFTP_BLKSIZE_MAX, 0, 1000000 };

static bool negotiate(const struct tftp_policy *pol, enum tftp_opcode op, const char *const *kv,
		      size_t n, uint64_t size, struct tftp_params *out)
{
	struct tftp_request req = { .op = op };

	for (size_t i = 0; i < n; i++)
		req.opts[req.n_opts++] = (struct tftp_opt){ kv[2 * i], kv[2 * i + 1] };
	bool valid = tftp_negotiate(&req, pol, size, out);
	assert_int_equal(tftp_options_valid(&req, pol), valid);
	return valid;
}

static void assert_oack(const struct tftp_params *p, size_t i, const char *name, const char *value)
{
	assert_true(i < p->n_oack);
	assert_string_equal(p->oack[i].name, name);
	assert_string_equal(p->oack[i].value, value);
}

static void test_no_options_no_oack(void **state)
{
	struct tftp_params p;

	negotiate(&defaults, TFTP_RRQ, NULL, 0, 100, &p);
	assert_int_equal(p.n_oack, 0);
	assert_int_equal(p.blksize, 512);
	assert_int_equal(p.windowsize, 1);
	assert_int_equal(p.timeout_us, 1000000);
}

static void test_ovmf_request(void **state)
{
	static const char *const kv[] = { "tsize", "0", "blksize", "1468", "windowsize", "4" };
	struct tftp_params p;

	negotiate(&defaults, TFTP_RRQ, kv, 3, 123456, &p);
	assert_int_equal(p.n_oack, 3);
	assert_oack(&p, 0, "tsize", "123456");
	assert_oack(&p, 1, "blksize", "1468");
	assert_oack(&p, 2, "windowsize", "4");
	assert_int_equal(p.blksize, 1468);
	assert_int_equal(p.windowsize, 4);
}

static void test_unknown_and_bad_values_left_out(void **state)
{
	static const char *const kv[] = { "multicast", "", "blksize", "x7", "timeout", "",
					  "windowsize", "0", "BlkSize", "1024", "tsize", "-1" };
	struct tftp_params p;

	assert_true(negotiate(&defaults, TFTP_RRQ, kv, 6, 1, &p));
	/* the blksize that is not a number is skipped, as by in.tftpd */
	assert_int_equal(p.n_oack, 1);
	assert_oack(&p, 0, "BlkSize", "1024");
	assert_int_equal(p.blksize, 1024);
}

/* in.tftpd takes an option's last value (and refuses the request when
 * any copy is out of range); it is acknowledged once, with that value. */
static void test_repeated_option_last_wins(void **state)
{
	static const char *const kv[] = { "blksize", "1024", "tsize", "0", "BLKSIZE", "2048",
					  "windowsize", "8", "windowsize", "0" };
	static const char *const bad_later[] = { "blksize", "1024", "blksize", "4" };
	struct tftp_params p;

	assert_true(negotiate(&defaults, TFTP_RRQ, kv, 5, 3000, &p));
	assert_int_equal(p.n_oack, 3);
	assert_oack(&p, 0, "BLKSIZE", "2048");
	assert_oack(&p, 1, "tsize", "3000");
	assert_oack(&p, 2, "windowsize", "8");   /* 0 is left out: 8 stands */
	assert_int_equal(p.blksize, 2048);
	assert_int_equal(p.windowsize, 8);
	assert_false(negotiate(&defaults, TFTP_RRQ, bad_later, 2, 1, &p));
}

/* tftp-hpa's blksize2: a power of two, sharing blksize's OACK entry */
static void test_blksize2(void **state)
{
	static const char *const odd[] = { "blksize2", "1000" };
	static const char *const huge[] = { "blksize2", "65464" };
	static const char *const both[] = { "blksize", "1468", "blksize2", "1468" };
	static const char *const tiny[] = { "blksize2", "7" };
	struct tftp_policy pol = defaults;
	struct tftp_params p;

	negotiate(&pol, TFTP_RRQ, odd, 1, 1, &p);
	assert_oack(&p, 0, "blksize2", "512");
	assert_int_equal(p.blksize, 512);
	negotiate(&pol, TFTP_RRQ, huge, 1, 1, &p);
	assert_oack(&p, 0, "blksize2", "32768");
	negotiate(&pol, TFTP_RRQ, both, 2, 1, &p);
	assert_int_equal(p.n_oack, 1);
	assert_oack(&p, 0, "blksize2", "1024");
	assert_int_equal(p.blksize, 1024);
	pol.mtu_blksize = 1468;
	negotiate(&pol, TFTP_RRQ, huge, 1, 1, &p);
	assert_oack(&p, 0, "blksize2", "1024");
	assert_false(negotiate(&defaults, TFTP_RRQ, tiny, 1, 1, &p));
	pol.refused = 1u << TFTP_OPT_BLKSIZE2;
	negotiate(&pol, TFTP_RRQ, odd, 1, 1, &p);
	assert_int_equal(p.n_oack, 0);
}

/* blocks wrap to 0 here: rollover=0 is acknowledged, 1 left out */
static void test_rollover(void **state)
{
	static const char *const zero[] = { "rollover", "0" };
	static const char *const one[] = { "rollover", "1" };
	static const char *const big[] = { "rollover", "65536" };
	struct tftp_params p;

	negotiate(&defaults, TFTP_RRQ, zero, 1, 1, &p);
	assert_oack(&p, 0, "rollover", "0");
	negotiate(&defaults, TFTP_RRQ, one, 1, 1, &p);
	assert_int_equal(p.n_oack, 0);
	assert_false(negotiate(&defaults, TFTP_RRQ, big, 1, 1, &p));
}

/* in.tftpd refuses these with error 8; a refused (-r) option is ignored */
static void test_out_of_range_invalid(void **state)
{
	static const char *const bad[][2] = { { "blksize", "7" }, { "blksize", "0" },
					      { "timeout", "0" }, { "timeout", "256" },
					      { "utimeout", "9999" }, { "UTIMEOUT", "255000001" } };
	struct tftp_policy pol = defaults;
	struct tftp_params p;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(negotiate(&defaults, TFTP_RRQ, bad[i], 1, 1, &p));
	pol.refused = 1u << TFTP_OPT_BLKSIZE;
	assert_true(negotiate(&pol, TFTP_RRQ, bad[0], 1, 1, &p));
}

static void test_client_spelling_echoed(void **state)
{
	static const char *const kv[] = { "BLKSIZE", "1432", "TSize", "0" };
	struct tftp_params p;

	negotiate(&defaults, TFTP_RRQ, kv, 2, 9, &p);
	assert_oack(&p, 0, "BLKSIZE", "1432");
	assert_oack(&p, 1, "TSize", "9");
}

static void test_blksize_caps(void **state)
{
	static const char *const big[] = { "blksize", "65464" };
	static const char *const huge[] = { "blksize", "99999" };
	static const char *const tiny[] = { "blksize", "8" };
	struct tftp_policy pol = defaults;
	struct tftp_params p;

	negotiate(&pol, TFTP_RRQ, huge, 1, 1, &p);
	assert_oack(&p, 0, "blksize", "65464");
	negotiate(&pol, TFTP_RRQ, tiny, 1, 1, &p);
	assert_oack(&p, 0, "blksize", "8");
	pol.max_blksize = 1024;
	negotiate(&pol, TFTP_RRQ, big, 1, 1, &p);
	assert_oack(&p, 0, "blksize", "1024");
	pol.max_blksize = TFTP_BLKSIZE_MAX;
	pol.mtu_blksize = 1468;
	negotiate(&pol, TFTP_RRQ, big, 1, 1, &p);
	assert_oack(&p, 0, "blksize", "1468");
	assert_int_equal(p.blksize, 1468);
}

static void test_refused(void **state)
{
	static const char *const kv[] = { "tsize", "0", "blksize", "1408" };
	struct tftp_policy pol = defaults;
	struct tftp_params p;

	pol.refused = 1u << TFTP_OPT_BLKSIZE;
	negotiate(&pol, TFTP_RRQ, kv, 2, 77, &p);
	assert_int_equal(p.n_oack, 1);
	assert_oack(&p, 0, "tsize", "77");
	assert_int_equal(p.blksize, 512);
}

static void test_timeouts_and_window(void **state)
{
	static const char *const kv[] = { "timeout", "3", "windowsize", "1000" };
	static const char *const ukv[] = { "utimeout", "50000" };
	struct tftp_params p;

	negotiate(&defaults, TFTP_RRQ, kv, 2, 0, &p);
	assert_oack(&p, 0, "timeout", "3");
	assert_oack(&p, 1, "windowsize", "64");
	assert_int_equal(p.timeout_us, 3000000);
	negotiate(&defaults, TFTP_RRQ, ukv, 1, 0, &p);
	assert_oack(&p, 0, "utimeout", "50000");
	assert_int_equal(p.timeout_us, 50000);
}

static void test_wrq_tsize_echoed(void **state)
{
	static const char *const kv[] = { "tsize", "4096" };
	struct tftp_params p;

	negotiate(&defaults, TFTP_WRQ, kv, 1, 0, &p);
	assert_oack(&p, 0, "tsize", "4096");
	assert_int_equal(p.tsize, 4096);
}

/* in.tftpd's rule: no tsize for a netascii read (its converted size is
 * not known up front); a netascii write still has it echoed. */
static void test_netascii_rrq_no_tsize(void **state)
{
	struct tftp_request req = { .op = TFTP_RRQ, .mode = TFTP_MODE_NETASCII, .n_opts = 2,
				    .opts = { { "tsize", "0" }, { "blksize", "1024" } } };
	struct tftp_params p;

	tftp_negotiate(&req, &defaults, 5000, &p);
	assert_int_equal(p.n_oack, 1);
	assert_oack(&p, 0, "blksize", "1024");
	assert_false(p.has_tsize);
	req.op = TFTP_WRQ;
	req.opts[0].value = "700";
	tftp_negotiate(&req, &defaults, 0, &p);
	assert_oack(&p, 0, "tsize", "700");
}

static void test_lookup_and_log_string(void **state)
{
	struct tftp_request req = { .op = TFTP_RRQ, .n_opts = 2,
				    .opts = { { "tsize", "0" }, { "blksize", "1468" } } };
	char buf[64];

	assert_int_equal(tftp_optid_lookup("WindowSize"), TFTP_OPT_WINDOWSIZE);
	assert_int_equal(tftp_optid_lookup("Rollover"), TFTP_OPT_ROLLOVER);
	assert_int_equal(tftp_optid_lookup("blksize2"), TFTP_OPT_BLKSIZE2);
	assert_int_equal(tftp_optid_lookup("multicast"), -1);
	tftp_options_str(&req, buf, sizeof buf);
	assert_string_equal(buf, "tsize=0,blksize=1468");
	tftp_options_str(&req, buf, 8);
	assert_string_equal(buf, "tsize=0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_options_no_oack),
		cmocka_unit_test(test_ovmf_request),
		cmocka_unit_test(test_unknown_and_bad_values_left_out),
		cmocka_unit_test(test_repeated_option_last_wins),
		cmocka_unit_test(test_blksize2),
		cmocka_unit_test(test_rollover),
		cmocka_unit_test(test_out_of_range_invalid),
		cmocka_unit_test(test_client_spelling_echoed),
		cmocka_unit_test(test_blksize_caps),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_timeouts_and_window),
		cmocka_unit_test(test_wrq_tsize_echoed),
		cmocka_unit_test(test_netascii_rrq_no_tsize),
		cmocka_unit_test(test_lookup_and_log_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
