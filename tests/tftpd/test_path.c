/* Requested-name policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "path.h"

static const char *const roots[] = { "/var/lib/tftpboot/", "/srv/tftp" };

static int root;

static const char *ok(const char *name)
{
	const char *rel;

	assert_int_equal(path_resolve(name, roots, 2, &rel, &root), PATH_OK);
	return rel;
}

static void test_relative_and_leading_slash(void **state)
{
	assert_string_equal(ok("pxelinux.0"), "pxelinux.0");
	assert_string_equal(ok("/grub/grub.cfg"), "grub/grub.cfg");
	assert_string_equal(ok("//x"), "x");
	assert_string_equal(ok("/var/lib/tftpboot/pxelinux.0"), "pxelinux.0");
	assert_string_equal(ok("/srv/tftp/a/b"), "a/b");
	assert_string_equal(ok("/srv/tftpx/a"), "srv/tftpx/a");
	assert_string_equal(ok("a..b/..c/c.."), "a..b/..c/c..");
}

/* A name spelling out a served directory is looked up there only. */
static void test_named_root(void **state)
{
	ok("/srv/tftp/a/b");
	assert_int_equal(root, 1);
	ok("/var/lib/tftpboot/x");
	assert_int_equal(root, 0);
	ok("/x");
	assert_int_equal(root, -1);
	ok("/srv/tftpx/a");
	assert_int_equal(root, -1);
}

static void test_refused(void **state)
{
	const char *rel;

	assert_int_equal(path_resolve("../etc/passwd", roots, 2, &rel, &root), PATH_DOTDOT);
	assert_null(rel);
	assert_int_equal(path_resolve("a/../../x", roots, 2, &rel, &root), PATH_DOTDOT);
	assert_int_equal(path_resolve("a/..", roots, 2, &rel, &root), PATH_DOTDOT);
	assert_int_equal(path_resolve("/var/lib/tftpboot/../../etc", roots, 2, &rel, &root),
			 PATH_DOTDOT);
	assert_int_equal(path_resolve("a\nb", roots, 2, &rel, &root), PATH_CONTROL);
	assert_int_equal(path_resolve("a\x7f", roots, 2, &rel, &root), PATH_CONTROL);
	assert_int_equal(path_resolve("///", roots, 2, &rel, &root), PATH_OK);
	assert_string_equal(rel, ".");
	assert_int_equal(path_resolve("/var/lib/tftpboot/", roots, 2, &rel, &root), PATH_OK);
	assert_string_equal(rel, ".");
	assert_int_equal(root, 0);
	assert_string_equal(path_verdict_str(PATH_DOTDOT), "\"..\" in file name");
}

static void test_no_roots(void **state)
{
	const char *rel;

	assert_int_equal(path_resolve("/var/lib/tftpboot/x", NULL, 0, &rel, &root), PATH_OK);
	assert_string_equal(rel, "var/lib/tftpboot/x");
	assert_int_equal(root, -1);
}

/* -s: ".." is the chroot's business (it stays in the root), as in.tftpd */
static void test_in_root(void **state)
{
	const char *rel;

	assert_int_equal(path_resolve_in_root("/../etc/passwd", &rel), PATH_OK);
	assert_string_equal(rel, "../etc/passwd");
	assert_int_equal(path_resolve_in_root("a/../b", &rel), PATH_OK);
	assert_string_equal(rel, "a/../b");
	assert_int_equal(path_resolve_in_root("a\nb", &rel), PATH_CONTROL);
	assert_null(rel);
	assert_int_equal(path_resolve_in_root("//", &rel), PATH_OK);
	assert_string_equal(rel, ".");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative_and_leading_slash),
		cmocka_unit_test(test_named_root),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_no_roots),
		cmocka_unit_test(test_in_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
