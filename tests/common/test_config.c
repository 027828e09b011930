/* config: defaults, value types and bounds, file:line errors, overrides,
 * NOT_SERVED notes, and the stock CentOS 7 vsftpd.conf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

struct conf {
	bool anon;
	unsigned long port;
	unsigned long umask;
	char *banner;
	bool tcp_wrappers;
};

static const struct cfg_key keys[] = {
	{ "anonymous_enable", CFG_BOOL, offsetof(struct conf, anon), "YES", 0, 0, 0 },
	{ "listen_port", CFG_UINT, offsetof(struct conf, port), "21", 1, 65535, 0 },
	{ "local_umask", CFG_UINT, offsetof(struct conf, umask), "077", 0, 0777, CFG_OCTAL },
	{ "ftpd_banner", CFG_STR, offsetof(struct conf, banner), NULL, 0, 0, 0 },
	{ "tcp_wrappers", CFG_BOOL, offsetof(struct conf, tcp_wrappers), NULL, 0, 0, CFG_NOT_SERVED },
};

struct notes {
	int count;
	int line;
	char key[32];
	char value[32];
	char file[64];
};

static void note(const struct cfg_key *key, const char *value, const char *file, int line, void *ctx)
{
	struct notes *n = ctx;
	n->count++;
	n->line = line;
	snprintf(n->key, sizeof n->key, "%s", key->name);
	snprintf(n->value, sizeof n->value, "%s", value);
	snprintf(n->file, sizeof n->file, "%s", file ? file : "");
}

static struct notes seen;
static const struct cfg_schema schema = {
	.keys = keys, .n_keys = sizeof keys / sizeof keys[0], .note = note, .note_ctx = &seen,
};

static struct conf conf;

static int setup(void **state)
{
	memset(&seen, 0, sizeof seen);
	memset(&conf, 0x5a, sizeof conf);   /* garbage: defaults must not free it */
	return cfg_defaults(&schema, &conf);
}

static int teardown(void **state)
{
	cfg_free(&schema, &conf);
	return 0;
}

static char *error_text(const struct cfg_error *err)
{
	static char text[512];
	cfg_format_error(err, text, sizeof text);
	return text;
}

static void test_defaults(void **state)
{
	assert_true(conf.anon);
	assert_int_equal(conf.port, 21);
	assert_int_equal(conf.umask, 077);
	assert_null(conf.banner);
	assert_false(conf.tcp_wrappers);
	assert_int_equal(seen.count, 0);   /* defaults are not "set" by the admin */
}

static void test_bools_any_case(void **state)
{
	static const struct { const char *text; bool value; } cases[] = {
		{ "YES", true }, { "yes", true }, { "True", true }, { "1", true },
		{ "NO", false }, { "nO", false }, { "false", false }, { "0", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool v = !cases[i].value;
		assert_int_equal(cfg_parse_bool(cases[i].text, &v), 0);
		assert_int_equal(v, cases[i].value);
	}
	bool v;
	assert_int_equal(cfg_parse_bool("Y", &v), -1);
	assert_int_equal(cfg_parse_bool("", &v), -1);
	assert_int_equal(cfg_parse_bool("yes ", &v), -1);
}

static void test_load_values(void **state)
{
	struct cfg_error err;
	const char *text = "# comment\nanonymous_enable=no\nlisten_port=2121\nlocal_umask=022\n"
			   "ftpd_banner=Welcome ; to # FTP\n\n";
	assert_int_equal(cfg_load_string(&schema, &conf, text, "t.conf", &err), 0);
	assert_false(conf.anon);
	assert_int_equal(conf.port, 2121);
	assert_int_equal(conf.umask, 022);
	/* vsftpd keeps ';' and '#' inside a value. */
	assert_string_equal(conf.banner, "Welcome ; to # FTP");
}

static void test_unknown_key(void **state)
{
	struct cfg_error err;
	const char *text = "anonymous_enable=YES\n\nfoo=bar\nlisten_port=1\n";
	assert_int_equal(cfg_load_string(&schema, &conf, text, "file", &err), -1);
	assert_string_equal(error_text(&err), "file:3: foo: unknown key");
	assert_int_equal(err.line, 3);
	assert_string_equal(err.key, "foo");
	assert_int_equal(conf.port, 21);   /* parsing stopped at the error */
}

static void test_bad_bool_names_line(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "\n\nanonymous_enable=maybe\n", "f", &err), -1);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.key, "anonymous_enable");
	assert_non_null(strstr(err.msg, "boolean"));
}

static void test_uint_bounds(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "listen_port=65535\n", "f", &err), 0);
	assert_int_equal(conf.port, 65535);
	assert_int_equal(cfg_load_string(&schema, &conf, "listen_port=65536\n", "f", &err), -1);
	assert_string_equal(error_text(&err), "f:1: listen_port: 65536 out of range [1, 65535]");
	assert_int_equal(cfg_load_string(&schema, &conf, "listen_port=0\n", "f", &err), -1);
	static const char *const bad[] = { "-1", "+5", "12x", "", " ", "0x10", "99999999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "listen_port=%s\n", bad[i]);
		assert_int_equal(cfg_load_string(&schema, &conf, text, "f", &err), -1);
	}
	assert_int_equal(conf.port, 65535);
}

static void test_octal(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_set(&schema, &conf, "local_umask", "0755", &err), 0);
	assert_int_equal(conf.umask, 0755);
	assert_int_equal(cfg_set(&schema, &conf, "local_umask", "22", &err), 0);
	assert_int_equal(conf.umask, 022);
	assert_int_equal(cfg_set(&schema, &conf, "local_umask", "8", &err), -1);
	assert_int_equal(cfg_set(&schema, &conf, "local_umask", "1000", &err), -1);   /* > 0777 */
	assert_int_equal(conf.umask, 022);
}

