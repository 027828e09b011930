/* The command table over a real directory tree, with io.c replaced by a
 * recorder: login rules, read-only refusals, traversal and symlink
 * escapes, data-connection policy, REST, pipelined transfers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fs.h"
#include "session.h"

struct fake_io {
	struct session *s;
	int starts, resets;
};

static int fake_pasv_listen(void *io, struct sockaddr_storage *bound)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)bound;
	memset(bound, 0, sizeof *bound);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(5555);
	inet_pton(AF_INET, "127.0.0.1", &sin->sin_addr);
	return 0;
}

static void fake_data_reset(void *io)
{
	((struct fake_io *)io)->resets++;
}

static void fake_xfer_start(void *io)
{
	((struct fake_io *)io)->starts++;
}

static void fake_xfer_abort(void *io)
{
	session_xfer_done(((struct fake_io *)io)->s, XFER_ABORTED);
}

static const struct session_ops fake_ops = {
	fake_pasv_listen, fake_data_reset, fake_xfer_start, fake_xfer_abort,
};

struct fixture {
	char root[64];
	struct ftpd_conf conf;
	struct fake_io io;
	struct session s;
	int rootfd;
	char reply[4096];
};

static void put_file(const char *root, const char *name, const char *text, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", root, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void make_tree(const char *root)
{
	char path[256];
	snprintf(path, sizeof path, "%s/pub", root);
	assert_int_equal(mkdir(path, 0755), 0);
	put_file(root, "pub/a.txt", "line1\nline2\n", 0644);
	put_file(root, "pub/secret", "no", 0600);
	snprintf(path, sizeof path, "%s/pub/escape", root);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof path, "%s/pub/up", root);
	assert_int_equal(symlink("../..", path), 0);
}

static struct fixture *fixture_new(char **overrides, size_t n)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256];
	strcpy(f->root, "/tmp/ftpd-session-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	chmod(f->root, 0755);
	make_tree(f->root);
	assert_int_equal(ftpd_conf_load(&f->conf, NULL, overrides, n, NULL, NULL, err, sizeof err), 0);
	f->rootfd = fs_root_open(f->root);
	assert_true(f->rootfd >= 0);
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40000) };
	struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(21) };
	inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &local.sin_addr);
	session_init(&f->s, &f->conf, NULL, f->rootfd, &fake_ops, &f->io,
		     (struct sockaddr *)&peer, (struct sockaddr *)&local);
	f->io.s = &f->s;
	return f;
}

static void fixture_free(struct fixture *f)
{
	char cmd[128];
	session_free(&f->s);
	ftpd_conf_free(&f->conf);
	close(f->rootfd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
}

/* Runs the command lines of text; returns the replies they produced. */
static const char *say(struct fixture *f, const char *text)
{
	struct cmd_reader r;
	struct cmd_line line;
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), used;
	cmd_reader_init(&r);
	while (len > 0) {
		if (cmd_next(&r, p, len, &used, &line) == CMD_LINE)
			session_command(&f->s, &line);
		p += used;
		len -= used;
	}
	snprintf(f->reply, sizeof f->reply, "%.*s", (int)f->s.out.len,
		 f->s.out.data ? f->s.out.data : "");
	f->s.out.len = 0;
	return f->reply;
}

static void login(struct fixture *f)
{
	assert_string_equal(say(f, "USER anonymous\r\nPASS me@\r\n"),
			    "331 Please specify the password.\r\n230 Login successful.\r\n");
}

static void test_login_rules(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	assert_string_equal(say(f, "LIST\r\n"), "530 Please login with USER and PASS.\r\n");
	/* as vsftpd: only USER, PASS, QUIT, FEAT and OPTS before login */
	assert_string_equal(say(f, "syst\r\nHELP\r\nNOOP\r\nREIN\r\n"),
			    "530 Please login with USER and PASS.\r\n"
			    "530 Please login with USER and PASS.\r\n"
			    "530 Please login with USER and PASS.\r\n"
			    "530 Please login with USER and PASS.\r\n");
	assert_string_equal(say(f, "OPTS UTF8 ON\r\n"), "200 Always in UTF8 mode.\r\n");
	assert_string_equal(say(f, "USER root\r\n"), "530 This FTP server is anonymous only.\r\n");
	assert_false(f->s.logged_in);
	login(f);
	assert_string_equal(say(f, "XYZZ\r\n"), "500 Unknown command.\r\n");
	assert_string_equal(say(f, "syst\r\n"), "215 UNIX Type: L8\r\n");
	assert_string_equal(say(f, "CWD\r\n"), "550 Failed to change directory.\r\n");
	assert_string_equal(say(f, "USER anonymous\r\n"), "530 Can't change from guest user.\r\n");
	fixture_free(f);
}

