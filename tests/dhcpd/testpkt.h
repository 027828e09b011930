/* Requests for unit tests, built with the codec and parsed back. */
#ifndef TESTS_DHCPD_TESTPKT_H
#define TESTS_DHCPD_TESTPKT_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

struct req {
	uint8_t type;
	uint8_t mac_last;     /* MAC 52:54:00:00:00:mac_last ... */
	const char *mac;      /* ... unless these 6 bytes are given */
	bool with_uid;
	uint32_t requested, server_id, ciaddr, giaddr;
	const char *uid;      /* a client-id other than the MAC */
	int arch;             /* option 93 when >= 0 (set arch_set) */
	bool arch_set;
	const char *vendor;   /* option 60 */
	const char *user_class;
};

void test_packet(const struct req *r, struct dhcp_packet *p);

#endif
