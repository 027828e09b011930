/* pxe-tftpd: a drop-in for tftp-hpa's in.tftpd. Parse flags, open the
 * sockets and directories, drop privileges, run the loop. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "args.h"
#include "event.h"
#include "io.h"
#include "listen.h"
#include "log.h"
#include "mapfile.h"
#include "privdrop.h"
#include "svc.h"

static const char usage[] =
	"usage: in.tftpd [-lL46scpvVh] [-a [addr][:port]] [-u user] [-U umask] [-P pidfile]\n"
	"       [-t secs] [-T usecs] [-m remapfile] [-r option] [-B maxblksize] [-R lo:hi]\n"
	"       [--verbosity N] directory...\n";

static struct tftpd_server srv;    /* large: not on the stack */
static int root_fds[TFTPD_DIRS_MAX];
static bool log_on_stderr;         /* else start-up errors go to stderr too */

static void __attribute__((noreturn, format(printf, 2, 3))) die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!log_on_stderr) {
		va_list copy;
		va_copy(copy, ap);
		fputs("in.tftpd: ", stderr);
		vfprintf(stderr, fmt, copy);
		fputc('\n', stderr);
		va_end(copy);
	}
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(status);
}

/* Without -s, in.tftpd checks no directory at start-up: a missing one
 * only makes its files not found. So here it is logged and left out,
 * unless none is left (nothing to serve: in.tftpd's EX_NOINPUT, as for a
 * missing -s directory). */
static void open_roots(struct tftpd_conf *conf)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < conf->n_dirs; i++) {
		int fd = open(conf->dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && (conf->secure || (kept == 0 && i + 1 == conf->n_dirs)))
			die(EX_NOINPUT, "%s: %m", conf->dirs[i]);
		if (fd < 0) {
			log_warn("%s: %m (not served)", conf->dirs[i]);
			continue;
		}
		conf->dirs[kept] = conf->dirs[i];
		root_fds[kept++] = fd;
	}
	conf->n_dirs = kept;
	srv.files = (struct file_table){ .root_fds = root_fds, .n_roots = conf->n_dirs,
					 .permissive = conf->permissive, .create = conf->create,
					 .in_root = conf->secure, .umask = conf->umask };
}

/* As in.tftpd: a pid file that cannot be written is logged, not fatal. */
static void write_pidfile(const char *path)
{
	if (!path)
		return;
	FILE *f = fopen(path, "we");
	if (!f) {
		log_err("cannot open pid file '%s' for writing: %m", path);
		return;
	}
	bool written = fprintf(f, "%ld\n", (long)getpid()) > 0;
	if (fclose(f) != 0 || !written)
		log_err("error writing pid file '%s': %m", path);
}

/* Standalone with -s, SIGHUP re-reads the -m file through the fd opened
 * now: inside the chroot its name would not reach it (or would reach a
 * file under the served directory). A file that cannot be opened is
 * in.tftpd's EX_NOINPUT, with its words; a bad rule EX_CONFIG. */
static void load_remap(const struct tftpd_conf *conf, enum listen_mode mode)
{
	char err[512];
	int fd;

	srv.remap_fd = -1;
	if (!conf->remap_file)
		return;
	if ((fd = open(conf->remap_file, O_RDONLY | O_CLOEXEC)) < 0)
		die(EX_NOINPUT, "Cannot open map file: %s: %m", conf->remap_file);
	if (!(srv.remap = mapfile_read(fd, conf->remap_file, err, sizeof err)))
		die(EX_CONFIG, "%s", err);
	if (conf->secure && mode == LISTEN_STANDALONE)
		srv.remap_fd = fd;
	else
		close(fd);
}

static void drop_privileges(const struct tftpd_conf *conf)
{
	struct privdrop_ids ids;
	char err[256];

	if (privdrop_resolve(conf->user, NULL, &ids, err, sizeof err) != 0)
		die(EX_NOUSER, "%s", err);
	if (privdrop_apply(&ids, conf->secure ? conf->dirs[0] : NULL, NULL, 0, err, sizeof err) != 0)
		die(EX_OSERR, "%s", err);
}

int main(int argc, char **argv)
{
	struct tftpd_conf conf;
	enum listen_mode mode;
	uv_loop_t loop;
	char err[512];
	int fds[TFTPD_LISTEN_MAX], n;

	if (tftpd_parse_args(argc, argv, &conf, err, sizeof err) != 0) {
		fprintf(stderr, "in.tftpd: %s\n%s", err, usage);
		return EX_USAGE;
	}
	if (conf.help) {
		fputs(usage, stdout);
		return 0;
	}
	if (conf.version) {
		printf("pxe-tftpd %s (in.tftpd compatible)\n", PXE_VERSION);
		return 0;
	}
	log_on_stderr = conf.foreground;
	log_open("in.tftpd", LOG_DAEMON, conf.foreground ? LOG_TARGET_STDERR : LOG_TARGET_AUTO);
	log_set_level(conf.verbosity >= 3 ? LOG_DEBUG : conf.verbosity ? LOG_INFO : LOG_NOTICE);
	event_open("tftpd");
	/* an -a host that does not resolve: in.tftpd's EX_NOINPUT */
	if ((n = listen_open(&conf, fds, TFTPD_LISTEN_MAX, &mode, err, sizeof err)) < 0)
		die(n == LISTEN_ERR_LOOKUP ? EX_NOINPUT : conf.listen ? EX_OSERR : EX_USAGE, "%s", err);
	open_roots(&conf);
	if (conf.umask_set || !conf.permissive)   /* in.tftpd: 0 unless -p inherits it */
		umask(conf.umask);
	load_remap(&conf, mode);
	/* nochdir: a relative -s directory, -P file or -m file (re-read on
	 * SIGHUP) stays relative to where it was started, as with -L. */
	if (mode == LISTEN_STANDALONE && !conf.foreground && daemon(1, 0) != 0)
		die(EX_OSERR, "daemon: %m");
	write_pidfile(conf.pidfile);
	svc_notify_open();
	drop_privileges(&conf);

	srv.conf = &conf;
	srv.policy = (struct tftp_policy){ .refused = conf.refused, .max_blksize = conf.max_blksize,
					   .timeout_us = conf.retransmit_us };
	srv.exit_when_idle = mode != LISTEN_STANDALONE;
	for (srv.n_listeners = 0; srv.n_listeners < (unsigned)n; srv.n_listeners++)
		srv.listeners[srv.n_listeners].fd = fds[srv.n_listeners];
	if (uv_loop_init(&loop) != 0 || tftpd_io_start(&srv, &loop) != 0)
		die(EX_OSERR, "cannot start the event loop");
	svc_notify("READY=1");
	tftpd_io_run(&srv);
	uv_loop_close(&loop);
	remap_free(srv.remap);
	return 0;
}