static void test_local_users_not_served(void **state)
{
	char *over[] = { "local_enable=YES" };
	struct fixture *f = fixture_new(over, 1);
	assert_string_equal(say(f, "USER root\r\nPASS secret\r\nPWD\r\n"),
			    "331 Please specify the password.\r\n"
			    "530 Login incorrect: local users are not served by this build "
			    "(anonymous read-only).\r\n"
			    "530 Please login with USER and PASS.\r\n");
	fixture_free(f);
}

static void test_read_only(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	const char *verbs[] = { "STOR x", "APPE x", "DELE pub/a.txt", "MKD d", "RMD pub",
				"RNFR pub/a.txt", "SITE CHMOD 777 pub" };
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "%s\r\n", verbs[i]);
		assert_non_null(strstr(say(f, line), "550 Permission denied"));
	}
	fixture_free(f);
}

static void test_traversal_and_symlinks(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	assert_string_equal(say(f, "CWD ../../..\r\nPWD\r\n"),
			    "250 Directory successfully changed.\r\n"
			    "257 \"/\" is the current directory\r\n");
	assert_string_equal(say(f, "CWD pub/up\r\n"), "550 Failed to change directory.\r\n");
	assert_string_equal(say(f, "CWD pub/nope\r\n"), "550 Failed to change directory.\r\n");
	assert_string_equal(say(f, "SIZE pub/escape\r\n"), "550 Could not get file size.\r\n");
	assert_string_equal(say(f, "SIZE ../../pub/a.txt\r\n"), "213 12\r\n");
	assert_string_equal(say(f, "PASV\r\nRETR pub/escape\r\n"),
			    "227 Entering Passive Mode (127,0,0,1,21,179).\r\n"
			    "550 Failed to open file.\r\n");
	assert_string_equal(say(f, "RETR pub/secret\r\n"), "550 Failed to open file.\r\n");
	assert_string_equal(say(f, "RETR /etc/passwd\r\n"), "550 Failed to open file.\r\n");
	assert_int_equal(f->io.starts, 0);
	fixture_free(f);
}

static void test_data_connection_policy(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	assert_string_equal(say(f, "RETR pub/a.txt\r\n"), "425 Use PORT or PASV first.\r\n");
	assert_non_null(strstr(say(f, "PORT 10,0,0,1,20,0\r\n"), "500 Illegal PORT command"));
	assert_non_null(strstr(say(f, "PORT 127,0,0,1,0,21\r\n"), "500 Illegal PORT command"));
	/* vsftpd's replies, each verb its own */
	assert_string_equal(say(f, "EPRT |1|192.0.2.1|4000|\r\n"), "500 Illegal PORT command.\r\n");
	assert_string_equal(say(f, "EPRT garbage\r\nPORT\r\n"),
			    "500 Bad EPRT command.\r\n500 Illegal PORT command.\r\n");
	assert_string_equal(say(f, "EPRT |1|127.0.0.1|4000|\r\n"),
			    "200 EPRT command successful. Consider using EPSV.\r\n");
	assert_string_equal(say(f, "PORT 127,0,0,1,156,64\r\n"),
			    "200 PORT command successful. Consider using PASV.\r\n");
	assert_int_equal(f->s.data_mode, DATA_PORT);
	assert_string_equal(say(f, "EPSV\r\n"), "229 Entering Extended Passive Mode (|||5555|)\r\n");
	assert_string_equal(say(f, "EPSV 1\r\n"), "229 Entering Extended Passive Mode (|||5555|)\r\n");
	/* RFC 2428: IPv6 on an IPv4 control connection is refused, as vsftpd does */
	assert_string_equal(say(f, "EPSV 2\r\n"), "522 Bad network protocol.\r\n");
	assert_string_equal(say(f, "EPSV ALL\r\nPASV\r\n"),
			    "200 EPSV ALL ok.\r\n550 Permission denied.\r\n");
	fixture_free(f);
}

