/* Codec, lease logic and DORA decisions, on the pure core. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "leasefile.h"
#include "server.h"
#include "testpkt.h"

static const char *const conf_text =
	"authoritative;\n"
	"default-lease-time 600;\n"
	"max-lease-time 7200;\n"
	"option domain-name-servers 198.18.10.1;\n"
	"subnet 198.18.10.0 netmask 255.255.255.0 {\n"
	"  range dynamic-bootp 198.18.10.20 198.18.10.29;\n"
	"  option routers 198.18.10.1;\n"
	"  next-server 198.18.10.1;\n"
	"  filename \"pxelinux.0\";\n"
	"}\n"
	"subnet 198.19.0.0 netmask 255.255.0.0 {\n"
	"  range 198.19.1.0 198.19.1.255;\n"
	"  option routers 198.19.0.1;\n"
	"}\n"
	"subnet 198.18.11.0 netmask 255.255.255.0 {\n"
	"  pool { range 198.18.11.10 198.18.11.19; }\n"
	"}\n"
	"host fixed { hardware ethernet 52:54:00:00:00:99; fixed-address 198.18.10.99; filename \"host.0\"; }\n";

#define SRV 0xc6120a01u  /* 198.18.10.1 */

static int setup(void **state)
{
	return test_env_setup(state, conf_text);
}

static int setup_one_lease(void **state)
{
	return test_env_setup(state, "one-lease-per-client true;\n"
				     "subnet 198.18.10.0 netmask 255.255.255.0 { range 198.18.10.20 198.18.10.29; }\n"
				     "subnet 198.19.0.0 netmask 255.255.0.0 { range 198.19.1.0 198.19.1.9; }\n");
}

static struct dhcp_result *run(struct test_env *e, const struct req *r)
{
	static struct dhcp_packet p;
	static struct dhcp_result res;
	test_handle(e, r, SRV, &p, &res);
	return &res;
}

static uint32_t opt32(const struct dhcp_out *o, uint8_t code)
{
	for (size_t i = 0; i < o->n_opt; i++)
		if (o->opt[i].code == code && o->opt[i].len == 4)
			return (uint32_t)o->opt[i].data[0] << 24 | (uint32_t)o->opt[i].data[1] << 16 |
			       (uint32_t)o->opt[i].data[2] << 8 | o->opt[i].data[3];
	return 0;
}

static uint32_t dora(struct test_env *e, uint8_t mac_last, bool with_uid)
{
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = mac_last, .with_uid = with_uid });
	assert_int_equal(r->out.msg_type, DHCPOFFER);
	assert_null(r->commit);
	uint32_t yi = r->out.h.yiaddr;
	r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = mac_last, .with_uid = with_uid, .requested = yi,
				  .server_id = SRV });
	assert_int_equal(r->out.msg_type, DHCPACK);
	assert_int_equal(r->out.h.yiaddr, yi);
	assert_non_null(r->commit);
	assert_int_equal(r->commit->addr, yi);
	return yi;
}

static void dora_gives_pool_address_and_boot_fields(void **state)
{
	struct test_env *e = *state;
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 1 });
	assert_int_equal(r->out.msg_type, DHCPOFFER);
	assert_int_equal(r->out.h.yiaddr, 0xc6120a14);
	assert_int_equal(r->out.h.siaddr, SRV);
	assert_string_equal(r->out.h.file, "pxelinux.0");
	assert_int_equal(r->dest, DEST_HWADDR);
	assert_int_equal(opt32(&r->out, OPT_SERVER_ID), SRV);
	assert_int_equal(opt32(&r->out, OPT_LEASE_TIME), 600);
	assert_int_equal(opt32(&r->out, OPT_SUBNET_MASK), 0xffffff00);
	assert_int_equal(opt32(&r->out, OPT_ROUTERS), SRV);
	assert_int_equal(opt32(&r->out, OPT_DNS), SRV);
	uint32_t yi = dora(e, 1, false);
	assert_int_equal(yi, 0xc6120a14);
	struct lease *l = lease_by_addr(e->db, yi);
	assert_int_equal(l->state, LS_ACTIVE);
	assert_int_equal(l->ends, e->now + 600);
}

