/* Data-connection addresses: PORT/EPRT arguments and the 227 reply
 * (RFC 959 4.1.2, RFC 2428). Pure. */
#ifndef FTPD_DATAADDR_H
#define FTPD_DATAADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* "h1,h2,h3,h4,p1,p2" -> IPv4 address and port. 0, or -1. */
int dataaddr_parse_port(const char *arg, struct sockaddr_storage *out);
/* "|1|198.18.0.2|6446|" or "|2|::1|6446|" (any delimiter). 0, or -1. */
int dataaddr_parse_eprt(const char *arg, struct sockaddr_storage *out);
/* Whether sa is IPv4, plain or IPv4-mapped. */
bool dataaddr_is_ipv4(const struct sockaddr *sa);
/* Whether two addresses are the same host (IPv4-mapped IPv6 folded). */
bool dataaddr_same_host(const struct sockaddr *a, const struct sockaddr *b);
/* "h1,h2,h3,h4,p1,p2" for a 227 reply: the host is pasv_address when set,
 * else sa's (IPv4 or IPv4-mapped). -1 if there is no IPv4 form. */
int dataaddr_format_pasv(const struct sockaddr *sa, const char *pasv_address, char *buf,
			 size_t size);

/* target in the given family: IPv4 becomes IPv4-mapped for an AF_INET6
 * socket. 0, or -1 when it cannot be expressed (IPv6 to an IPv4 socket). */
int dataaddr_for_family(const struct sockaddr_storage *target, int family,
			struct sockaddr_storage *out);

/* The numeric host, IPv4-mapped IPv6 shown as plain IPv4 (logs, events). */
const char *dataaddr_host_str(const struct sockaddr *sa, char *buf, size_t size);

#endif