static void test_port_promiscuous(void **state)
{
	char *over[] = { "port_promiscuous=YES" };
	struct fixture *f = fixture_new(over, 1);
	login(f);
	assert_non_null(strstr(say(f, "PORT 10,0,0,1,20,0\r\n"), "200 PORT"));
	fixture_free(f);
}

/* vsftpd's default sends a file as it is in TYPE A; the key converts it,
 * and then refuses a resume (no file offset for a converted one). */
static void test_type_a_download(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	say(f, "TYPE A\r\nPASV\r\n");
	assert_string_equal(say(f, "RETR pub/a.txt\r\n"), "");
	assert_false(f->s.xfer.ascii);
	session_xfer_connected(&f->s);
	assert_non_null(strstr(say(f, ""), "150 Opening BINARY mode"));
	fixture_free(f);

	char *over[] = { "ascii_download_enable=YES" };
	f = fixture_new(over, 1);
	login(f);
	say(f, "TYPE A\r\nPASV\r\nREST 5\r\n");
	assert_string_equal(say(f, "RETR pub/a.txt\r\n"),
			    "550 No support for resume of ASCII transfer.\r\n");
	assert_string_equal(say(f, "RETR pub/a.txt\r\n"), "");
	assert_true(f->s.xfer.ascii);
	fixture_free(f);
}

static void test_rest_retr_and_done(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	say(f, "TYPE I\r\nPASV\r\nREST 5\r\n");
	assert_string_equal(say(f, "RETR pub/a.txt\r\n"), "");
	assert_int_equal(f->io.starts, 1);
	assert_true(f->s.busy);
	assert_int_equal(f->s.xfer.offset, 5);
	assert_int_equal(f->s.xfer.end, 12);
	assert_false(f->s.xfer.ascii);
	session_xfer_connected(&f->s);
	f->s.xfer.bytes = 7;
	session_xfer_done(&f->s, XFER_OK);
	/* the name as the client gave it, as vsftpd's 150 */
	assert_string_equal(say(f, ""), "150 Opening BINARY mode data connection for pub/a.txt "
					"(12 bytes).\r\n226 Transfer complete.\r\n");
	assert_false(f->s.busy);
	assert_int_equal(f->s.rest, 0);
	assert_int_equal(f->s.data_mode, DATA_NONE);
	say(f, "CWD pub\r\nPASV\r\nRETR ./../pub/a.txt\r\n");
	session_xfer_connected(&f->s);
	assert_string_equal(say(f, ""), "150 Opening BINARY mode data connection for "
					"./../pub/a.txt (12 bytes).\r\n");
	session_xfer_done(&f->s, XFER_OK);
	fixture_free(f);
}

/* curl's SIZE then RETR: the file SIZE opened is the one sent; SIZE of
 * another file, or of one RETR cannot send, leaves nothing open. */
static void test_size_then_retr(void **state)
{
	char *over[] = { "hide_file={secret}" };
	struct fixture *f = fixture_new(over, 1);
	login(f);
	assert_string_equal(say(f, "SIZE pub/a.txt\r\n"), "213 12\r\n");
	int kept = f->s.sized_fd;
	assert_true(kept >= 0);
	assert_string_equal(say(f, "SIZE pub/secret\r\n"), "213 2\r\n");   /* by stat */
	assert_int_equal(f->s.sized_fd, -1);
	say(f, "SIZE /pub/a.txt\r\nTYPE I\r\nPASV\r\n");
	kept = f->s.sized_fd;
	assert_string_equal(say(f, "RETR a.txt\r\n"), "550 Failed to open file.\r\n");
	assert_int_equal(f->s.sized_fd, -1);   /* another path: dropped */
	say(f, "SIZE pub/a.txt\r\n");
	kept = f->s.sized_fd;
	assert_string_equal(say(f, "RETR pub/a.txt\r\n"), "");
	assert_int_equal(f->s.xfer.fd, kept);
	assert_int_equal(f->s.xfer.end, 12);
	assert_int_equal(f->s.sized_fd, -1);
	session_xfer_done(&f->s, XFER_OK);
	fixture_free(f);
}

