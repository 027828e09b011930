#include "dataaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sock.h"

int dataaddr_parse_port(const char *arg, struct sockaddr_storage *out)
{
	unsigned v[6];
	char tail;
	if (sscanf(arg, "%u,%u,%u,%u,%u,%u%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		if (v[i] > 255)
			return -1;
	struct sockaddr_in *sin = (struct sockaddr_in *)out;
	memset(out, 0, sizeof *out);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
	sin->sin_port = htons((uint16_t)(v[4] << 8 | v[5]));
	return 0;
}

int dataaddr_parse_eprt(const char *arg, struct sockaddr_storage *out)
{
	char delim = arg[0], host[64];
	if (delim < 33 || delim > 126)
		return -1;
	const char *proto = arg + 1, *h = strchr(proto, delim);
	const char *p = h ? strchr(h + 1, delim) : NULL;
	const char *end = p ? strchr(p + 1, delim) : NULL;
	if (!end || end[1] != '\0' || (size_t)(p - h - 1) >= sizeof host)
		return -1;
	memcpy(host, h + 1, (size_t)(p - h - 1));
	host[p - h - 1] = '\0';
	char *num_end;
	unsigned long port = strtoul(p + 1, &num_end, 10);
	if (num_end != end || port == 0 || port > 65535 || p + 1 == end)
		return -1;
	int family = (h - proto == 1 && proto[0] == '1') ? AF_INET :
		     (h - proto == 1 && proto[0] == '2') ? AF_INET6 : AF_UNSPEC;
	socklen_t len;
	if (family == AF_UNSPEC || sock_addr_parse(host, (uint16_t)port, family, out, &len) != 0)
		return -1;
	return out->ss_family == family ? 0 : -1;
}

/* The IPv4 address of sa (plain or IPv4-mapped), or false. */
static bool ipv4_of(const struct sockaddr *sa, struct in_addr *v4)
{
	if (sa->sa_family == AF_INET) {
		*v4 = ((const struct sockaddr_in *)sa)->sin_addr;
		return true;
	}
	const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (sa->sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(a6))
		return false;
	memcpy(v4, a6->s6_addr + 12, 4);
	return true;
}

bool dataaddr_is_ipv4(const struct sockaddr *sa)
{
	struct in_addr v4;
	return ipv4_of(sa, &v4);
}

bool dataaddr_same_host(const struct sockaddr *a, const struct sockaddr *b)
{
	struct in_addr a4, b4;
	bool a_is4 = ipv4_of(a, &a4), b_is4 = ipv4_of(b, &b4);
	if (a_is4 || b_is4)
		return a_is4 && b_is4 && a4.s_addr == b4.s_addr;
	if (a->sa_family != AF_INET6 || b->sa_family != AF_INET6)
		return false;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

int dataaddr_format_pasv(const struct sockaddr *sa, const char *pasv_address, char *buf,
			 size_t size)
{
	struct in_addr v4;
	if (pasv_address && *pasv_address) {
		if (inet_pton(AF_INET, pasv_address, &v4) != 1)
			return -1;
	} else if (!ipv4_of(sa, &v4)) {
		return -1;
	}
	uint32_t h = ntohl(v4.s_addr);
	unsigned port = sock_addr_port(sa);
	snprintf(buf, size, "%u,%u,%u,%u,%u,%u", h >> 24, (h >> 16) & 255, (h >> 8) & 255,
		 h & 255, port >> 8, port & 255);
	return 0;
}

int dataaddr_for_family(const struct sockaddr_storage *target, int family,
			struct sockaddr_storage *out)
{
	*out = *target;
	if (target->ss_family == family)
		return 0;
	if (target->ss_family != AF_INET || family != AF_INET6)
		return -1;
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)target;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
	memset(out, 0, sizeof *out);
	v6->sin6_family = AF_INET6;
	v6->sin6_port = v4->sin_port;
	v6->sin6_addr.s6_addr[10] = 0xff;
	v6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(v6->sin6_addr.s6_addr + 12, &v4->sin_addr, 4);
	return 0;
}

const char *dataaddr_host_str(const struct sockaddr *sa, char *buf, size_t size)
{
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	if (sa->sa_family == AF_INET6 && ipv4_of(sa, &v4.sin_addr))
		sa = (const struct sockaddr *)&v4;
	return sock_addr_str(sa, 0, buf, size);
}
