/* Requests for unit tests, built with the codec and parsed back, and a
 * server (config and lease database) to decide them. */
#ifndef TESTS_DHCPD_TESTPKT_H
#define TESTS_DHCPD_TESTPKT_H

#include <stdbool.h>
#include <stdint.h>

#include "lease.h"
#include "packet.h"
#include "server.h"

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
	const char *hostname;  /* option 12 */
};

void test_packet(const struct req *r, struct dhcp_packet *p);

struct test_env {
	struct dhcp_config *cfg;
	struct lease_db *db;
	int64_t now;
};

/* cmocka setup and teardown: *state is a struct test_env for conf_text. */
int test_env_setup(void **state, const char *conf_text);
int test_env_teardown(void **state);
/* Builds r's datagram into *p and has the server decide it, as received
 * on the interface with address if_addr at e->now, into *res. */
void test_handle(struct test_env *e, const struct req *r, uint32_t if_addr, struct dhcp_packet *p,
		 struct dhcp_result *res);

#endif
