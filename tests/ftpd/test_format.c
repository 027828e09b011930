/* Pure formatters: paths, vsftpd LIST lines, MLSx facts, replies, PORT and
 * EPRT addresses, TYPE A conversion, xferlog lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "ascii.h"
#include "dataaddr.h"
#include "listarg.h"
#include "listing.h"
#include "path.h"
#include "reply.h"
#include "xferlog.h"

static void expect_path(const char *cwd, const char *arg, const char *want)
{
	char out[FTPD_PATH_MAX];
	assert_int_equal(path_resolve(cwd, arg, out, sizeof out), 0);
	assert_string_equal(out, want);
}

static void test_path_never_climbs_out(void **state)
{
	expect_path("/", "pub", "/pub");
	expect_path("/pub", "../../../etc/passwd", "/etc/passwd");
	expect_path("/pub/os", "..", "/pub");
	expect_path("/pub", "/x//y/./z/", "/x/y/z");
	expect_path("/", "..", "/");
	expect_path("/a", "", "/a");
	expect_path("/", "...", "/...");
	assert_string_equal(path_relative("/"), ".");
	assert_string_equal(path_relative("/pub/a"), "pub/a");
	char small[8];
	assert_int_equal(path_resolve("/", "abcdefghij", small, sizeof small), -1);
}

static void test_hide_patterns(void **state)
{
	assert_true(path_matches_list("{*.iso,secret*}", "/pub/x.iso"));
	assert_true(path_matches_list("{*.iso,secret*}", "/secret.txt"));
	assert_false(path_matches_list("{*.iso,secret*}", "/pub/iso"));
	assert_true(path_matches_list("*.bak", "/a.bak"));
	assert_false(path_matches_list(NULL, "/a"));
}

static struct stat file_stat(mode_t mode, off_t size, time_t mtime)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_mode = mode;
	st.st_size = size;
	st.st_mtime = mtime;
	st.st_nlink = 1;
	st.st_uid = 14;
	st.st_gid = 50;
	return st;
}

static void test_list_line_as_vsftpd(void **state)
{
	struct strbuf out = { 0 };
	struct listing_opts o = { .now = 1764000000 };   /* 2025-11-24 */
	struct listing_entry e = { "vmlinuz", file_stat(S_IFREG | 0644, 5, 1763990000), NULL };
	listing_add(&out, LISTING_LIST, &e, &o);
	assert_string_equal(out.data,
			    "-rw-r--r--    1 14       50              5 Nov 24 13:13 vmlinuz\r\n");
	out.len = 0;
	struct listing_entry old = { "old", file_stat(S_IFDIR | 02755, 4096, 1600000000), NULL };
	o.hide_ids = true;
	listing_add(&out, LISTING_LIST, &old, &o);
	assert_string_equal(out.data,
			    "drwxr-sr-x    1 ftp      ftp          4096 Sep 13  2020 old\r\n");
	out.len = 0;
	struct listing_entry link = { "l", file_stat(S_IFLNK | 0777, 3, 1763990000), "abc" };
	listing_add(&out, LISTING_LIST, &link, &o);
	assert_non_null(strstr(out.data, " l -> abc\r\n"));
	strbuf_free(&out);
}

/* Whether the MLSD line of e holds want. */
static bool line_has(const struct listing_entry *e, const struct listing_opts *o,
		     const char *want)
{
	struct strbuf out = { 0 };
	listing_add(&out, LISTING_MLSD, e, o);
	bool has = out.data && strstr(out.data, want);
	strbuf_free(&out);
	return has;
}