static void neighbours_never_share_an_offer(void **state)
{
	struct test_env *e = *state;
	uint32_t seen[10];
	for (uint8_t i = 0; i < 10; i++) {
		struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = (uint8_t)(10 + i) });
		assert_int_equal(r->out.msg_type, DHCPOFFER);
		seen[i] = r->out.h.yiaddr;
		for (uint8_t j = 0; j < i; j++)
			assert_int_not_equal(seen[i], seen[j]);
	}
	/* pool of 10 fully reserved: the 11th client gets nothing */
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 30 });
	assert_int_equal(r->dest, DEST_NONE);
	/* a reservation expires */
	e->now += LEASE_OFFER_HOLD + 1;
	r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 30 });
	assert_int_equal(r->out.msg_type, DHCPOFFER);
}

static void same_pc_with_and_without_client_id(void **state)
{
	struct test_env *e = *state;
	uint32_t a = dora(e, 5, false);
	uint32_t b = dora(e, 5, true);
	assert_int_equal(a, b);
	/* a real (non-MAC) client id is another identity */
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 5, .uid = "\xff\x01\x02" });
	assert_int_not_equal(r->out.h.yiaddr, a);
}

static void wrong_address_is_naked(void **state)
{
	struct test_env *e = *state;
	uint32_t a = dora(e, 1, false);
	/* INIT-REBOOT: another client's address */
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 2, .requested = a });
	assert_int_equal(r->out.msg_type, DHCPNAK);
	assert_int_equal(r->dest, DEST_BROADCAST);
	assert_int_equal(r->out.h.yiaddr, 0);
	assert_null(r->commit);
	/* INIT-REBOOT: an address from another network */
	r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .requested = 0x0a000001 });
	assert_int_equal(r->out.msg_type, DHCPNAK);
	/* INIT-REBOOT: its own address */
	r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .requested = a });
	assert_int_equal(r->out.msg_type, DHCPACK);
}

static void renew_is_unicast(void **state)
{
	struct test_env *e = *state;
	uint32_t a = dora(e, 1, false);
	e->now += 300;
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .ciaddr = a });
	assert_int_equal(r->out.msg_type, DHCPACK);
	assert_int_equal(r->dest, DEST_CIADDR);
	assert_int_equal(r->dest_addr, a);
	assert_int_equal(r->commit->ends, e->now + 600);
}

static void selecting_another_server_frees_offer(void **state)
{
	struct test_env *e = *state;
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 1 });
	uint32_t offered = r->out.h.yiaddr;
	r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .requested = offered, .server_id = 0xc6120a02 });
	assert_int_equal(r->dest, DEST_NONE);
	assert_int_equal(lease_by_addr(e->db, offered)->offer_until, 0);
}

static void release_then_reuse(void **state)
{
	struct test_env *e = *state;
	uint32_t addrs[10];
	for (uint8_t i = 0; i < 10; i++)
		addrs[i] = dora(e, (uint8_t)(40 + i), false);
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 60 });
	assert_int_equal(r->dest, DEST_NONE);
	r = run(e, &(struct req){ .type = DHCPRELEASE, .mac_last = 43, .ciaddr = addrs[3], .server_id = SRV });
	assert_int_equal(r->dest, DEST_NONE);
	assert_non_null(r->commit);
	assert_int_equal(r->commit->state, LS_RELEASED);
	assert_int_equal(dora(e, 60, false), addrs[3]);
}

