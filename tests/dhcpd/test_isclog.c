/* ISC dhcpd's log lines, word for word (compared with ISC dhcpd 4.4.3 in
 * a namespace), for the decisions of the real server code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "isclog.h"
#include "testpkt.h"

#define SRV 0xc6120a01u  /* 198.18.10.1, on veth0 */
#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define MAC(last) "52:54:00:00:00:" #last

static int setup(void **state)
{
	return test_env_setup(state, "authoritative;\n"
				     "subnet 198.18.10.0 netmask 255.255.255.0 {\n"
				     "  range dynamic-bootp 198.18.10.20 198.18.10.29;\n"
				     "}\n"
				     "subnet 198.19.0.0 netmask 255.255.0.0 { range 198.19.1.10 198.19.1.19; }\n"
				     "subnet 198.18.11.0 netmask 255.255.255.0 { range 198.18.11.10 198.18.11.19; }\n"
				     "host fixed { hardware ethernet 52:54:00:00:00:99;\n"
				     "             fixed-address 198.18.10.99; }\n");
}

/* The server decides r; its request line and reply line (if any) must be
 * these. */
static void expect(void **state, const struct req *r, const char *want_request, const char *want_reply)
{
	static struct dhcp_packet p;
	static struct dhcp_result res;
	char request[256] = "", reply[256] = "";
	test_handle(*state, r, SRV, &p, &res);
	size_t n = isclog_request(request, sizeof request, &p, &res, "veth0");
	assert_int_equal(n, strlen(request));
	if (res.dest != DEST_NONE) {
		n = isclog_reply(reply, sizeof reply, &p, &res, "veth0");
		assert_int_equal(n, strlen(reply));
	}
	assert_string_equal(request, want_request);
	assert_string_equal(reply, want_reply);
}

static void dora_renew_decline(void **state)
{
	uint32_t a = ADDR(198, 18, 10, 20);
	expect(state, &(struct req){ .type = DHCPDISCOVER, .mac_last = 1 }, "DHCPDISCOVER from " MAC(01) " via veth0",
	       "DHCPOFFER on 198.18.10.20 to " MAC(01) " via veth0");
	expect(state, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .requested = a, .server_id = SRV },
	       "DHCPREQUEST for 198.18.10.20 (198.18.10.1) from " MAC(01) " via veth0",
	       "DHCPACK on 198.18.10.20 to " MAC(01) " via veth0");
	/* RENEWING: ciaddr, neither option 50 nor a server id */
	expect(state, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .ciaddr = a },
	       "DHCPREQUEST for 198.18.10.20 from " MAC(01) " via veth0",
	       "DHCPACK on 198.18.10.20 to " MAC(01) " via veth0");
	expect(state, &(struct req){ .type = DHCPDECLINE, .mac_last = 1, .requested = a, .server_id = SRV },
	       "DHCPDECLINE of 198.18.10.20 from " MAC(01) " via veth0: abandoned", "");
	expect(state, &(struct req){ .type = DHCPDECLINE, .mac_last = 1, .requested = a + 1, .server_id = SRV },
	       "DHCPDECLINE of 198.18.10.21 from " MAC(01) " via veth0: not found", "");
}

static void dora_with_hostname_then_release(void **state)
{
	uint32_t a = ADDR(198, 18, 10, 20);
	expect(state, &(struct req){ .type = DHCPDISCOVER, .mac_last = 2, .hostname = "pc1" },
	       "DHCPDISCOVER from " MAC(02) " (pc1) via veth0",
	       "DHCPOFFER on 198.18.10.20 to " MAC(02) " (pc1) via veth0");
	expect(state,
	       &(struct req){ .type = DHCPREQUEST, .mac_last = 2, .requested = a, .server_id = SRV, .hostname = "pc1" },
	       "DHCPREQUEST for 198.18.10.20 (198.18.10.1) from " MAC(02) " (pc1) via veth0",
	       "DHCPACK on 198.18.10.20 to " MAC(02) " (pc1) via veth0");
	/* the RELEASE carries no host name: the lease remembers it */
	expect(state, &(struct req){ .type = DHCPRELEASE, .mac_last = 2, .ciaddr = a, .server_id = SRV },
	       "DHCPRELEASE of 198.18.10.20 from " MAC(02) " (pc1) via veth0 (found)", "");
	expect(state, &(struct req){ .type = DHCPRELEASE, .mac_last = 2, .ciaddr = a, .server_id = SRV },
	       "DHCPRELEASE of 198.18.10.20 from " MAC(02) " via veth0 (not found)", "");
}