static void test_mlsd_and_nlst(void **state)
{
	struct strbuf out = { 0 };
	struct listing_opts o = { .now = 1764000000, .downloads = true, .world_readable_only = true };
	struct listing_entry e = { "a b", file_stat(S_IFREG | 0644, 1234, 0), NULL };
	listing_add(&out, LISTING_MLSD, &e, &o);
	assert_string_equal(out.data,
			    "type=file;size=1234;modify=19700101000000;perm=r;UNIX.mode=0644; a b\r\n");
	out.len = 0;
	/* no perm=r where RETR answers 550: a symlink not followed (out of the
	 * root), a file not world-readable, downloads off */
	struct listing_entry link = { "out", file_stat(S_IFLNK | 0777, 11, 0), NULL };
	assert_true(line_has(&link, &o, "type=OS.unix=symlink;modify=19700101000000;perm=;"
					"UNIX.mode=0777; out\r\n"));
	struct listing_entry private = { "p", file_stat(S_IFREG | 0640, 1, 0), NULL };
	assert_true(line_has(&private, &o, ";perm=;"));
	o.world_readable_only = false;
	assert_true(line_has(&private, &o, ";perm=r;"));
	o.deny_file = "{*.iso,x}";   /* names deny_file refuses */
	struct listing_entry iso = { "dvd.iso", file_stat(S_IFREG | 0644, 1, 0), NULL };
	assert_true(line_has(&iso, &o, ";perm=;UNIX.mode=0644; dvd.iso\r\n"));
	assert_true(line_has(&e, &o, ";perm=r;"));
	o.downloads = false;
	assert_true(line_has(&e, &o, ";perm=;"));
	listing_add(&out, LISTING_NLST, &e, &o);
	assert_string_equal(out.data, "a b\r\n");
	strbuf_free(&out);
	static const struct { const char *named; bool is_dir; const char *prefix; } nlst[] = {
		{ "pub", true, "pub/" }, { "pub/", true, "pub/" }, { "/", true, "/" },
		{ "", true, "" }, { ".", true, "" }, { "../pub", true, "../pub/" },
		{ "pub/a.rpm", false, "pub/" }, { "a.rpm", false, "" },
	};
	char prefix[64];
	for (size_t i = 0; i < sizeof nlst / sizeof nlst[0]; i++) {
		listing_nlst_prefix(nlst[i].named, nlst[i].is_dir, prefix, sizeof prefix);
		assert_string_equal(prefix, nlst[i].prefix);
	}
	assert_false(listing_shows(".hidden", false, false));
	assert_true(listing_shows(".hidden", true, false));
	assert_false(listing_shows("..", true, false));
	/* LIST -a: dot files, "." and ".." too, as vsftpd */
	assert_true(listing_shows(".hidden", false, true));
	assert_true(listing_shows(".", false, true));
	assert_true(listing_shows("..", false, true));
}

/* MDTM follows use_localtime as vsftpd 3.0.3's does; the modify fact
 * stays UTC (RFC 3659 2.3). */
