/* privdrop_resolve: names and numbers; privdrop_apply in a forked child
 * (as root: to nobody; otherwise: the unprivileged path). privdrop.sh
 * checks the full result from outside through /proc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privdrop.h"

static void test_resolve_names(void **state)
{
	struct privdrop_ids ids;
	char err[128];
	struct passwd *pw = getpwnam("nobody");
	if (!pw)
		skip();
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	assert_int_equal(privdrop_resolve("nobody", NULL, &ids, err, sizeof err), 0);
	assert_int_equal(ids.uid, uid);
	assert_int_equal(ids.gid, gid);
	assert_int_equal(privdrop_resolve("nobody", "root", &ids, err, sizeof err), 0);
	assert_int_equal(ids.uid, uid);
	assert_int_equal(ids.gid, 0);
}

static void test_resolve_numbers(void **state)
{
	struct privdrop_ids ids;
	char err[128];
	assert_int_equal(privdrop_resolve("4242", "4343", &ids, err, sizeof err), 0);
	assert_int_equal(ids.uid, 4242);
	assert_int_equal(ids.gid, 4343);
	/* a number without a passwd entry has no primary group to take */
	assert_int_equal(privdrop_resolve("4242", NULL, &ids, err, sizeof err), -1);
	assert_non_null(strstr(err, "4242"));
	assert_int_equal(privdrop_resolve("0", NULL, &ids, err, sizeof err), 0);
	assert_int_equal(ids.uid, 0);
	assert_int_equal(ids.gid, 0);
}

static void test_resolve_unknown(void **state)
{
	struct privdrop_ids ids;
	char err[128];
	assert_int_equal(privdrop_resolve("no-such-user-pxe", NULL, &ids, err, sizeof err), -1);
	assert_string_equal(err, "unknown user \"no-such-user-pxe\"");
	assert_int_equal(privdrop_resolve("root", "no-such-group-pxe", &ids, err, sizeof err), -1);
	assert_string_equal(err, "unknown group \"no-such-group-pxe\"");
	assert_int_equal(privdrop_resolve("-1", "0", &ids, err, sizeof err), -1);
}

/* In the child: 0 if the process ended up as ids with no capability,
 * no way back to root and no_new_privs; a distinct code per failure. */
static int child_drop(const struct privdrop_ids *ids, const char *root)
{
	char err[256];
	if (privdrop_apply(ids, root, NULL, 0, err, sizeof err) != 0)
		return 10;
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) != 0 || r != ids->uid || e != ids->uid || s != ids->uid)
		return 11;
	if (ids->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return 12;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 13;
	cap_t caps = cap_get_proc(), none = cap_init();
	int differ = cap_compare(caps, none);
	cap_free(caps);
	cap_free(none);
	return differ ? 14 : 0;
}

static int run_in_child(const struct privdrop_ids *ids, const char *root)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_drop(ids, root));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_apply(void **state)
{
	struct privdrop_ids ids = { getuid(), getgid() };
	char err[128];
	if (getuid() == 0 && privdrop_resolve("nobody", NULL, &ids, err, sizeof err) != 0)
		skip();
	assert_int_equal(run_in_child(&ids, NULL), 0);
	if (getuid() == 0)
		assert_int_equal(run_in_child(&ids, "/"), 0);
}

static void test_apply_missing_chroot(void **state)
{
	struct privdrop_ids ids = { getuid(), getgid() };
	char err[256] = "";
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int rc = privdrop_apply(&ids, "/nonexistent-pxe-root", NULL, 0, err, sizeof err);
		_exit(rc == -1 && strstr(err, "chroot /nonexistent-pxe-root") ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_names),
		cmocka_unit_test(test_resolve_numbers),
		cmocka_unit_test(test_resolve_unknown),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_apply_missing_chroot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
