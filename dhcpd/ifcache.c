#include "ifcache.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "sock.h"

#define IFCACHE_SECONDS 10

static void refresh(struct ifcache *c)
{
	struct ifaddrs *list;
	c->n = 0;
	c->when = time(NULL);
	if (getifaddrs(&list) < 0)
		return;
	for (int pass = 0; pass < 2; pass++) {
		for (struct ifaddrs *a = list; a && c->n < IFCACHE_MAX; a = a->ifa_next) {
			if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET)
				continue;
			uint32_t addr = ntohl(((struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr);
			if (pass == 0 && !conf_subnet_of(c->cfg, addr))
				continue;
			int idx = (int)if_nametoindex(a->ifa_name);
			struct ifaddr_entry *e = &c->ifs[c->n++];
			*e = (struct ifaddr_entry){ idx, addr, sock_if_mtu(idx), "" };
			snprintf(e->name, sizeof e->name, "%s", a->ifa_name);
			e->name[strcspn(e->name, ":")] = '\0';   /* ISC names eth0, not its label eth0:1 */
		}
	}
	freeifaddrs(list);
}

const struct ifaddr_entry *ifcache_get(struct ifcache *c, int ifindex)
{
	static const struct ifaddr_entry none = { 0, 0, -1, "?" };
	for (int attempt = 0; attempt < 2; attempt++) {
		if (attempt || time(NULL) - c->when > IFCACHE_SECONDS)
			refresh(c);
		for (size_t i = 0; i < c->n; i++)
			if (c->ifs[i].ifindex == ifindex)
				return &c->ifs[i];
	}
	return &none;
}