static void test_listing_and_abor(void **state)
{
	char *over[] = { "hide_file={secret}" };
	struct fixture *f = fixture_new(over, 1);
	login(f);
	say(f, "PASV\r\nLIST -la pub\r\n");
	assert_true(f->s.busy);
	const char *text = f->s.xfer.listing.data;
	assert_non_null(strstr(text, " a.txt\r\n"));
	assert_non_null(strstr(text, " escape -> /etc/passwd\r\n"));
	assert_null(strstr(text, "secret"));
	assert_string_equal(say(f, "ABOR\r\n"), "426 Transfer aborted.\r\n226 ABOR successful.\r\n");
	assert_string_equal(say(f, "ABOR\r\n"), "225 No transfer to ABOR.\r\n");
	fixture_free(f);
}

/* The listing text of one LIST/NLST line (ended with ABOR). */
static char *listing_of(struct fixture *f, const char *cmd)
{
	say(f, "PASV\r\n");
	say(f, cmd);
	assert_true(f->s.busy);
	char *text = strdup(f->s.xfer.listing.data ? f->s.xfer.listing.data : "");
	say(f, "ABOR\r\n");
	return text;
}

static void test_listing_globs_and_options(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	put_file(f->root, "pub/b.rpm", "b", 0644);
	put_file(f->root, "pub/c.rpm", "c", 0644);
	put_file(f->root, "pub/.hidden.rpm", "h", 0644);
	login(f);
	/* NLST names carry the directory named, as vsftpd's: mget RETRs them */
	char *text = listing_of(f, "NLST pub/*.rpm\r\n");
	assert_string_equal(text, "pub/b.rpm\r\npub/c.rpm\r\n");
	free(text);
	text = listing_of(f, "NLST -a pub/?.rpm\r\n");   /* -a: dot files too */
	assert_string_equal(text, "pub/b.rpm\r\npub/c.rpm\r\n");
	free(text);
	text = listing_of(f, "NLST -a /pub/*.rpm\r\n");
	assert_string_equal(text, "/pub/.hidden.rpm\r\n/pub/b.rpm\r\n/pub/c.rpm\r\n");
	free(text);
	text = listing_of(f, "NLST pub/b.rpm\r\n");
	assert_string_equal(text, "pub/b.rpm\r\n");
	free(text);
	say(f, "CWD pub\r\n");
	text = listing_of(f, "NLST -l [bx]*\r\n");   /* -l: LIST's long lines */
	assert_true(strstr(text, ":") && strstr(text, " b.rpm\r\n"));
	assert_int_equal(text[0], '-');
	assert_null(strstr(text, "c.rpm"));
	free(text);
	text = listing_of(f, "LIST /pub/*.none\r\n");
	assert_string_equal(text, "");
	free(text);
	text = listing_of(f, "LIST -a\r\n");
	assert_non_null(strstr(text, " .hidden.rpm\r\n"));
	assert_non_null(strstr(text, " a.txt\r\n"));
	free(text);
	fixture_free(f);
}

static void test_stat_path(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	put_file(f->root, "pub/.hidden", "h", 0644);
	const char *r = say(f, "STAT pub\r\n");
	/* as vsftpd's: unprefixed lines, dot files, "." and ".." */
	const char head[] = "213-Status follows:\r\ndrwxr-xr-x";
	assert_memory_equal(r, head, sizeof head - 1);
	assert_non_null(strstr(r, " .\r\ndrwx"));
	assert_non_null(strstr(r, " ..\r\n-rw-r--r--"));
	assert_non_null(strstr(r, " .hidden\r\n-rw-r--r--"));
	assert_non_null(strstr(r, " a.txt\r\nlrwx"));
	assert_non_null(strstr(r, " secret\r\nlrwx"));
	assert_null(strstr(r, "\r\n213-"));
	assert_non_null(strstr(r, "\r\n213 End of status\r\n"));
	r = say(f, "STAT pub/a.txt\r\n");
	assert_memory_equal(r, "213-Status follows:\r\n-rw-r--r--", 31);
	assert_non_null(strstr(r, " a.txt\r\n213 End of status\r\n"));
	/* as vsftpd: a missing path, an empty block; a symlink path, the link */
	assert_string_equal(say(f, "STAT nope\r\n"), "213-Status follows:\r\n213 End of status\r\n");
	r = say(f, "STAT pub/escape\r\n");
	assert_memory_equal(r, "213-Status follows:\r\nlrwxrwxrwx", 31);
	assert_non_null(strstr(r, " escape -> /etc/passwd\r\n213 End of status\r\n"));
	char *text = listing_of(f, "LIST pub/up\r\n");
	assert_non_null(strstr(text, " up -> ../..\r\n"));
	free(text);
	text = listing_of(f, "NLST pub/escape\r\n");
	assert_string_equal(text, "pub/escape\r\n");
	free(text);
	fixture_free(f);
}

