#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testpkt.h"

/* Builds a client datagram with the codec and parses it back. */
void test_packet(const struct req *r, struct dhcp_packet *p)
{
	struct dhcp_out o = { .msg_type = r->type };
	o.h.op = BOOTREQUEST;
	o.h.htype = 1;
	o.h.hlen = 6;
	o.h.xid = 0x1234;
	o.h.ciaddr = r->ciaddr;
	o.h.giaddr = r->giaddr;
	uint8_t mac[6] = { 0x52, 0x54, 0, 0, 0, r->mac_last };
	if (r->mac)
		memcpy(mac, r->mac, 6);
	memcpy(o.h.chaddr, mac, 6);
	uint8_t uid[7] = { 1 }, req[4], sid[4], rai[4] = { 1, 2, 'a', 'b' };
	memcpy(uid + 1, mac, 6);
	uint32_t rq = __builtin_bswap32(r->requested), si = __builtin_bswap32(r->server_id);
	memcpy(req, &rq, 4);
	memcpy(sid, &si, 4);
	if (r->with_uid)
		dhcp_out_add(&o, OPT_CLIENT_ID, uid, sizeof uid);
	if (r->uid)
		dhcp_out_add(&o, OPT_CLIENT_ID, r->uid, strlen(r->uid));
	if (r->requested)
		dhcp_out_add(&o, OPT_REQUESTED_IP, req, 4);
	if (r->server_id)
		dhcp_out_add(&o, OPT_SERVER_ID, sid, 4);
	if (r->giaddr)
		dhcp_out_add(&o, OPT_RELAY_AGENT, rai, 4);
	uint8_t arch[2] = { (uint8_t)(r->arch >> 8), (uint8_t)r->arch };
	if (r->arch_set)
		dhcp_out_add(&o, OPT_ARCH, arch, 2);
	if (r->vendor)
		dhcp_out_add(&o, OPT_VENDOR_CLASS, r->vendor, strlen(r->vendor));
	if (r->user_class)
		dhcp_out_add(&o, OPT_USER_CLASS, r->user_class, strlen(r->user_class));
	if (r->hostname)
		dhcp_out_add(&o, OPT_HOST_NAME, r->hostname, strlen(r->hostname));
	uint8_t buf[DHCP_MAX_PACKET];
	size_t n = dhcp_encode(&o, buf, sizeof buf);
	assert_true(n >= DHCP_MIN_LEN);
	assert_null(dhcp_parse(p, buf, n));
}


int test_env_setup(void **state, const char *conf_text)
{
	struct test_env *e = calloc(1, sizeof *e);
	char err[256];
	assert_non_null(e);
	e->cfg = conf_parse("t.conf", conf_text, strlen(conf_text), err, sizeof err, NULL, NULL);
	assert_non_null(e->cfg);
	e->db = lease_db_new(e->cfg);
	assert_non_null(e->db);
	e->now = 1800000000;
	*state = e;
	return 0;
}

int test_env_teardown(void **state)
{
	struct test_env *e = *state;
	lease_db_free(e->db);
	conf_free(e->cfg);
	free(e);
	return 0;
}

void test_handle(struct test_env *e, const struct req *r, uint32_t if_addr, struct dhcp_packet *p,
		 struct dhcp_result *res)
{
	test_packet(r, p);
	struct dhcp_request rq = { .pkt = p, .if_addr = if_addr, .now = e->now };
	dhcp_handle(e->db, &rq, res);
}
