/*
 * ftpfloor: the least CPU an FTP server spends per login, per small file
 * and per GB on bench/ftp.sh's sequences. A bench reference, not a server:
 * ftp.sh runs it beside the real ones and compiles it with
 * `cc -O2 -pthread -o ftpfloor ftpfloor.c`.
 *
 *   ftpfloor [-e] ADDR PORT ROOT
 *
 * A thread per session, blocking I/O, no logging, no limits, no timeouts,
 * no privilege drop. Commands: USER (anonymous or ftp: 230 at once, as
 * vsftpd with no_anon_password), PASS, PWD, CWD, TYPE, EPSV, PASV, SIZE,
 * RETR, QUIT; anything else 502. Per login: accept, a thread, TCP_NODELAY,
 * getsockname, then a read and a write per command. Per small file what
 * any server does: a read and a write per command; SIZE a stat; RETR an
 * open, fstat, accept, one sendfile, two closes, and the 150 and 226 in
 * one write (the file is sent before the 150, as ours does). Like ours, a
 * session keeps one passive listener (made at its first EPSV/PASV) and
 * corks it: every data connection inherits the cork and a small file
 * leaves with its FIN in one segment; a file over CORK_MAX is uncorked.
 * A big file's rest is one blocking sendfile: the kernel sleeps inside it
 * until the socket drains, no wake-up comes back to user space.
 * Not checked, as no bench client needs it: a connection queued on the
 * listener by a client that never sent RETR, ASCII mode, REST, symlinks
 * out of ROOT (".." in a path is refused).
 * -e waits in epoll_wait before each read of a command, as an event loop
 * does (an epoll instance per session: three more calls per login): the
 * difference is what the readiness model itself costs per command.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

enum { LINE_MAX_LEN = 1024, PATH_LEN = 1024, CORK_MAX = 256 * 1024, BACKLOG = 4096 };

static int root_fd;
static int with_epoll;	/* -e */

struct session {
	int ctl;		/* control connection */
	int epoll;		/* -e: waited on before each read, else -1 */
	int pasv;		/* kept passive listener, or -1 */
	int pasv_port;		/* its port */
	struct sockaddr_in local;	/* the control connection's own address */
	char cwd[PATH_LEN];	/* relative to ROOT, "" at the top */
	char in[LINE_MAX_LEN];
	size_t in_len;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void reply(struct session *s, const char *fmt, ...)
{
	char line[PATH_LEN + 64];
	va_list ap;

	va_start(ap, fmt);
	int len = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len > sizeof(line) - 3)
		len = (int)sizeof(line) - 3;
	memcpy(line + len, "\r\n", 2);
	(void)!write(s->ctl, line, (size_t)len + 2);
}

/* The next command line, NUL-terminated without its CRLF, or NULL at the
 * end of the connection. Lines already read (pipelined) are used first. */
static char *next_line(struct session *s, size_t *consumed)
{
	memmove(s->in, s->in + *consumed, s->in_len - *consumed);
	s->in_len -= *consumed;
	*consumed = 0;
	for (;;) {
		char *nl = memchr(s->in, '\n', s->in_len);
		if (nl) {
			*consumed = (size_t)(nl - s->in) + 1;
			*nl = 0;
			if (nl > s->in && nl[-1] == '\r')
				nl[-1] = 0;
			return s->in;
		}
		if (s->in_len == sizeof(s->in))
			s->in_len = 0;	/* an overlong line: dropped */
		struct epoll_event ready;
		if (s->epoll >= 0 && epoll_wait(s->epoll, &ready, 1, -1) < 0)
			return NULL;
		ssize_t n = read(s->ctl, s->in + s->in_len, sizeof(s->in) - s->in_len);
		if (n <= 0)
			return NULL;
		s->in_len += (size_t)n;
	}
}

/* ARG as a path relative to ROOT ("." for the top); 0, or -1 if refused. */
static int resolve(const struct session *s, const char *arg, char *out)
{
	int len = arg[0] == '/' ? snprintf(out, PATH_LEN, "%s", arg + 1)
		  : s->cwd[0] ? snprintf(out, PATH_LEN, "%s/%s", s->cwd, arg)
			      : snprintf(out, PATH_LEN, "%s", arg);

	if (len < 0 || len >= PATH_LEN || strstr(out, ".."))
		return -1;
	while (len > 0 && out[len - 1] == '/')
		out[--len] = 0;
	if (len == 0)
		strcpy(out, ".");
	return 0;
}