/* STAT alone: vsftpd's lines, the limits of this configuration */
static void test_stat_session(void **state)
{
	char *over[] = { "anon_max_rate=50000", "idle_session_timeout=0" };
	struct fixture *f = fixture_new(over, 2);
	login(f);
	f->s.clients_at_start = 3;
	assert_string_equal(say(f, "TYPE I\r\nSTAT\r\n"),
			    "200 Switching to Binary mode.\r\n"
			    "211-FTP server status:\r\n"
			    "     Connected to 127.0.0.1\r\n"
			    "     Logged in as ftp\r\n"
			    "     TYPE: BINARY\r\n"
			    "     Session bandwidth limit in byte/s is 50000\r\n"
			    "     No session timeout\r\n"
			    "     Control connection is plain text\r\n"
			    "     Data connections will be plain text\r\n"
			    "     At session startup, client count was 3\r\n"
			    "     pxe-ftpd " PXE_VERSION "\r\n"
			    "211 End of status\r\n");
	fixture_free(f);
	f = fixture_new(NULL, 0);
	login(f);
	const char *r = say(f, "STAT\r\n");
	assert_non_null(strstr(r, "\r\n     TYPE: ASCII\r\n     No session bandwidth limit\r\n"
				  "     Session timeout in seconds is 300\r\n"));
	assert_null(strstr(r, "client count"));   /* none counted: inetd mode, as vsftpd */
	fixture_free(f);
}

/* The replies vsftpd gives to commands without their argument, odd
 * arguments, and the verbs it knows but does not serve. */
static void test_odd_arguments(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	assert_string_equal(say(f, "TYPE\r\nMODE\r\nSTRU\r\nMODE B\r\nOPTS\r\nOPTS UTF8\r\n"),
			    "500 Unrecognised TYPE command.\r\n504 Bad MODE command.\r\n"
			    "504 Bad STRU command.\r\n504 Bad MODE command.\r\n"
			    "501 Option not understood.\r\n501 Option not understood.\r\n");
	assert_string_equal(say(f, "SIZE\r\nMDTM\r\nSIZE pub\r\nMDTM pub\r\nCWD pub/a.txt\r\n"),
			    "550 Could not get file size.\r\n"
			    "550 Could not get file modification time.\r\n"
			    "550 Could not get file size.\r\n"
			    "550 Could not get file modification time.\r\n"
			    "550 Failed to change directory.\r\n");
	assert_string_equal(say(f, "PASV\r\nRETR\r\n"),
			    "227 Entering Passive Mode (127,0,0,1,21,179).\r\n"
			    "550 Failed to open file.\r\n");
	assert_string_equal(say(f, "ALLO 100\r\nREIN\r\nSMNT x\r\nACCT x\r\nSTOR x\r\nSITE HELP\r\n"),
			    "202 ALLO command ignored.\r\n502 REIN not implemented.\r\n"
			    "502 SMNT not implemented.\r\n502 ACCT not implemented.\r\n"
			    "550 Permission denied.\r\n550 Permission denied.\r\n");
	fixture_free(f);
}

/* HELP: vsftpd's layout, the verbs of the table */
static void test_help(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	const char *r = say(f, "HELP RETR\r\n");
	const char head[] = "214-The following commands are recognized.\r\n"
			    " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\r\n"
			    " MLSD MLST MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR\r\n";
	assert_memory_equal(r, head, sizeof head - 1);
	assert_non_null(strstr(r, " XPWD XRMD\r\n214 Help OK.\r\n"));
	fixture_free(f);
}

/* deny_file: vsftpd's "550 Permission denied." whatever the command,
 * and for a symlink to a denied name too (it matches the real path) */