static void test_override_frees_and_replaces(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "ftpd_banner=one\nftpd_banner=two\n", "f", &err), 0);
	assert_string_equal(conf.banner, "two");
	assert_int_equal(cfg_set(&schema, &conf, "ftpd_banner", "three", &err), 0);
	assert_string_equal(conf.banner, "three");   /* ASan reports the old strings if leaked */
	assert_int_equal(cfg_set(&schema, &conf, "nope", "x", &err), -1);
	assert_int_equal(err.line, 0);
	assert_string_equal(error_text(&err), "nope: unknown key");
}

static void test_not_served_note(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "listen_port=21\n\ntcp_wrappers=YES\n", "v.conf", &err), 0);
	assert_int_equal(seen.count, 1);
	assert_int_equal(seen.line, 3);
	assert_string_equal(seen.key, "tcp_wrappers");
	assert_string_equal(seen.value, "YES");
	assert_string_equal(seen.file, "v.conf");
	assert_true(conf.tcp_wrappers);
}

static void test_syntax_error(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "listen_port=21\njunk line\n", "f", &err), -1);
	assert_int_equal(err.line, 2);
	/* the first error wins over a later one */
	assert_int_equal(cfg_load_string(&schema, &conf, "junk\nfoo=1\n", "f", &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(cfg_load_string(&schema, &conf, "foo=1\njunk\n", "f", &err), -1);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.key, "foo");
}

static void test_long_line_rejected(void **state)
{
	char text[600];
	memset(text, 'a', sizeof text);
	memcpy(text, "\nftpd_banner=", 13);
	memcpy(text + sizeof text - 16, "\nlisten_port=7\n", 16);
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, text, "f", &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "longer"));
	assert_int_equal(conf.port, 21);
}

static void test_indented_line_is_not_continuation(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "ftpd_banner=a\n   listen_port=99\r\n", "f", &err), 0);
	assert_string_equal(conf.banner, "a");
	assert_int_equal(conf.port, 99);
}

static void test_sections(void **state)
{
	struct cfg_schema sect = schema;
	struct cfg_error err;
	assert_int_equal(cfg_load_string(&schema, &conf, "[x]\nlisten_port=5\n", "f", &err), -1);
	assert_int_equal(err.line, 2);
	sect.section = "ftp";
	const char *text = "[other]\nunknown=1\n[ftp]\nlisten_port=5 ; comment\n";
	assert_int_equal(cfg_load_string(&sect, &conf, text, "f", &err), 0);
	assert_int_equal(conf.port, 5);
	assert_int_equal(cfg_load_string(&sect, &conf, "[ftp]\nbad=1\n", "f", &err), -1);
	assert_int_equal(err.line, 2);
}

static void test_unreadable_file(void **state)
{
	struct cfg_error err;
	assert_int_equal(cfg_load_file(&schema, &conf, "/nonexistent/x.conf", &err), -1);
	assert_int_equal(err.line, 0);
	assert_string_equal(error_text(&err), "/nonexistent/x.conf: cannot open: No such file or directory");
}

/* Every key of the stock CentOS 7 file, with the types vsftpd gives them. */
struct vsftpd {
	bool b[11];
	unsigned long umask;
	char *pam;
};
#define B(name, i) { name, CFG_BOOL, offsetof(struct vsftpd, b) + (i) * sizeof(bool), "NO", 0, 0, 0 }
static const struct cfg_key vsftpd_keys[] = {
	B("anonymous_enable", 0), B("local_enable", 1), B("write_enable", 2),
	B("dirmessage_enable", 3), B("xferlog_enable", 4), B("connect_from_port_20", 5),
	B("xferlog_std_format", 6), B("listen", 7), B("listen_ipv6", 8),
	B("userlist_enable", 9), B("tcp_wrappers", 10),
	{ "local_umask", CFG_UINT, offsetof(struct vsftpd, umask), "077", 0, 0777, CFG_OCTAL },
	{ "pam_service_name", CFG_STR, offsetof(struct vsftpd, pam), NULL, 0, 0, 0 },
};

static void check_centos_conf(const char *path)
{
	const struct cfg_schema s = { .keys = vsftpd_keys, .n_keys = sizeof vsftpd_keys / sizeof vsftpd_keys[0] };
	struct vsftpd v;
	struct cfg_error err;
	cfg_defaults(&s, &v);
	int rc = cfg_load_file(&s, &v, path, &err);
	if (rc != 0)
		fail_msg("%s", error_text(&err));
	static const bool want[11] = { 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1 };
	for (int i = 0; i < 11; i++)
		assert_int_equal(v.b[i], want[i]);
	assert_int_equal(v.umask, 022);
	assert_string_equal(v.pam, "vsftpd");
	cfg_free(&s, &v);
}

static void test_centos_vsftpd_conf(void **state)
{
	FILE *f = fopen(CENTOS_VSFTPD_CONF, "r");
	if (f)
		fclose(f);
	/* the shared compat tree where present, the committed copy always */
	if (f)
		check_centos_conf(CENTOS_VSFTPD_CONF);
	check_centos_conf(CORPUS_VSFTPD_CONF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test(test_bools_any_case),
		cmocka_unit_test_setup_teardown(test_load_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_bool_names_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uint_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_octal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_frees_and_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_served_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indented_line_is_not_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_file, setup, teardown),
		cmocka_unit_test(test_centos_vsftpd_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
