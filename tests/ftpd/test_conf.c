/* vsftpd.conf keys: code defaults, value syntax, file:line errors, the
 * stock CentOS 7 file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"

static char *write_temp(const char *text)
{
	static char path[64];
	strcpy(path, "/tmp/ftpd-conf-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_code_defaults(void **state)
{
	struct ftpd_conf c;
	char err[256];
	assert_int_equal(ftpd_conf_load(&c, NULL, NULL, 0, NULL, NULL, err, sizeof err), 0);
	assert_true(c.listen);
	assert_false(c.listen_ipv6);
	assert_int_equal(c.pasv_min_port, 5001);
	assert_int_equal(c.pasv_max_port, 0);
	assert_int_equal(c.max_clients, 2000);
	assert_int_equal(c.max_per_ip, 50);
	assert_int_equal(c.idle_session_timeout, 300);
	assert_int_equal(c.accept_timeout, 60);
	assert_true(c.anonymous_enable);
	assert_true(c.anon_world_readable_only);
	assert_true(c.use_sendfile);
	assert_string_equal(c.ftp_username, "ftp");
	assert_string_equal(c.xferlog_file, "/var/log/xferlog");
	assert_null(c.anon_root);
	ftpd_conf_free(&c);
}

static void test_values_and_overrides(void **state)
{
	struct ftpd_conf c;
	char err[256];
	char *path = write_temp("# comment\nlisten=yes\nhide_ids=True\nforce_dot_files=1\n"
				"anon_root=/srv/ftp\nmax_per_ip=3\n");
	char *over[] = { "max_per_ip=7", "listen=false" };
	assert_int_equal(ftpd_conf_load(&c, path, over, 2, NULL, NULL, err, sizeof err), 0);
	assert_true(c.hide_ids);
	assert_true(c.force_dot_files);
	assert_false(c.listen);
	assert_int_equal(c.max_per_ip, 7);
	assert_string_equal(c.anon_root, "/srv/ftp");
	ftpd_conf_free(&c);
	unlink(path);
}

static void expect_error(const char *text, const char *needle)
{
	struct ftpd_conf c;
	char err[256];
	char *path = write_temp(text);
	assert_int_equal(ftpd_conf_load(&c, path, NULL, 0, NULL, NULL, err, sizeof err), -1);
	if (!strstr(err, needle))
		fail_msg("error \"%s\" lacks \"%s\"", err, needle);
	assert_non_null(strstr(err, path));
	ftpd_conf_free(&c);
	unlink(path);
}

static void test_errors_name_line(void **state)
{
	expect_error("listen=YES\nno_such_key=1\n", ":2");
	expect_error("listen=YES\n\nhide_ids=maybe\n", ":3");
	expect_error("listen_port=99999\n", ":1");
}

static void test_bad_override(void **state)
{
	struct ftpd_conf c;
	char err[256];
	char *over[] = { "no_equals_sign" };
	assert_int_equal(ftpd_conf_load(&c, NULL, over, 1, NULL, NULL, err, sizeof err), -1);
	ftpd_conf_free(&c);
}

struct notes {
	char keys[512];
};

static void collect(const char *key, const char *file, int line, void *ctx)
{
	struct notes *n = ctx;
	strcat(n->keys, key);
	strcat(n->keys, " ");
}

static void test_centos_conf(void **state)
{
	struct ftpd_conf c;
	struct notes n = { "" };
	char err[256], path[512];
	snprintf(path, sizeof path, "%s", CENTOS_VSFTPD_CONF);
	assert_int_equal(ftpd_conf_load(&c, path, NULL, 0, collect, &n, err, sizeof err), 0);
	assert_false(c.listen);
	assert_true(c.listen_ipv6);
	assert_true(c.xferlog_std_format);
	assert_true(c.local_enable);
	/* each not-served feature the file turns on is reported, once */
	const char *reported[] = { "local_enable ", "write_enable ", "pam_service_name ",
				   "userlist_enable ", "tcp_wrappers ", "local_umask " };
	for (size_t i = 0; i < sizeof reported / sizeof reported[0]; i++) {
		const char *hit = strstr(n.keys, reported[i]);
		assert_non_null(hit);
		assert_null(strstr(hit + 1, reported[i]));
	}
	assert_null(strstr(n.keys, "anonymous_enable"));
	ftpd_conf_free(&c);
}

static void test_list_has(void **state)
{
	assert_true(ftpd_conf_list_has("PASV,RETR,QUIT", "retr"));
	assert_true(ftpd_conf_list_has("PASV,RETR,QUIT", "QUIT"));
	assert_false(ftpd_conf_list_has("PASV,RETR,QUIT", "RET"));
	assert_false(ftpd_conf_list_has(NULL, "RETR"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_defaults),
		cmocka_unit_test(test_values_and_overrides),
		cmocka_unit_test(test_errors_name_line),
		cmocka_unit_test(test_bad_override),
		cmocka_unit_test(test_centos_conf),
		cmocka_unit_test(test_list_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