static void test_deny_file_everywhere(void **state)
{
	char *over[] = { "deny_file={*.txt,sub}" };
	struct fixture *f = fixture_new(over, 1);
	char path[256];
	snprintf(path, sizeof path, "%s/pub/sub", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/pub/alias", f->root);
	assert_int_equal(symlink("a.txt", path), 0);
	snprintf(path, sizeof path, "%s/pub/door", f->root);
	assert_int_equal(symlink("sub", path), 0);
	login(f);
	const char *denied = "550 Permission denied.\r\n";
	const char *cmds[] = { "STAT pub/a.txt", "SIZE pub/a.txt", "MDTM pub/alias", "CWD pub/sub",
			       "CWD pub/door", "STAT pub/door", "SIZE pub/alias", "MLST pub/a.txt" };
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "%s\r\n", cmds[i]);
		assert_string_equal(say(f, line), denied);
	}
	say(f, "PASV\r\n");
	assert_string_equal(say(f, "LIST pub/a.txt\r\nNLST pub/sub\r\nRETR pub/alias\r\n"),
			    "550 Permission denied.\r\n550 Permission denied.\r\n"
			    "550 Permission denied.\r\n");
	assert_int_equal(f->io.starts, 0);
	fixture_free(f);
}

static void test_cmds_denied(void **state)
{
	char *over[] = { "cmds_denied=SIZE,MDTM,USER,PASS" };
	struct fixture *f = fixture_new(over, 1);
	login(f);   /* the lists apply after login, as in vsftpd */
	assert_string_equal(say(f, "SIZE pub/a.txt\r\n"), "550 Permission denied.\r\n");
	assert_string_equal(say(f, "NOOP\r\n"), "200 NOOP ok.\r\n");
	fixture_free(f);
}

static void test_cmds_allowed(void **state)
{
	char *over[] = { "cmds_allowed=PASV,RETR,QUIT" };   /* vsftpd.conf(5)'s example */
	struct fixture *f = fixture_new(over, 1);
	assert_non_null(strstr(say(f, "FEAT\r\n"), "211 End\r\n"));
	login(f);
	assert_string_equal(say(f, "PWD\r\n"), "550 Permission denied.\r\n");
	assert_string_equal(say(f, "QUIT\r\n"), "221 Goodbye.\r\n");
	assert_true(f->s.quit);
	fixture_free(f);
}

static void test_messages(void **state)
{
	char *over[] = { "dirmessage_enable=YES", "ftpd_banner=Install tree", "dirlist_enable=NO" };
	struct fixture *f = fixture_new(over, 3);
	put_file(f->root, "pub/.message", "Welcome to pub\r\n250 fake end\n", 0644);
	session_greet(&f->s, "line one\nline two\n");
	assert_string_equal(say(f, ""), "220-line one\r\n220-line two\r\n220 Install tree\r\n");
	login(f);
	assert_string_equal(say(f, "CWD pub\r\n"), "250-Welcome to pub\r\n250-250 fake end\r\n"
						   "250 Directory successfully changed.\r\n");
	assert_string_equal(say(f, "CDUP\r\n"), "250 Directory successfully changed.\r\n");
	/* once a session per directory, as vsftpd: not on coming back */
	assert_string_equal(say(f, "CWD /pub\r\nCWD ../pub/\r\n"),
			    "250 Directory successfully changed.\r\n"
			    "250 Directory successfully changed.\r\n");
	assert_string_equal(say(f, "PASV\r\nLIST\r\n"),
			    "227 Entering Passive Mode (127,0,0,1,21,179).\r\n550 Permission denied.\r\n");
	fixture_free(f);
}

/* vsftpd remembers the real directory (its getcwd()), not the path walked:
 * a second path to one directory, through a symlink, shows no message */
static void test_message_per_real_directory(void **state)
{
	char *over[] = { "dirmessage_enable=YES" };
	struct fixture *f = fixture_new(over, 1);
	char path[256];
	snprintf(path, sizeof path, "%s/tree", f->root);
	assert_int_equal(symlink("pub", path), 0);
	put_file(f->root, "pub/.message", "Welcome to pub\n", 0644);
	login(f);
	assert_string_equal(say(f, "CWD tree\r\n"), "250-Welcome to pub\r\n"
						    "250 Directory successfully changed.\r\n");
	assert_string_equal(say(f, "CWD /pub\r\n"), "250 Directory successfully changed.\r\n");
	fixture_free(f);
}

/* vsftpd shows the root's message with the 230, and then not on a CWD to it */
static void test_login_message(void **state)
{
	char *over[] = { "dirmessage_enable=YES" };
	struct fixture *f = fixture_new(over, 1);
	put_file(f->root, ".message", "Install tree\n", 0644);
	assert_string_equal(say(f, "USER ftp\r\nPASS x\r\nCWD /\r\n"),
			    "331 Please specify the password.\r\n230-Install tree\r\n"
			    "230 Login successful.\r\n250 Directory successfully changed.\r\n");
	fixture_free(f);
}

