/* Listening sockets; see listen.h. */
#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sock.h"
#include "svc.h"

/* host may be a name (resolved here, at start-up, before any chroot) or
 * empty for any address. */
static int bind_one(const char *host, uint16_t port, int family, bool v6only, char *err,
		    size_t err_size)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_PASSIVE };
	struct addrinfo *res;
	unsigned flags = SOCK_F_REUSEADDR | SOCK_F_PKTINFO | SOCK_F_NONBLOCK;
	int rc = getaddrinfo(host[0] ? host : NULL, "0", &hints, &res);

	if (rc != 0) {
		snprintf(err, err_size, "--address: cannot resolve \"%s\": %s", host,
			 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return LISTEN_ERR_LOOKUP;
	}
	sock_addr_set_port(res->ai_addr, port);
	int fd = sock_udp_bind(res->ai_addr, res->ai_addrlen, flags | (v6only ? SOCK_F_V6ONLY : 0));
	if (fd < 0)
		snprintf(err, err_size, "cannot bind %s port %u: %s", host[0] ? host : "*", port,
			 strerror(errno));
	freeaddrinfo(res);
	return fd;
}

/* Without -4 or -6, as in.tftpd: each family the address has ("localhost"
 * is 127.0.0.1 and ::1 in a stock /etc/hosts), IPv6 when the host has it. */
static int open_standalone(const struct tftpd_conf *conf, int *fds, size_t max, char *err,
			   size_t err_size)
{
	if (conf->family != AF_UNSPEC) {
		fds[0] = bind_one(conf->host, conf->port, conf->family, false, err, err_size);
		return fds[0] < 0 ? fds[0] : 1;
	}
	int n = 0;
	int fd = bind_one(conf->host, conf->port, AF_INET, false, err, err_size);

	if (fd >= 0)
		fds[n++] = fd;
	else if (fd != LISTEN_ERR_LOOKUP)
		return fd;    /* the address has IPv4 and it cannot be bound */
	if ((size_t)n < max && (fd = bind_one(conf->host, conf->port, AF_INET6, true, err, err_size)) >= 0)
		fds[n++] = fd;
	return n > 0 ? n : fd;
}

static int adopt(int fd, char *err, size_t err_size)
{
	if (svc_socket_type(fd) != SOCK_DGRAM) {
		snprintf(err, err_size, "fd %d is not a datagram socket", fd);
		return -1;
	}
	if (sock_enable_pktinfo(fd) != 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
		snprintf(err, err_size, "fd %d: %s", fd, strerror(errno));
		return -1;
	}
	return fd;
}

int listen_open(const struct tftpd_conf *conf, int *fds, size_t max, enum listen_mode *mode,
		char *err, size_t err_size)
{
	int n;

	if (conf->listen) {
		*mode = LISTEN_STANDALONE;
		return open_standalone(conf, fds, max, err, err_size);
	}
	if ((n = svc_listen_fds()) > 0) {
		*mode = LISTEN_ACTIVATED;
		for (int i = 0; i < n && (size_t)i < max; i++)
			if ((fds[i] = adopt(SVC_LISTEN_FDS_START + i, err, err_size)) < 0)
				return -1;
		return (size_t)n < max ? n : (int)max;
	}
	if (svc_stdin_is_socket()) {
		*mode = LISTEN_INETD;
		fds[0] = adopt(0, err, err_size);
		return fds[0] < 0 ? -1 : 1;
	}
	snprintf(err, err_size, "no socket on standard input: run from inetd or systemd, or use -l");
	return -1;
}
