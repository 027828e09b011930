#include "setup.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "sock.h"
#include "svc.h"

#define LISTEN_BACKLOG 4096

static int listen_on(const char *addr, int family, unsigned long port, int *fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (sock_addr_parse(addr, (uint16_t)port, family, &ss, &len) != 0) {
		log_err("bad listen address \"%s\"", addr ? addr : "");
		return -1;
	}
	*fd = sock_tcp_listen((struct sockaddr *)&ss, len, LISTEN_BACKLOG,
			      SOCK_F_REUSEADDR | SOCK_F_NONBLOCK);
	if (*fd < 0) {
		char where[80];
		log_err("cannot listen on %s: %m",
			sock_addr_str((struct sockaddr *)&ss, 1, where, sizeof where));
		return -1;
	}
	return 0;
}

static int find_listeners(const struct ftpd_conf *c, int *fds, size_t *n, int *inetd_fd)
{
	int passed = svc_listen_fds();
	*n = 0;
	*inetd_fd = -1;
	for (int i = 0; i < passed && *n < SETUP_MAX_LISTEN; i++)
		fds[(*n)++] = SVC_LISTEN_FDS_START + i;
	if (*n > 0)
		return 0;
	if (c->listen && c->listen_ipv6) {
		log_err("listen and listen_ipv6 are mutually exclusive (as in vsftpd)");
		return -1;
	}
	if (!c->listen && !c->listen_ipv6) {
		if (svc_socket_type(STDIN_FILENO) == SOCK_STREAM) {
			*inetd_fd = STDIN_FILENO;
			return 0;
		}
		log_err("neither listen nor listen_ipv6 is set (inetd mode), but fd 0 is not "
			"a connected TCP socket");
		return -1;
	}
	int rc = c->listen ? listen_on(c->listen_address, AF_INET, c->listen_port, &fds[0]) :
			     listen_on(c->listen_address6, AF_INET6, c->listen_port, &fds[0]);
	*n = rc == 0 ? 1 : 0;
	return rc;
}

/* Urgent bytes stay in the command stream (as vsftpd): ftplib sends ABOR's,
 * lftp the DM of IAC IP IAC DM, with MSG_OOB; out of line, ABOR is lost.
 * Accepted sockets inherit it from their listener. */
static void keep_urgent_inline(int fd)
{
	int on = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &on, sizeof on) != 0)
		log_warn("SO_OOBINLINE: %m");
}

int setup_listeners(const struct ftpd_conf *c, int *fds, size_t *n, int *inetd_fd)
{
	if (find_listeners(c, fds, n, inetd_fd) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		keep_urgent_inline(fds[i]);
	if (*inetd_fd >= 0)
		keep_urgent_inline(*inetd_fd);
	return 0;
}

int setup_anon_root(const struct ftpd_conf *c, char *root, size_t size)
{
	const char *dir = c->anon_root;
	struct passwd *pw = dir ? NULL : getpwnam(c->ftp_username);
	if (!dir && !pw) {
		log_err("anon_root is unset and ftp_username \"%s\" does not exist",
			c->ftp_username);
		return -1;
	}
	if (!dir)
		dir = pw->pw_dir;
	struct stat st;
	if (!realpath(dir, root) || strlen(root) >= size || stat(root, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		log_err("anonymous root %s is not a directory", dir);
		return -1;
	}
	return 0;
}

static int open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		log_err("cannot open log %s: %m", path);
	return fd;
}

int setup_logs(const struct ftpd_conf *c, struct session_logs *logs)
{
	/* as vsftpd: dual_log_enable writes both logs, even on its own */
	bool logging = c->xferlog_enable || c->dual_log_enable;
	bool std_log = logging && (c->xferlog_std_format || c->dual_log_enable);
	bool own_log = logging && (!c->xferlog_std_format || c->dual_log_enable);
	logs->xferlog_fd = -1;
	logs->vsftpd_fd = -1;
	logs->vsftpd_syslog = own_log && c->syslog_enable;
	if (std_log && (logs->xferlog_fd = open_log(c->xferlog_file)) < 0)
		return -1;
	if (own_log && !c->syslog_enable && (logs->vsftpd_fd = open_log(c->vsftpd_log_file)) < 0)
		return -1;
	return 0;
}

char *setup_banner(const struct ftpd_conf *c)
{
	if (!c->banner_file)
		return NULL;
	FILE *f = fopen(c->banner_file, "re");
	if (!f) {
		log_warn("cannot read banner_file %s: %m", c->banner_file);
		return NULL;
	}
	char *text = calloc(1, 4096);
	size_t n = text ? fread(text, 1, 4095, f) : 0;
	fclose(f);
	while (text && n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	return text;
}

int setup_background(const struct ftpd_conf *c)
{
	if (!c->background || (!c->listen && !c->listen_ipv6))
		return 0;
	pid_t pid = fork();
	if (pid < 0) {
		log_err("fork: %m");
		return -1;
	}
	if (pid > 0)
		_exit(0);
	setsid();
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return 0;
}