/* LIST -a and NLST -a show "." and "..", as vsftpd; force_dot_files shows
 * dot files only; at the root ".." is the root. */
static void test_list_all_dot_dirs(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	char *text = listing_of(f, "NLST -a pub\r\n");
	assert_string_equal(text, "pub/.\r\npub/..\r\npub/a.txt\r\npub/escape\r\n"
				  "pub/secret\r\npub/up\r\n");
	free(text);
	text = listing_of(f, "LIST -la\r\n");
	const char *dot = strstr(text, " .\r\n"), *dotdot = strstr(text, " ..\r\n");
	assert_true(dot && dotdot && dot < dotdot);
	assert_int_equal(dot[-1], dotdot[-1]);   /* same date: the root itself */
	assert_memory_equal(text, dotdot - (dot - text), (size_t)(dot - text));
	free(text);
	text = listing_of(f, "LIST\r\n");
	assert_null(strstr(text, " .\r\n"));
	free(text);
	fixture_free(f);
	char *over[] = { "force_dot_files=YES" };
	f = fixture_new(over, 1);
	put_file(f->root, ".message", "m", 0644);
	login(f);
	text = listing_of(f, "NLST\r\n");
	assert_string_equal(text, ".message\r\npub\r\n");
	free(text);
	fixture_free(f);
}

/* MLSD advertises perm=r only on what RETR opens. */
static void test_mlsd_perm_as_retr(void **state)
{
	struct fixture *f = fixture_new(NULL, 0);
	login(f);
	char *text = listing_of(f, "MLSD pub\r\n");
	assert_non_null(strstr(text, ";perm=r;UNIX.mode=0644; a.txt\r\n"));
	assert_non_null(strstr(text, "type=OS.unix=symlink;"));
	assert_non_null(strstr(text, ";perm=;UNIX.mode=0777; escape\r\n"));
	assert_non_null(strstr(text, ";perm=;UNIX.mode=0600; secret\r\n"));
	assert_non_null(strstr(text, ";perm=;UNIX.mode=0777; up\r\n"));   /* ../.. is above */
	free(text);
	fixture_free(f);
	char *over[] = { "deny_file={a.*}" };
	f = fixture_new(over, 1);
	login(f);
	text = listing_of(f, "MLSD pub\r\n");
	assert_non_null(strstr(text, ";perm=;UNIX.mode=0644; a.txt\r\n"));
	free(text);
	assert_string_equal(say(f, "PASV\r\nRETR pub/a.txt\r\n"),
			    "227 Entering Passive Mode (127,0,0,1,21,179).\r\n"
			    "550 Permission denied.\r\n");
	fixture_free(f);
}

/* Both logs kept, in temporary files. */
struct logs_fixture {
	struct session_logs logs;
	char text[4096];
};

static void logs_attach(struct fixture *f, struct logs_fixture *l)
{
	FILE *std = tmpfile(), *own = tmpfile();
	assert_non_null(std);
	assert_non_null(own);
	l->logs = (struct session_logs){ .xferlog_fd = dup(fileno(std)),
					 .vsftpd_fd = dup(fileno(own)) };
	fclose(std);
	fclose(own);
	f->s.logs = &l->logs;
}

/* The text of one log so far. */
static const char *log_text(struct logs_fixture *l, int fd)
{
	ssize_t n = pread(fd, l->text, sizeof l->text - 1, 0);
	l->text[n > 0 ? n : 0] = '\0';
	return l->text;
}

static void logs_close(struct logs_fixture *l)
{
	close(l->logs.xferlog_fd);
	close(l->logs.vsftpd_fd);
}

static size_t count_of(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}

/* A RETR refused at open is logged as vsftpd logs it: FAIL DOWNLOAD and
 * an incomplete xferlog line; a directory (browsers RETR those) is not. */
