/* in.tftpd command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sys/socket.h>

#include "args.h"
#include "negotiate.h"

static int parse(struct tftpd_conf *c, char *err, const char *const *argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return tftpd_parse_args(argc, (char **)argv, c, err, 256);
}

static void test_centos_units(void **state)
{
	static const char *const argv[] = { "in.tftpd", "-s", "/var/lib/tftpboot", NULL };
	struct tftpd_conf c;
	char err[256];

	assert_int_equal(parse(&c, err, argv), 0);
	assert_true(c.secure);
	assert_false(c.listen);
	assert_string_equal(c.user, "nobody");
	assert_int_equal(c.idle_secs, 900);
	assert_int_equal(c.retransmit_us, 1000000);
	assert_string_equal(c.host, "");
	assert_int_equal(c.port, 69);
	assert_int_equal(c.n_dirs, 1);
	assert_string_equal(c.dirs[0], "/var/lib/tftpboot");
}

static void test_every_flag(void **state)
{
	static const char *const argv[] = {
		"in.tftpd", "-L", "-a", "198.18.0.1:6969", "-4", "-c", "-u", "tftp", "-U", "022",
		"-p", "-P", "/run/t.pid", "-t", "30", "-T", "200000", "-m", "/etc/remap",
		"-r", "blksize", "--refuse", "tsize", "-B", "1468", "-R", "4000:4100", "-vv",
		"--verbosity", "4", "/a", "/b", NULL
	};
	struct tftpd_conf c;
	char err[256];

	assert_int_equal(parse(&c, err, argv), 0);
	assert_true(c.listen && c.foreground && c.create && c.permissive);
	assert_string_equal(c.host, "198.18.0.1");
	assert_int_equal(c.port, 6969);
	assert_int_equal(c.family, AF_INET);
	assert_string_equal(c.user, "tftp");
	assert_int_equal(c.umask, 022);
	assert_string_equal(c.pidfile, "/run/t.pid");
	assert_int_equal(c.idle_secs, 30);
	assert_int_equal(c.retransmit_us, 200000);
	assert_string_equal(c.remap_file, "/etc/remap");
	assert_int_equal(c.refused, (1u << TFTP_OPT_BLKSIZE) | (1u << TFTP_OPT_TSIZE));
	assert_int_equal(c.max_blksize, 1468);
	assert_int_equal(c.port_lo, 4000);
	assert_int_equal(c.port_hi, 4100);
	assert_int_equal(c.verbosity, 4);
	assert_int_equal(c.n_dirs, 2);
}

static void test_errors(void **state)
{
	static const char *const unknown[] = { "in.tftpd", "-Z", "/d", NULL };
	static const char *const badblk[] = { "in.tftpd", "-B", "70000", "/d", NULL };
	static const char *const badrange[] = { "in.tftpd", "-R", "5:4", "/d", NULL };
	static const char *const badumask[] = { "in.tftpd", "-U", "999", "/d", NULL };
	static const char *const badrefuse[] = { "in.tftpd", "-r", "bogus", "/d", NULL };
	static const char *const nodir[] = { "in.tftpd", "-l", NULL };
	static const char *const secure2[] = { "in.tftpd", "-s", "/a", "/b", NULL };
	static const char *const noval[] = { "in.tftpd", "/d", "-u", NULL };
	struct tftpd_conf c;
	char err[256];

	assert_int_equal(parse(&c, err, unknown), -1);
	assert_non_null(strstr(err, "-Z"));
	assert_int_equal(parse(&c, err, badblk), -1);
	assert_string_equal(err, "--blocksize: bad value \"70000\" (expected 512..65464)");
	assert_int_equal(parse(&c, err, badrange), -1);
	assert_int_equal(parse(&c, err, badumask), -1);
	assert_non_null(strstr(err, "octal"));
	assert_int_equal(parse(&c, err, badrefuse), -1);
	assert_int_equal(parse(&c, err, nodir), -1);
	assert_int_equal(parse(&c, err, secure2), -1);
	assert_int_equal(parse(&c, err, noval), -1);
}

/* -a as in.tftpd takes it; a bad one is a usage error before any socket. */
static void test_address(void **state)
{
	static const struct {
		const char *arg, *host;
		int port;
	} cases[] = {
		{ "198.18.0.1", "198.18.0.1", 69 },   { ":6969", "", 6969 },
		{ "[::1]:70", "::1", 70 },            { "fe80::1", "fe80::1", 69 },
		{ "[::]", "::", 69 },                 { "host.example:tftp", "host.example", 69 },
		{ "127.0.0.1:99999", NULL, 0 },       { "127.0.0.1:", NULL, 0 },
		{ "127.0.0.1:x", NULL, 0 },           { "[::1", NULL, 0 },
		{ "[::1]x", NULL, 0 },            { "127.0.0.1:0", NULL, 0 },
		{ "[::1]:0", NULL, 0 },
	};
	struct tftpd_conf c;
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[] = { "in.tftpd", "-L", "-a", cases[i].arg, "/d", NULL };
		if (!cases[i].host) {
			assert_int_equal(parse(&c, err, argv), -1);
			assert_non_null(strstr(err, "--address: bad value"));
			continue;
		}
		assert_int_equal(parse(&c, err, argv), 0);
		assert_string_equal(c.host, cases[i].host);
		assert_int_equal(c.port, cases[i].port);
	}
}

static void test_version_needs_no_dir(void **state)
{
	static const char *const argv[] = { "in.tftpd", "-V", NULL };
	struct tftpd_conf c;
	char err[256];

	assert_int_equal(parse(&c, err, argv), 0);
	assert_true(c.version);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_centos_units),
		cmocka_unit_test(test_every_flag),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_version_needs_no_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
