/* Addresses and MTUs of the interfaces, refreshed every few seconds: the
 * server identifier is the address of the interface a request came in on
 * (IP_PKTINFO gives the interface, not its address, for broadcasts). */
#ifndef DHCPD_IFCACHE_H
#define DHCPD_IFCACHE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"

#define IFCACHE_MAX 64

struct ifaddr_entry {
	int ifindex;
	uint32_t addr;   /* host order; 0 if none */
	int mtu;         /* -1 if unknown */
	char name[IF_NAMESIZE];   /* for the log ("via eth0") */
};

struct ifcache {
	const struct dhcp_config *cfg;
	struct ifaddr_entry ifs[IFCACHE_MAX];
	size_t n;
	time_t when;
};

/* The interface's entry (an address inside a declared subnet preferred). */
const struct ifaddr_entry *ifcache_get(struct ifcache *c, int ifindex);

#endif
