/* tftp-hpa remap rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>

#include "remap.h"

static struct remap_client client;

static int setup(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	inet_pton(AF_INET, "198.18.0.2", &sin.sin_addr);
	remap_client_set(&client, (struct sockaddr *)&sin);
	return 0;
}

/* Applies rules to name; returns the result text (static). */
static const char *map(const char *rules, const char *name, bool put, enum remap_result want)
{
	static char out[REMAP_OUT_MAX];
	char err[128];
	struct remap *rm = remap_parse(rules, err, sizeof err);

	assert_non_null(rm);
	assert_int_equal(remap_apply(rm, name, put, &client, out, sizeof out), want);
	remap_free(rm);
	return out;
}

static void test_client_strings(void **state)
{
	assert_string_equal(client.ip, "198.18.0.2");
	assert_string_equal(client.hex, "C6120002");
}

static void test_windows_paths(void **state)
{
	static const char rules[] = "# Windows clients\n"
				    "rg \\\\ /\n"
				    "r ^[a-zA-Z]:  \n"     /* missing replacement is an error: below */
				    ;
	char err[128];

	assert_null(remap_parse(rules, err, sizeof err));
	assert_string_equal(err, "line 3: rewrite rule without a replacement");
	assert_string_equal(map("rg \\\\ /\nr ^[a-zA-Z]:/? \\i/\n", "C:\\Boot\\pxeboot.n12", false,
				REMAP_OK),
			    "198.18.0.2/Boot/pxeboot.n12");
}

static void test_submatches_and_hex(void **state)
{
	assert_string_equal(map("r ^pxelinux\\.cfg/(.*)$ cfg/\\x/\\1", "pxelinux.cfg/default",
				false, REMAP_OK),
			    "cfg/C6120002/default");
	assert_string_equal(map("r (a)(b)? [\\0|\\1|\\2]", "xax", false, REMAP_OK), "x[a|a|]x");
}

static void test_flags(void **state)
{
	/* i: ignore case; e: stop after; later rules not applied */
	assert_string_equal(map("ri ^BOOT boot\ne ^boot\nr boot XX\n", "BOOT/x", false, REMAP_OK),
			    "boot/x");
	/* a: abort */
	map("a \\.\\./\n", "../etc/passwd", false, REMAP_ABORT);
	/* G and P: only for that direction */
	assert_string_equal(map("rG ^ get/\nrP ^ put/\n", "f", true, REMAP_OK), "put/f");
	assert_string_equal(map("rG ^ get/\nrP ^ put/\n", "f", false, REMAP_OK), "get/f");
	/* ~: inverse match */
	map("~a ^pxe\n", "other", false, REMAP_ABORT);
	assert_string_equal(map("~a ^pxe\n", "pxelinux.0", false, REMAP_OK), "pxelinux.0");
	/* g: every match; s: start over */
	assert_string_equal(map("rg o 0\n", "foo/boo", false, REMAP_OK), "f00/b00");
	/* g repeats on its own result until no match, as tftp-hpa */
	assert_string_equal(map("rg aa a\n", "aaaab", false, REMAP_OK), "ab");
	assert_string_equal(map("rg //+ /\n", "a///b//c", false, REMAP_OK), "a/b/c");
	assert_string_equal(map("rs // /\n", "a////b", false, REMAP_OK), "a/b");
}

static void test_endless_loop_aborts(void **state)
{
	map("rs a a\n", "a", false, REMAP_ABORT);
	/* a g rule that always matches: tftp-hpa spins, we refuse */
	map("rg a a\n", "a", false, REMAP_ABORT);
	map("rg ^ x\n", "f", false, REMAP_ABORT);
	map("g a\n", "a", false, REMAP_ABORT);
}

static void test_parse_errors(void **state)
{
	char err[128];

	assert_null(remap_parse("q foo bar\n", err, sizeof err));
	assert_string_equal(err, "line 1: unknown flag");
	assert_null(remap_parse("\n\nr (unclosed x\n", err, sizeof err));
	assert_string_equal(err, "line 3: bad regular expression");
	assert_null(remap_parse("r~ a b\n", err, sizeof err));
	assert_null(remap_parse("a\n", err, sizeof err));
	assert_null(remap_parse("r a+++ b\n", err, sizeof err));
	assert_string_equal(err, "line 1: stacked quantifiers in regular expression");
	assert_null(remap_parse("r (a*){9}{9} b\n", err, sizeof err));
	assert_null(remap_parse("r a*{2} b\n", err, sizeof err));
	struct remap *ok = remap_parse("r [*+]+\\++x{2}?? b\n", err, sizeof err);
	assert_null(ok);   /* "??" stacks */
	ok = remap_parse("r [*+]+\\++x{2}(a*)* b\n", err, sizeof err);
	assert_non_null(ok);
	remap_free(ok);
	struct remap *rm = remap_parse("  # only comments\n\n", err, sizeof err);
	assert_non_null(rm);
	assert_int_equal(remap_count(rm), 0);
	remap_free(rm);
}

/* Bounds regcomp would expand into gigabytes are refused at load; the
 * rules admins write (MAC and IP patterns) still load. */
static void test_costly_regex(void **state)
{
	char err[128];

	assert_null(remap_parse("r a{0,2000} b\n", err, sizeof err));
	assert_string_equal(err, "line 1: bound too large in regular expression");
	assert_null(remap_parse("r (a{0,255}){255} b\n", err, sizeof err));
	assert_string_equal(err, "line 1: regular expression too big");
	/* regcomp reads "\," as ',' and "\0" as '0' in a bound (fuzz_tftpd_remap) */
	assert_null(remap_parse("r (a{\\,255}){255} b\n", err, sizeof err));
	assert_string_equal(err, "line 1: regular expression too big");
	assert_null(remap_parse("r a{2\\0\\0\\0} b\n", err, sizeof err));
	assert_string_equal(err, "line 1: bound too large in regular expression");
	/* a class ends at ":]": the ')' after it is in the bracket, and the
	 * group it seems to close is repeated 255 times */
	assert_null(remap_parse("r (a{0,255}[[:alpha:])]){255} b\n", err, sizeof err));
	assert_string_equal(err, "line 1: regular expression too big");
	assert_null(remap_parse("r ((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))) b\n",
				err, sizeof err));
	assert_string_equal(err, "line 1: groups nested too deep in regular expression");
	static const char *const fine[] = {
		"r ^([0-9a-f]{2}-){5}[0-9a-f]{2}$ mac\n",
		"r ^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$ ip\n",
		"r ^(.*)\\.(.*)$ \\2.\\1\n",
		"r (.*){500} x\n",
		"r ^[[:alnum:]._-]{1,64}$ name\n",
		"r ^[^]a[=e=][.-.]]{3}$ x\n",
	};
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		struct remap *rm = remap_parse(fine[i], err, sizeof err);
		assert_non_null(rm);
		remap_free(rm);
	}
}

static void test_too_long(void **state)
{
	char out[16];
	char err[64];
	struct remap *rm = remap_parse("rg . xxxx\n", err, sizeof err);

	assert_int_equal(remap_apply(rm, "abcdef", false, &client, out, sizeof out), REMAP_TOOLONG);
	remap_free(rm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_strings),
		cmocka_unit_test(test_windows_paths),
		cmocka_unit_test(test_submatches_and_hex),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_endless_loop_aborts),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_costly_regex),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
