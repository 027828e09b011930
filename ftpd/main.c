/* pxe-ftpd: anonymous, read-only FTP for install trees, configured by
 * vsftpd.conf. Usage: pxe-ftpd [CONFIGFILE] [-oKEY=VALUE ...] */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "event.h"
#include "fs.h"
#include "io.h"
#include "log.h"
#include "privdrop.h"
#include "setup.h"
#include "svc.h"

static void note_not_served(const char *key, const char *file, int line, void *ctx)
{
	log_notice("%s:%d: %s: accepted but not served by this build (anonymous read-only)",
		   file ? file : "-o", line, key);
}

#define MAX_OVERRIDES 64

struct args {
	const char *conf_path;
	char *overrides[MAX_OVERRIDES];
	size_t n_overrides;
};

/* vsftpd's command line. Returns 0, or the exit status to leave with. */
static int parse_args(int argc, char **argv, struct args *a)
{
	a->conf_path = FTPD_DEFAULT_CONF;
	a->n_overrides = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			printf("pxe-ftpd %s (vsftpd.conf compatible)\n", PXE_VERSION);
			return EXIT_SUCCESS;
		} else if (strncmp(argv[i], "-o", 2) == 0 && a->n_overrides < MAX_OVERRIDES) {
			a->overrides[a->n_overrides++] = argv[i] + 2;
		} else if (argv[i][0] != '-') {
			a->conf_path = argv[i];
		} else {
			fprintf(stderr, "usage: pxe-ftpd [CONFIGFILE] [-oKEY=VALUE ...] | -v\n");
			return 2;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct args args;
	char err[512], root[PATH_MAX], perr[256];
	int rc = parse_args(argc, argv, &args);
	if (rc >= 0)
		return rc;
	/* a terminal sees start-up errors; a service logs to journal or syslog */
	log_open("pxe-ftpd", LOG_FTP, isatty(STDERR_FILENO) ? LOG_TARGET_STDERR : LOG_TARGET_AUTO);
	signal(SIGPIPE, SIG_IGN);   /* sendfile(2) to a closed peer: EPIPE, not death */

	struct ftpd_conf conf;
	if (ftpd_conf_load(&conf, args.conf_path, args.overrides, args.n_overrides, note_not_served,
			   NULL, err, sizeof err) != 0) {
		log_err("500 OOPS: %s", err);
		return 1;
	}
	if (conf.connect_from_port_20)
		log_notice("connect_from_port_20: active data connections come from an unprivileged "
			   "port (the serving process holds no capability to bind %lu)",
			   conf.ftp_data_port);
	struct session_logs logs;
	struct privdrop_ids ids;
	int listen_fds[SETUP_MAX_LISTEN], inetd_fd, rootfd = -1;
	size_t n_listen;
	char *banner = setup_banner(&conf);
	rc = 1;
	if (setup_anon_root(&conf, root, sizeof root) != 0 || setup_logs(&conf, &logs) != 0 ||
	    setup_listeners(&conf, listen_fds, &n_listen, &inetd_fd) != 0)
		goto out;
	if (privdrop_resolve(conf.ftp_username, NULL, &ids, perr, sizeof perr) != 0) {
		log_err("ftp_username: %s", perr);
		goto out;
	}
	if ((rootfd = fs_root_open(root)) < 0 || setup_background(&conf) != 0)
		goto out;
	event_open("ftpd");
	svc_notify_open();
	tzset();   /* the zone file is read now: after the chroot localtime_r keeps it */
	if (privdrop_apply(&ids, root, NULL, 0, perr, sizeof perr) != 0) {
		log_err("privilege drop: %s", perr);
		goto out;
	}

	const struct io_config io = {
		&conf, &logs, rootfd, banner, listen_fds, n_listen, inetd_fd,
	};
	if (inetd_fd < 0)
		log_notice("serving %s anonymously on port %lu", root, conf.listen_port);
	svc_notify("READY=1");
	rc = io_run(&io) == 0 ? 0 : 1;
	svc_notify("STOPPING=1");
out:
	free(banner);
	ftpd_conf_free(&conf);
	return rc;
}