static void test_refused_retr_logged(void **state)
{
	char *over[] = { "deny_file={*.iso}" };
	struct fixture *f = fixture_new(over, 1);
	struct logs_fixture l;
	put_file(f->root, "pub/dvd.iso", "d", 0644);
	login(f);
	logs_attach(f, &l);
	assert_string_equal(say(f, "PASV\r\nRETR pub/none\r\nRETR pub/secret\r\n"
				   "RETR pub/dvd.iso\r\nRETR pub\r\n"),
			    "227 Entering Passive Mode (127,0,0,1,21,179).\r\n"
			    "550 Failed to open file.\r\n550 Failed to open file.\r\n"
			    "550 Permission denied.\r\n550 Failed to open file.\r\n");
	const char *own = log_text(&l, l.logs.vsftpd_fd);
	assert_int_equal(count_of(own, "[ftp] FAIL DOWNLOAD: Client \"127.0.0.1\", \"/pub/"), 3);
	assert_non_null(strstr(own, "\"/pub/none\", 0.00Kbyte/sec\n"));
	assert_non_null(strstr(own, "\"/pub/secret\", 0.00Kbyte/sec\n"));
	assert_non_null(strstr(own, "\"/pub/dvd.iso\", 0.00Kbyte/sec\n"));
	const char *std = log_text(&l, l.logs.xferlog_fd);
	assert_int_equal(count_of(std, " 1 127.0.0.1 0 /pub/"), 3);
	assert_non_null(strstr(std, " 0 /pub/dvd.iso a _ o a me@ ftp 0 * i\n"));
	logs_close(&l);
	fixture_free(f);
}

/* no_anon_password: vsftpd logs the password as <no_password> */
static void test_no_anon_password_logged(void **state)
{
	char *over[] = { "no_anon_password=YES" };
	struct fixture *f = fixture_new(over, 1);
	struct logs_fixture l;
	logs_attach(f, &l);
	assert_string_equal(say(f, "USER anonymous\r\n"), "230 Login successful.\r\n");
	say(f, "PASV\r\nRETR pub/none\r\n");
	assert_non_null(strstr(log_text(&l, l.logs.vsftpd_fd),
			       "[ftp] OK LOGIN: Client \"127.0.0.1\", anon password \"<no_password>\"\n"));
	assert_non_null(strstr(log_text(&l, l.logs.xferlog_fd),
			       " /pub/none a _ o a <no_password> ftp 0 * i\n"));
	logs_close(&l);
	fixture_free(f);
}

/* MDTM in local time with use_localtime=YES, as vsftpd 3.0.3 answers */
static void test_mdtm_localtime(void **state)
{
	char *over[] = { "use_localtime=YES" };
	struct fixture *f = fixture_new(over, 1);
	char path[128];
	snprintf(path, sizeof path, "%s/pub/a.txt", f->root);
	struct timespec times[2] = { { 1764000000, 0 }, { 1764000000, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	setenv("TZ", "KST-9", 1);
	tzset();
	login(f);
	assert_string_equal(say(f, "MDTM pub/a.txt\r\n"), "213 20251125010000\r\n");
	fixture_free(f);
	f = fixture_new(NULL, 0);
	snprintf(path, sizeof path, "%s/pub/a.txt", f->root);
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	login(f);
	assert_string_equal(say(f, "MDTM pub/a.txt\r\n"), "213 20251124160000\r\n");
	fixture_free(f);
	setenv("TZ", "UTC", 1);
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_rules),
		cmocka_unit_test(test_local_users_not_served),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_traversal_and_symlinks),
		cmocka_unit_test(test_data_connection_policy),
		cmocka_unit_test(test_port_promiscuous),
		cmocka_unit_test(test_type_a_download),
		cmocka_unit_test(test_rest_retr_and_done),
		cmocka_unit_test(test_size_then_retr),
		cmocka_unit_test(test_listing_and_abor),
		cmocka_unit_test(test_listing_globs_and_options),
		cmocka_unit_test(test_stat_path),
		cmocka_unit_test(test_stat_session),
		cmocka_unit_test(test_odd_arguments),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_deny_file_everywhere),
		cmocka_unit_test(test_cmds_denied),
		cmocka_unit_test(test_cmds_allowed),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_login_message),
		cmocka_unit_test(test_message_per_real_directory),
		cmocka_unit_test(test_list_all_dot_dirs),
		cmocka_unit_test(test_mlsd_perm_as_retr),
		cmocka_unit_test(test_refused_retr_logged),
		cmocka_unit_test(test_no_anon_password_logged),
		cmocka_unit_test(test_mdtm_localtime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
