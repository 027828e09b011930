/* sd_notify, socket activation and inetd mode without libsystemd: the
 * protocols are a datagram of text and a few environment variables. */
#include "svc.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SVC_MAX_FDS 64
#define SVC_NAMES_MAX 1024

static int notify_fd = -1;
static char fd_names_buf[SVC_NAMES_MAX];
static const char *fd_names[SVC_MAX_FDS];
static int n_fd_names;

/* "/path" or "@abstract" into a sockaddr_un; returns the address length or 0. */
static socklen_t notify_addr(const char *name, struct sockaddr_un *sun)
{
	size_t len = strlen(name);
	if ((name[0] != '/' && name[0] != '@') || len < 2 || len >= sizeof sun->sun_path)
		return 0;
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, name, len);
	if (name[0] == '@') {
		sun->sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	}
	return (socklen_t)sizeof *sun;
}

int svc_notify_open(void)
{
	const char *name = getenv("NOTIFY_SOCKET");
	if (!name)
		return 0;
	struct sockaddr_un sun;
	socklen_t len = notify_addr(name, &sun);
	unsetenv("NOTIFY_SOCKET");
	if (!len)
		return -1;
	svc_notify_close();
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd < 0)
		return -1;
	/* Connected now, so sends still work after chroot. */
	if (connect(notify_fd, (struct sockaddr *)&sun, len) != 0) {
		svc_notify_close();
		return -1;
	}
	return 1;
}

int svc_notify(const char *state)
{
	if (notify_fd < 0)
		return 0;
	ssize_t n = send(notify_fd, state, strlen(state), MSG_NOSIGNAL);
	return n < 0 ? -1 : 0;
}

int svc_notifyf(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return svc_notify(msg);
}

void svc_notify_close(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
}

/* A decimal environment variable, or 0 if unset or malformed. */
static unsigned long long env_number(const char *var)
{
	const char *text = getenv(var);
	if (!text || text[0] < '0' || text[0] > '9')
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	return errno || *end ? 0 : v;
}

uint64_t svc_watchdog_usec(void)
{
	if (getenv("WATCHDOG_PID") && env_number("WATCHDOG_PID") != (unsigned long long)getpid())
		return 0;
	return env_number("WATCHDOG_USEC");
}

/* Splits $LISTEN_FDNAMES ("a:b:c") into fd_names. */
static void load_fd_names(int n_fds)
{
	const char *names = getenv("LISTEN_FDNAMES");
	n_fd_names = 0;
	if (!names)
		return;
	snprintf(fd_names_buf, sizeof fd_names_buf, "%s", names);
	/* By hand, not strtok: an empty name ("a::c") still takes its place. */
	for (char *tok = fd_names_buf; tok && n_fd_names < n_fds; n_fd_names++) {
		fd_names[n_fd_names] = tok;
		tok = strchr(tok, ':');
		if (tok)
			*tok++ = '\0';
	}
}

int svc_listen_fds(void)
{
	unsigned long long pid = env_number("LISTEN_PID");
	unsigned long long n = env_number("LISTEN_FDS");
	int n_fds = 0;
	if (pid == (unsigned long long)getpid() && n > 0 && n <= SVC_MAX_FDS) {
		n_fds = (int)n;
		load_fd_names(n_fds);
		for (int fd = SVC_LISTEN_FDS_START; fd < SVC_LISTEN_FDS_START + n_fds; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return n_fds;
}

const char *svc_listen_fdname(int i)
{
	return i >= 0 && i < n_fd_names ? fd_names[i] : NULL;
}

int svc_socket_type(int fd)
{
	struct stat st;
	int type;
	socklen_t len = sizeof type;
	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
		return -1;
	return type;
}

bool svc_stdin_is_socket(void)
{
	return svc_socket_type(STDIN_FILENO) >= 0;
}