static void test_mdtm_zone(void **state)
{
	char buf[16];
	setenv("TZ", "KST-9", 1);
	tzset();
	assert_string_equal(listing_mdtm(1764000000, false, buf), "20251124160000");
	assert_string_equal(listing_mdtm(1764000000, true, buf), "20251125010000");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void test_list_arguments(void **state)
{
	struct list_arg la;
	assert_int_equal(listarg_parse("", &la), 0);
	assert_string_equal(la.dir, "");
	assert_string_equal(la.pattern, "");
	assert_false(la.all || la.long_format);
	assert_int_equal(listarg_parse("-la pub", &la), 0);
	assert_true(la.all && la.long_format);
	assert_string_equal(la.dir, "pub");
	assert_int_equal(listarg_parse("-a -R  pub/os/*.rpm", &la), 0);
	assert_true(la.all);
	assert_false(la.long_format);
	assert_string_equal(la.dir, "pub/os");
	assert_string_equal(la.pattern, "*.rpm");
	assert_int_equal(listarg_parse("/vmlinu?", &la), 0);
	assert_string_equal(la.dir, "/");
	assert_string_equal(la.pattern, "vmlinu?");
	assert_int_equal(listarg_parse("[ab]*", &la), 0);
	assert_string_equal(la.dir, "");
	assert_string_equal(la.pattern, "[ab]*");
	/* a glob in a directory part is a plain name: only the last is matched */
	assert_int_equal(listarg_parse("p*/images", &la), 0);
	assert_string_equal(la.dir, "p*/images");
	assert_string_equal(la.pattern, "");
	char longer[FTPD_PATH_MAX + 8];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(listarg_parse(longer, &la), -1);
}

static void test_replies(void **state)
{
	struct strbuf out = { 0 };
	reply_add(&out, 211, "Features:\n EPSV\nEnd");
	reply_addf(&out, 230, "Login %s.", "successful");
	reply_add(&out, 550, "bad\rname");
	/* a listing's CRLF lines, unprefixed; one starting with a digit padded
	 * (RFC 959 4.2) so that it cannot end the reply */
	reply_add(&out, 213, "Status follows:\r\n-rw a\r\n213 b\r\nEnd of status");
	assert_string_equal(out.data, "211-Features:\r\n EPSV\r\n211 End\r\n"
				      "230 Login successful.\r\n550 bad?name\r\n"
				      "213-Status follows:\r\n-rw a\r\n 213 b\r\n213 End of status\r\n");
	strbuf_free(&out);
}

static void test_port_and_eprt(void **state)
{
	struct sockaddr_storage ss, peer;
	char buf[64];
	assert_int_equal(dataaddr_parse_port("127,0,0,1,4,1", &ss), 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 1025);
	assert_int_equal(dataaddr_parse_port("127,0,0,1,4,256", &ss), -1);
	assert_int_equal(dataaddr_parse_port("127,0,0,1,4", &ss), -1);
	assert_int_equal(dataaddr_parse_port("127,0,0,1,4,1x", &ss), -1);
	assert_int_equal(dataaddr_parse_eprt("|1|198.18.0.2|6446|", &ss), 0);
	assert_int_equal(dataaddr_parse_eprt("|2|::1|6446|", &ss), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(dataaddr_parse_eprt("|1|::1|6446|", &ss), -1);
	assert_int_equal(dataaddr_parse_eprt("|1|1.2.3.4|0|", &ss), -1);
	assert_int_equal(dataaddr_parse_eprt("|1|1.2.3.4|99|x", &ss), -1);
	assert_int_equal(dataaddr_parse_eprt("", &ss), -1);

	/* the dual-stack control peer ::ffff:198.18.0.2 is the same host */
	struct sockaddr_in6 *p6 = (struct sockaddr_in6 *)&peer;
	memset(&peer, 0, sizeof peer);
	p6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:198.18.0.2", &p6->sin6_addr);
	assert_int_equal(dataaddr_parse_port("198,18,0,2,20,0", &ss), 0);
	assert_true(dataaddr_same_host((struct sockaddr *)&ss, (struct sockaddr *)&peer));
	assert_int_equal(dataaddr_parse_port("198,18,0,3,20,0", &ss), 0);
	assert_false(dataaddr_same_host((struct sockaddr *)&ss, (struct sockaddr *)&peer));

	p6->sin6_port = htons(5001);
	assert_int_equal(dataaddr_format_pasv((struct sockaddr *)&peer, NULL, buf, sizeof buf), 0);
	assert_string_equal(buf, "198,18,0,2,19,137");
	assert_int_equal(dataaddr_format_pasv((struct sockaddr *)&peer, "10.1.2.3", buf, sizeof buf),
			 0);
	assert_string_equal(buf, "10,1,2,3,19,137");
	inet_pton(AF_INET6, "2001:db8::1", &p6->sin6_addr);
	assert_int_equal(dataaddr_format_pasv((struct sockaddr *)&peer, NULL, buf, sizeof buf), -1);
}

static void test_ascii_crlf(void **state)
{
	char out[32];
	bool prev_cr = false;
	size_t n = ascii_to_crlf("a\nb\r", 4, out, &prev_cr);
	n += ascii_to_crlf("\nc\n", 3, out + n, &prev_cr);
	assert_int_equal(n, 9);
	assert_memory_equal(out, "a\r\nb\r\nc\r\n", 9);
}

static void test_xferlog_std(void **state)
{
	struct strbuf out = { 0 };
	struct xfer_record r = { .end = 1764000000, .seconds = 2.4, .client = "198.18.0.2",
				 .vpath = "/pub/my file", .bytes = 42, .complete = true,
				 .anon_password = "me@", .user = "ftp" };
	setenv("TZ", "UTC", 1);
	tzset();
	xferlog_std_line(&out, &r);
	assert_string_equal(out.data, "Mon Nov 24 16:00:00 2025 2 198.18.0.2 42 /pub/my_file b _ o a "
				      "me@ ftp 0 * c\n");
	out.len = 0;
	setenv("TZ", "KST-9", 1);   /* log lines in local time, as vsftpd's */
	tzset();
	xferlog_std_line(&out, &r);
	assert_memory_equal(out.data, "Tue Nov 25 01:00:00 2025 ", 25);
	out.len = 0;
	xferlog_vsftpd_line(&out, &r, 7, "DOWNLOAD");
	assert_non_null(strstr(out.data, "[pid 7] [ftp] OK DOWNLOAD: Client \"198.18.0.2\", "
					 "\"/pub/my_file\", 42 bytes"));
	out.len = 0;
	/* vsftpd's rates: microseconds count; a time of 0 is taken as 0.1 s;
	 * no byte count when none moved */
	struct xfer_record fast = r, none = r;
	fast.seconds = 0.000295;
	fast.bytes = 5;
	xferlog_vsftpd_line(&out, &fast, 7, "DOWNLOAD");
	assert_non_null(strstr(out.data, "\"/pub/my_file\", 5 bytes, 16.55Kbyte/sec\n"));
	out.len = 0;
	fast.seconds = 0;
	xferlog_vsftpd_line(&out, &fast, 7, "DOWNLOAD");
	assert_non_null(strstr(out.data, "\", 5 bytes, 0.05Kbyte/sec\n"));
	out.len = 0;
	none.bytes = 0;
	none.complete = false;
	xferlog_vsftpd_line(&out, &none, 7, "DOWNLOAD");
	assert_non_null(strstr(out.data, "FAIL DOWNLOAD: Client \"198.18.0.2\", \"/pub/my_file\", "
					 "0.00Kbyte/sec\n"));
	out.len = 0;
	xferlog_vsftpd_session(&out, r.end, 7, NULL, "198.18.0.2", NULL);
	xferlog_vsftpd_session(&out, r.end, 7, "ftp", "198.18.0.2", "me@x y");
	xferlog_vsftpd_session(&out, r.end, 7, "root", "198.18.0.2", NULL);
	assert_string_equal(out.data, "Tue Nov 25 01:00:00 2025 [pid 7] CONNECT: Client \"198.18.0.2\"\n"
			    "Tue Nov 25 01:00:00 2025 [pid 7] [ftp] OK LOGIN: Client \"198.18.0.2\", "
			    "anon password \"me@x_y\"\n"
			    "Tue Nov 25 01:00:00 2025 [pid 7] [root] FAIL LOGIN: Client \"198.18.0.2\"\n");
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_never_climbs_out),
		cmocka_unit_test(test_hide_patterns),
		cmocka_unit_test(test_list_line_as_vsftpd),
		cmocka_unit_test(test_mlsd_and_nlst),
		cmocka_unit_test(test_mdtm_zone),
		cmocka_unit_test(test_list_arguments),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_port_and_eprt),
		cmocka_unit_test(test_ascii_crlf),
		cmocka_unit_test(test_xferlog_std),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
