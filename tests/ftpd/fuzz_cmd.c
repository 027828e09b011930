/* Control-connection bytes through the line reader and the command table
 * of a fresh session over a small scratch root, with io.c replaced by
 * stubs that pretend every data connection fails at once. */
#include <stdint.h>
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

static int stub_listen(void *io, struct sockaddr_storage *bound)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)bound;
	memset(bound, 0, sizeof *bound);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	return 0;
}

static void stub_reset(void *io)
{
}

static void stub_fail(void *io)
{
	session_xfer_done(io, XFER_NO_CONNECTION);
}

static const struct session_ops stub_ops = { stub_listen, stub_reset, stub_fail, stub_fail };

static char scratch[] = "/tmp/ftpd-fuzz-XXXXXX";

static void remove_scratch(void)
{
	char path[64];
	strcpy(path, scratch);
	strcat(path, "/pub");
	rmdir(path);
	rmdir(scratch);
}

/* A root holding one directory, removed at exit. */
static int scratch_root(void)
{
	char path[64];
	if (!mkdtemp(scratch))
		return -1;
	strcpy(path, scratch);
	strcat(path, "/pub");
	mkdir(path, 0755);
	chmod(scratch, 0755);
	atexit(remove_scratch);
	return fs_root_open(scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ftpd_conf conf;
	static int rootfd = -1;
	char err[256];
	if (rootfd < 0) {
		log_set_level(LOG_ERR);   /* events and notices would swamp the run */
		ftpd_conf_load_text(&conf, "", "fuzz", err, sizeof err);
		rootfd = scratch_root();
	}
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40000) };
	peer.sin_addr.s_addr = htonl(0x7f000001);
	struct session s;
	struct cmd_reader r;
	struct cmd_line line;
	session_init(&s, &conf, NULL, rootfd, &stub_ops, NULL, (struct sockaddr *)&peer,
		     (struct sockaddr *)&peer);
	s.io = &s;
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
	return 0;
}