static void relayed(void **state)
{
	uint32_t relay = ADDR(198, 19, 0, 1);
	expect(state, &(struct req){ .type = DHCPDISCOVER, .mac_last = 3, .giaddr = relay, .hostname = "pc3" },
	       "DHCPDISCOVER from " MAC(03) " (pc3) via 198.19.0.1",
	       "DHCPOFFER on 198.19.1.10 to " MAC(03) " (pc3) via 198.19.0.1");
	expect(state,
	       &(struct req){ .type = DHCPREQUEST, .mac_last = 3, .giaddr = relay, .requested = ADDR(198, 19, 1, 10),
			      .server_id = SRV },
	       "DHCPREQUEST for 198.19.1.10 (198.18.10.1) from " MAC(03) " via 198.19.0.1",
	       "DHCPACK on 198.19.1.10 to " MAC(03) " via 198.19.0.1");
	expect(state,
	       &(struct req){ .type = DHCPREQUEST, .mac_last = 3, .giaddr = relay, .requested = ADDR(198, 18, 10, 25) },
	       "DHCPREQUEST for 198.18.10.25 from " MAC(03) " via 198.19.0.1: address not on the client's network",
	       "DHCPNAK on 198.18.10.25 to " MAC(03) " via 198.19.0.1");
	/* no subnet for the relay: ISC's line with the reason, no reply */
	expect(state, &(struct req){ .type = DHCPDISCOVER, .mac_last = 3, .giaddr = ADDR(198, 18, 99, 1) },
	       "DHCPDISCOVER from " MAC(03) " via 198.18.99.1: no subnet declared for this network", "");
}

static void nak(void **state)
{
	expect(state, &(struct req){ .type = DHCPREQUEST, .mac_last = 4, .requested = ADDR(198, 18, 11, 50) },
	       "DHCPREQUEST for 198.18.11.50 from " MAC(04) " via veth0: address not on the client's network",
	       "DHCPNAK on 198.18.11.50 to " MAC(04) " via veth0");
}

static void inform(void **state)
{
	uint32_t a = ADDR(198, 18, 10, 50);
	expect(state, &(struct req){ .type = DHCPINFORM, .mac_last = 6, .ciaddr = a },
	       "DHCPINFORM from 198.18.10.50 via veth0", "DHCPACK to 198.18.10.50 (" MAC(06) ") via veth0");
	expect(state, &(struct req){ .type = DHCPINFORM, .mac_last = 6, .ciaddr = a, .giaddr = ADDR(198, 18, 10, 2) },
	       "DHCPINFORM from 198.18.10.50 via 198.18.10.2", "DHCPACK to 198.18.10.50 (" MAC(06) ") via 198.18.10.2");
}

static void bootp(void **state)
{
	expect(state, &(struct req){ .type = DHCP_BOOTP, .mac_last = 0x99 }, "BOOTREQUEST from " MAC(99) " via veth0",
	       "BOOTREPLY for 198.18.10.99 to fixed (" MAC(99) ") via veth0");
	/* a dynamic BOOTP lease: ISC logs it through its DHCP reply path */
	expect(state, &(struct req){ .type = DHCP_BOOTP, .mac_last = 7, .hostname = "pc7" },
	       "BOOTREQUEST from " MAC(07) " via veth0", "BOOTREPLY on 198.18.10.20 to " MAC(07) " (pc7) via veth0");
	expect(state, &(struct req){ .type = DHCP_BOOTP, .mac_last = 8, .giaddr = ADDR(198, 19, 0, 1) },
	       "BOOTREQUEST from " MAC(08) " via 198.19.0.1: no free dynamic-bootp leases", "");
}

/* ISC's db_printable and 64-byte limit: the name comes from the peer. */
static void unsuitable_hostnames(void **state)
{
#define NAME64 "1234567890123456789012345678901234567890123456789012345678901234"
	static const char *const bad[] = { "bad\x1bname", "quo\"te", "back\\slash", "caf\xc3\xa9", NAME64 "5" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect(state, &(struct req){ .type = DHCPDISCOVER, .mac_last = 9, .hostname = bad[i] },
		       "DHCPDISCOVER from " MAC(09) " (Hostname Unsuitable for Printing) via veth0",
		       "DHCPOFFER on 198.18.10.20 to " MAC(09) " (Hostname Unsuitable for Printing) via veth0");
	expect(state, &(struct req){ .type = DHCPDISCOVER, .mac_last = 9, .hostname = NAME64 },
	       "DHCPDISCOVER from " MAC(09) " (" NAME64 ") via veth0",
	       "DHCPOFFER on 198.18.10.20 to " MAC(09) " (" NAME64 ") via veth0");
}

static void server_messages_and_odd_clients(void **state)
{
	(void)state;
	struct dhcp_packet p;
	struct dhcp_result res = { 0 };
	char line[256] = "";
	test_packet(&(struct req){ .type = DHCPOFFER, .mac_last = 10 }, &p);
	assert_int_equal(isclog_request(line, sizeof line, &p, &res, "veth0"), 0);   /* ISC logs none */
	/* no hardware type: the client id names the client, or nothing does */
	test_packet(&(struct req){ .type = DHCPDISCOVER, .uid = "abc" }, &p);
	p.h.htype = 0;
	isclog_request(line, sizeof line, &p, &res, "veth0");
	assert_string_equal(line, "DHCPDISCOVER from 61:62:63 via veth0");
	test_packet(&(struct req){ .type = DHCPDISCOVER }, &p);
	p.h.htype = 0;
	isclog_request(line, sizeof line, &p, &res, "veth0");
	assert_string_equal(line, "DHCPDISCOVER from <no identifier> via veth0");
	/* a short buffer: cut, terminated, the length what it holds */
	assert_int_equal(isclog_request(line, 13, &p, &res, "veth0"), 12);
	assert_string_equal(line, "DHCPDISCOVER");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dora_renew_decline, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(dora_with_hostname_then_release, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(relayed, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(nak, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(inform, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(bootp, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(unsuitable_hostnames, setup, test_env_teardown),
		cmocka_unit_test(server_messages_and_odd_clients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