static int stat_path(const struct session *s, const char *arg, char *path, struct stat *st)
{
	return resolve(s, arg, path) == 0 && fstatat(root_fd, path, st, 0) == 0 ? 0 : -1;
}

static void cmd_cwd(struct session *s, const char *arg)
{
	char path[PATH_LEN];
	struct stat st;

	if (stat_path(s, arg, path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		reply(s, "550 Failed to change directory.");
		return;
	}
	strcpy(s->cwd, strcmp(path, ".") == 0 ? "" : path);
	reply(s, "250 Directory successfully changed.");
}

static void cmd_size(struct session *s, const char *arg)
{
	char path[PATH_LEN];
	struct stat st;

	if (stat_path(s, arg, path, &st) != 0 || !S_ISREG(st.st_mode))
		reply(s, "550 Could not get file size.");
	else
		reply(s, "213 %lld", (long long)st.st_size);
}

/* The session's passive listener's port: the listener is made, bound to
 * the control connection's address on a port the kernel picks, and corked,
 * at the first EPSV/PASV. */
static int pasv_port(struct session *s)
{
	struct sockaddr_in bound = s->local;
	socklen_t len = sizeof(bound);
	int on = 1;

	if (s->pasv >= 0)
		return s->pasv_port;
	bound.sin_port = 0;
	s->pasv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->pasv < 0 || bind(s->pasv, (struct sockaddr *)&bound, len) < 0 ||
	    listen(s->pasv, 4) < 0 ||
	    setsockopt(s->pasv, IPPROTO_TCP, TCP_CORK, &on, sizeof(on)) < 0 ||
	    getsockname(s->pasv, (struct sockaddr *)&bound, &len) < 0) {
		if (s->pasv >= 0)
			close(s->pasv);
		return s->pasv = -1;
	}
	return s->pasv_port = ntohs(bound.sin_port);
}

static void cmd_epsv(struct session *s, const char *arg)
{
	int port = pasv_port(s);

	(void)arg;
	if (port < 0)
		reply(s, "425 Cannot listen.");
	else
		reply(s, "229 Entering Extended Passive Mode (|||%d|)", port);
}

static void cmd_pasv(struct session *s, const char *arg)
{
	int port = pasv_port(s);
	const unsigned char *a = (const unsigned char *)&s->local.sin_addr;

	(void)arg;
	if (port < 0)
		reply(s, "425 Cannot listen.");
	else
		reply(s, "227 Entering Passive Mode (%u,%u,%u,%u,%d,%d).", a[0], a[1], a[2], a[3],
		      port >> 8, port & 255);
}

/* Sends the rest of the file, from the file's offset: blocking sendfile
 * (the kernel waits for room, no wake-up comes back to user space). */
static int send_rest(int data, int fd, off_t left)
{
	int blocking = 0;

	if (ioctl(data, FIONBIO, &blocking) < 0)
		return -1;
	while (left > 0) {
		ssize_t n = sendfile(data, fd, NULL, (size_t)left);
		if (n <= 0)
			return -1;
		left -= n;
	}
	return 0;
}

/* The data connection (waiting on the listener: the client connects right
 * after EPSV) takes the file. One that fits in the socket at once (any
 * small file) is sent before the 150, which then leaves with the 226 in
 * one write, one wake-up of the client, as ours does. A bigger one is
 * announced first, as the client waits for the 150 before it reads. */
