/* Control-connection bytes through the line reader and the command table
 * of a fresh session over a small scratch root, with io.c replaced by
 * stubs: an active (PORT) data connection opens and completes at once, a
 * passive one fails. Each input runs twice: from 127.0.0.1 under the
 * default vsftpd.conf, and from ::1 under one that turns on what the
 * handlers branch on (messages, hidden and denied names, hide_ids, logs). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "conf.h"
#include "fs.h"
#include "log.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A passive listener on the control connection's own address. */
static int stub_listen(void *io, struct sockaddr_storage *bound)
{
	const struct session *s = io;
	*bound = s->local;
	if (bound->ss_family == AF_INET6)
		((struct sockaddr_in6 *)bound)->sin6_port = htons(40000);
	else
		((struct sockaddr_in *)bound)->sin_port = htons(40000);
	return 0;
}

static void stub_reset(void *io)
{
}

static void stub_start(void *io)
{
	struct session *s = io;
	if (s->data_mode != DATA_PORT) {
		session_xfer_done(s, XFER_NO_CONNECTION);
		return;
	}
	struct xfer *x = &s->xfer;
	session_xfer_connected(s);
	x->bytes = x->listing.len + (x->end > x->offset ? x->end - x->offset : 0);
	session_xfer_done(s, XFER_OK);
}

/* ABOR finds no transfer in progress: stub_start ends each at once. */
static void stub_abort(void *io)
{
	session_xfer_done(io, XFER_ABORTED);
}

static const struct session_ops stub_ops = { stub_listen, stub_reset, stub_start, stub_abort };

static const char rich_conf[] =
	"dirmessage_enable=YES\nhide_ids=YES\nforce_dot_files=YES\nascii_download_enable=YES\n"
	"hide_file={*.hid,sub}\ndeny_file={*.deny}\nno_anon_password=YES\n"
	"cmds_denied=DELE,SITE\nxferlog_enable=YES\nxferlog_std_format=YES\ndual_log_enable=YES\n";

/* The scratch tree: directories end in '/', files hold their own name. */
static const char *const tree[] = {
	"pub/", "pub/sub/", "pub/.message", "pub/a.txt", "pub/b.hid", "pub/c.deny",
	"pub/sub/.message", "pub/.dot", "top.bin",
};
static char scratch[] = "/tmp/ftpd-fuzz-XXXXXX";

static void remove_scratch(void)
{
	char path[64];
	for (size_t i = sizeof tree / sizeof tree[0]; i-- > 0;) {
		snprintf(path, sizeof path, "%s/%s", scratch, tree[i]);
		remove(path);
	}
	rmdir(scratch);
}

/* A small root, removed at exit. */
static int scratch_root(void)
{
	char path[64];
	if (!mkdtemp(scratch))
		return -1;
	atexit(remove_scratch);
	for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
		size_t n = strlen(tree[i]);
		snprintf(path, sizeof path, "%s/%s", scratch, tree[i]);
		if (tree[i][n - 1] == '/') {
			mkdir(path, 0755);
			continue;
		}
		FILE *f = fopen(path, "w");
		if (f) {
			fputs(tree[i], f);
			fclose(f);
		}
	}
	chmod(scratch, 0755);
	return fs_root_open(scratch);
}

static void run_session(const struct ftpd_conf *conf, const struct session_logs *logs, int rootfd,
			const struct sockaddr *peer, const uint8_t *data, size_t size)
{
	struct session s;
	struct cmd_reader r;
	struct cmd_line line;
	session_init(&s, conf, logs, rootfd, &stub_ops, NULL, peer, peer);
	s.io = &s;
	session_greet(&s, NULL);
	cmd_reader_init(&r);
	while (size > 0 && !s.quit) {
		size_t used;
		enum cmd_result res = cmd_next(&r, data, size, &used, &line);
		if (res == CMD_LINE)
			session_command(&s, &line);
		else if (res == CMD_TOO_LONG)
			session_line_too_long(&s);
		data += used;
		size -= used;
		s.out.len = 0;
	}
	session_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ftpd_conf plain, rich;
	static struct session_logs logs;
	static int rootfd = -1;
	char err[256];
	if (rootfd < 0) {
		log_set_level(LOG_ERR);   /* events and notices would swamp the run */
		ftpd_conf_load_text(&plain, "", "fuzz", err, sizeof err);
		if (ftpd_conf_load_text(&rich, rich_conf, "fuzz-rich", err, sizeof err) != 0)
			abort();
		logs.xferlog_fd = logs.vsftpd_fd = open("/dev/null", O_WRONLY);
		rootfd = scratch_root();
	}
	struct sockaddr_in peer4 = { .sin_family = AF_INET, .sin_port = htons(40000) };
	struct sockaddr_in6 peer6 = { .sin6_family = AF_INET6, .sin6_port = htons(40000) };
	peer4.sin_addr.s_addr = htonl(0x7f000001);
	peer6.sin6_addr.s6_addr[15] = 1;
	run_session(&plain, NULL, rootfd, (struct sockaddr *)&peer4, data, size);
	run_session(&rich, &logs, rootfd, (struct sockaddr *)&peer6, data, size);
	return 0;
}