static void bootp_from_dynamic_bootp_range(void **state)
{
	struct test_env *e = *state;
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCP_BOOTP, .mac_last = 7 });
	assert_int_equal(r->out.msg_type, DHCP_BOOTP);
	assert_int_equal(r->out.h.yiaddr, 0xc6120a14);
	assert_string_equal(r->out.h.file, "pxelinux.0");
	assert_non_null(r->commit);
	assert_true(r->commit->bootp);
	assert_int_equal(r->commit->ends, LEASE_NEVER);
	uint8_t buf[DHCP_MAX_PACKET];
	size_t n = dhcp_encode(&r->out, buf, sizeof buf);
	assert_true(n >= 300);
	assert_int_equal(buf[0], BOOTREPLY);
	/* a relayed BOOTP client on the 198.19/16 subnet: no dynamic-bootp range there */
	r = run(e, &(struct req){ .type = DHCP_BOOTP, .mac_last = 8, .giaddr = 0xc6130001 });
	assert_int_equal(r->dest, DEST_NONE);
	/* ISC: a range inside a pool serves BOOTP clients, dynamic-bootp or not */
	r = run(e, &(struct req){ .type = DHCP_BOOTP, .mac_last = 9, .giaddr = 0xc6120b01 });
	assert_int_equal(r->out.msg_type, DHCP_BOOTP);
	assert_int_equal(r->out.h.yiaddr, 0xc6120b0a);
}

static void relay_selects_subnet_and_gets_option82(void **state)
{
	struct test_env *e = *state;
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 1, .giaddr = 0xc6130001 });
	assert_int_equal(r->out.msg_type, DHCPOFFER);
	assert_int_equal(r->out.h.yiaddr, 0xc6130100);
	assert_int_equal(r->dest, DEST_RELAY);
	assert_int_equal(r->dest_addr, 0xc6130001);
	assert_int_equal(opt32(&r->out, OPT_ROUTERS), 0xc6130001);
	assert_int_equal(opt32(&r->out, OPT_SUBNET_MASK), 0xffff0000);
	const struct dhcp_out_opt *last = &r->out.opt[r->out.n_opt - 1];
	assert_int_equal(last->code, OPT_RELAY_AGENT);
	assert_memory_equal(last->data, "\x01\x02" "ab", 4);
}

static void host_gets_fixed_address(void **state)
{
	struct test_env *e = *state;
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPDISCOVER, .mac_last = 0x99 });
	assert_int_equal(r->out.h.yiaddr, 0xc6120a63);
	assert_string_equal(r->out.h.file, "host.0");
	assert_int_equal(r->out.h.siaddr, SRV);
	r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 0x99, .requested = 0xc6120a63, .server_id = SRV });
	assert_int_equal(r->out.msg_type, DHCPACK);
	assert_null(r->commit);
}