static void send_file(struct session *s, int fd, off_t size)
{
	static const char opening[] = "150 Opening BINARY mode data connection.";
	int data = accept4(s->pasv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int off = 0, sent = -1;

	if (data >= 0) {
		if (size > CORK_MAX)
			(void)!setsockopt(data, IPPROTO_TCP, TCP_CORK, &off, sizeof(off));
		ssize_t n = size > 0 ? sendfile(data, fd, NULL, (size_t)size) : 0;
		if (n == size) {
			close(data);
			reply(s, "%s\r\n226 Transfer complete.", opening);
			return;
		}
		reply(s, "%s", opening);
		sent = n < 0 && errno != EAGAIN ? -1 : send_rest(data, fd, size - (n > 0 ? n : 0));
		close(data);
	} else {
		reply(s, "%s", opening);
	}
	reply(s, sent == 0 ? "226 Transfer complete." : "426 Failure writing network stream.");
}

static void cmd_retr(struct session *s, const char *arg)
{
	char path[PATH_LEN];
	struct stat st;
	int fd = resolve(s, arg, path) == 0 ? openat(root_fd, path, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		reply(s, "550 Failed to open file.");
	else if (s->pasv < 0)
		reply(s, "425 Use PORT or PASV first.");
	else
		send_file(s, fd, st.st_size);
	if (fd >= 0)
		close(fd);
}

static void cmd_user(struct session *s, const char *arg)
{
	if (strcasecmp(arg, "anonymous") == 0 || strcasecmp(arg, "ftp") == 0)
		reply(s, "230 Login successful.");
	else
		reply(s, "530 This FTP server is anonymous only.");
}

static void cmd_pass(struct session *s, const char *arg)
{
	(void)arg;
	reply(s, "230 Login successful.");
}

static void cmd_pwd(struct session *s, const char *arg)
{
	(void)arg;
	reply(s, "257 \"/%s\" is the current directory", s->cwd);
}

static void cmd_type(struct session *s, const char *arg)
{
	(void)arg;
	reply(s, "200 Switching to Binary mode.");
}

static const struct command {
	const char *name;
	void (*run)(struct session *, const char *arg);
} commands[] = {
	{ "USER", cmd_user }, { "PASS", cmd_pass }, { "PWD", cmd_pwd }, { "CWD", cmd_cwd },
	{ "TYPE", cmd_type }, { "EPSV", cmd_epsv }, { "PASV", cmd_pasv }, { "SIZE", cmd_size },
	{ "RETR", cmd_retr },
};

/* Runs one command line; 0 when the session ends (QUIT). */
static int run_command(struct session *s, char *line)
{
	char *arg = strchr(line, ' ');

	if (arg)
		*arg++ = 0;
	if (strcasecmp(line, "QUIT") == 0) {
		reply(s, "221 Goodbye.");
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcasecmp(line, commands[i].name) == 0) {
			commands[i].run(s, arg ? arg : "");
			return 1;
		}
	reply(s, "502 Command not implemented.");
	return 1;
}

static void *session_thread(void *arg)
{
	struct session *s = arg;
	struct epoll_event readable = { .events = EPOLLIN };
	socklen_t len = sizeof(s->local);
	size_t consumed = 0;
	int on = 1;
	char *line;

	s->epoll = with_epoll ? epoll_create1(EPOLL_CLOEXEC) : -1;
	int ready = !with_epoll || (s->epoll >= 0 &&
				    epoll_ctl(s->epoll, EPOLL_CTL_ADD, s->ctl, &readable) == 0);
	/* replies leave at once: a 226 must not wait for the 150's ACK */
	if (ready && setsockopt(s->ctl, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0 &&
	    getsockname(s->ctl, (struct sockaddr *)&s->local, &len) == 0) {
		reply(s, "220 ftpfloor");
		while ((line = next_line(s, &consumed)) && run_command(s, line))
			;
	}
	if (s->epoll >= 0)
		close(s->epoll);
	if (s->pasv >= 0)
		close(s->pasv);
	close(s->ctl);
	free(s);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	pthread_attr_t detached;
	int on = 1, listen_fd;

	if (argc > 1 && strcmp(argv[1], "-e") == 0) {
		with_epoll = 1;
		argv++, argc--;
	}
	if (argc != 4 || inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "usage: ftpfloor [-e] ADDR PORT ROOT\n");
		return 2;
	}
	addr.sin_port = htons((uint16_t)atoi(argv[2]));
	root_fd = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		die(argv[3]);
	signal(SIGPIPE, SIG_IGN);	/* a client gone mid-sendfile: EPIPE */
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(listen_fd, BACKLOG) < 0)
		die("listen socket");
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	for (;;) {
		pthread_t thread;
		struct session *s = malloc(sizeof(*s));
		if (!s)
			die("malloc");
		s->ctl = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		s->pasv = -1;
		s->cwd[0] = 0;
		s->in_len = 0;
		if (s->ctl < 0 || pthread_create(&thread, &detached, session_thread, s) != 0) {
			if (s->ctl >= 0)
				close(s->ctl);
			free(s);
		}
	}
}