static void codec_overload_and_max_size(void **state)
{
	uint8_t buf[400] = { BOOTREQUEST, 1, 6, 0 };
	memcpy(buf + 236, "\x63\x82\x53\x63", 4);
	size_t n = 240;
	const uint8_t opts[] = { 53, 1, 1, 52, 1, 1, 61, 2, 'a', 'b', 255 };
	memcpy(buf + n, opts, sizeof opts);
	n += sizeof opts;
	const uint8_t in_file[] = { 61, 2, 'c', 'd', 12, 3, 'p', 'x', 'e', 255 };
	memcpy(buf + 108, in_file, sizeof in_file);
	struct dhcp_packet p;
	assert_null(dhcp_parse(&p, buf, n));
	size_t len;
	const uint8_t *cid = dhcp_opt(&p, OPT_CLIENT_ID, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(cid, "abcd", 4);
	assert_non_null(dhcp_opt(&p, OPT_HOST_NAME, &len));
	assert_string_equal(p.h.file, "");
	assert_int_equal(dhcp_peek_type(buf, n), DHCPDISCOVER);
	assert_int_equal(dhcp_peek_type(buf, 240), DHCP_BOOTP);
	/* truncated option */
	buf[n - 1] = 12;
	assert_non_null(dhcp_parse(&p, buf, n));
	/* the size limit drops options from the end */
	struct dhcp_out o = { .msg_type = DHCPACK };
	static const uint8_t big[400];
	dhcp_out_add(&o, 1, "\xff\xff\xff\x00", 4);
	dhcp_out_add(&o, 43, big, sizeof big);
	uint8_t out[DHCP_MAX_PACKET];
	assert_int_equal(dhcp_encode(&o, out, 576), 300);
	size_t big_len = dhcp_encode(&o, out, 1500);
	assert_int_equal(big_len, 240 + 3 + 6 + 400 + 4 + 1);
}

static void leases_file_round_trip(void **state)
{
	struct test_env *e = *state;
	const char *isc = "authoring-byte-order little-endian;\n"
			  "server-duid \"\\000\\001\";\n"
			  "lease 198.18.10.25 {\n  starts 3 2026/11/25 16:21:21;\n  ends 3 2026/11/25 17:21:21;\n"
			  "  cltt 3 2026/11/25 16:21:21;\n  binding state active;\n  next binding state free;\n"
			  "  rewind binding state free;\n  hardware ethernet 00:0c:01:02:03:04;\n"
			  "  uid \"\\001\\000\\014\\001\\002\\003\\004\";\n  client-hostname \"vm \\\"x\\\"\";\n}\n"
			  "lease 10.0.0.1 {\n  starts epoch 1;\n  ends never;\n binding state free;\n}\n";
	struct leasefile_stats st;
	char err[256] = "";
	assert_int_equal(leasefile_parse(e->db, "l", isc, strlen(isc), &st, err, sizeof err), 0);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.outside_pools, 1);
	struct lease *l = lease_by_addr(e->db, 0xc6120a19);
	assert_int_equal(l->state, LS_ACTIVE);
	assert_int_equal(l->ends, 1795627281);
	assert_string_equal(l->hostname, "vm \"x\"");
	struct client_key k;
	client_key_make(&k, 1, (const uint8_t *)"\x00\x0c\x01\x02\x03\x04", 6, NULL, 0);
	assert_ptr_equal(lease_by_client(e->db, &k, -1), l);
	char text[1024];
	size_t n = leasefile_format(l, text, sizeof text);
	assert_true(n > 0);
	assert_non_null(strstr(text, "  starts 3 2026/11/25 16:21:21;\n"));
	assert_non_null(strstr(text, "  uid \"\\001\\000\\014\\001\\002\\003\\004\";\n"));
	struct lease copy = *l;
	l->state = LS_FREE;
	assert_int_equal(leasefile_parse(e->db, "ours", text, n, &st, err, sizeof err), 0);
	assert_int_equal(l->state, LS_ACTIVE);
	assert_int_equal(l->ends, copy.ends);
	assert_true(client_key_equal(&l->client, &copy.client));
	assert_int_equal(leasefile_parse(e->db, "bad", "lease 1.2.3.4 {\n starts 3 x;\n}", 30, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad:2: bad time"));
}

/* one-lease-per-client (ISC): the ACK of a REQUEST frees the client's
 * leases elsewhere, and they go to disk with the new one. */
static void one_lease_per_client_frees_the_others(void **state)
{
	struct test_env *e = *state;
	uint32_t first = dora(e, 1, false);
	struct dhcp_result *r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .requested = 0xc6130100,
						     .giaddr = 0xc6130001 });
	assert_int_equal(r->out.msg_type, DHCPACK);
	assert_int_equal(r->n_freed, 1);
	assert_int_equal(r->freed[0]->addr, first);
	assert_int_equal(r->freed[0]->state, LS_RELEASED);
	assert_int_equal(lease_by_addr(e->db, 0xc6130100)->state, LS_ACTIVE);
	/* the renewal frees nothing more */
	r = run(e, &(struct req){ .type = DHCPREQUEST, .mac_last = 1, .ciaddr = 0xc6130100, .giaddr = 0xc6130001 });
	assert_int_equal(r->out.msg_type, DHCPACK);
	assert_int_equal(r->n_freed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dora_gives_pool_address_and_boot_fields, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(neighbours_never_share_an_offer, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(same_pc_with_and_without_client_id, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(wrong_address_is_naked, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(renew_is_unicast, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(selecting_another_server_frees_offer, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(release_then_reuse, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(one_lease_per_client_frees_the_others, setup_one_lease,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(bootp_from_dynamic_bootp_range, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(relay_selects_subnet_and_gets_option82, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(host_gets_fixed_address, setup, test_env_teardown),
		cmocka_unit_test(codec_overload_and_max_size),
		cmocka_unit_test_setup_teardown(leases_file_round_trip, setup, test_env_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
