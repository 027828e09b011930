/* Packet parser, server decisions, their log lines and boot-timeline
 * events on arbitrary datagrams, as io.c runs them; a datagram that is
 * offered an address then asks for it, so the REQUEST paths see leases the
 * fuzzer cannot name by itself. Each datagram also arrives on the
 * proxyDHCP boot port (4011) from its ciaddr, as UEFI firmware sends. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "events.h"
#include "isclog.h"
#include "log.h"
#include "server.h"

static const char conf_text[] =
	"authoritative;\n"
	"subnet 198.18.10.0 netmask 255.255.255.0 {\n"
	"  range dynamic-bootp 198.18.10.20 198.18.10.40;\n"
	"  option routers 198.18.10.1;\n  next-server 198.18.10.1;\n  filename \"pxelinux.0\";\n}\n"
	"subnet 198.18.40.0 netmask 255.255.255.0 { range 198.18.40.100 198.18.40.110; }\n"
	"subnet 198.18.60.0 netmask 255.255.255.0 { proxy-dhcp; filename uefi-x64 \"x.efi\"; filename \"p.0\"; }\n"
	"host h { hardware ethernet 52:54:00:40:00:01; fixed-address 198.18.40.5; }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void handle_on(struct lease_db *db, const struct dhcp_packet *pkt, struct dhcp_result *res,
		      bool boot_port)
{
	struct dhcp_request rq = { .pkt = pkt, .if_addr = 0xc6120a01, .now = 1800000000,
				   .peer_addr = boot_port ? pkt->h.ciaddr : 0xc6120a01,
				   .peer_port = boot_port ? 4011 : 67, .boot_port = boot_port };
	uint8_t out[DHCP_MAX_PACKET];
	char line[512];
	events_request(pkt);
	dhcp_handle(db, &rq, res);
	isclog_request(line, sizeof line, pkt, res, "veth0");
	if (res->dest != DEST_NONE) {
		dhcp_encode(&res->out, out, sizeof out);
		events_reply(pkt, res);
		isclog_reply(line, sizeof line, pkt, res, "veth0");
	}
}

static void handle(struct lease_db *db, const struct dhcp_packet *pkt, struct dhcp_result *res)
{
	handle_on(db, pkt, res, false);
}

/* The same client asking for its offer, as a renewing client would. */
static void request_offered(struct lease_db *db, const struct dhcp_packet *pkt, struct dhcp_result *res)
{
	static struct dhcp_packet follow;
	follow = *pkt;
	follow.msg_type = DHCPREQUEST;
	follow.h.ciaddr = res->out.h.yiaddr;
	handle(db, &follow, res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_config *cfg;
	static struct lease_db *db;
	static struct dhcp_packet pkt;
	static struct dhcp_result res;
	char err[256];
	if (!cfg) {
		log_set_level(LOG_ERR);   /* events are logged at LOG_INFO */
		cfg = conf_parse("fuzz.conf", conf_text, strlen(conf_text), err, sizeof err, NULL, NULL);
		db = lease_db_new(cfg);
	}
	if (dhcp_parse(&pkt, data, size))
		return 0;
	handle_on(db, &pkt, &res, true);
	handle(db, &pkt, &res);
	if (res.dest != DEST_NONE && res.out.msg_type == DHCPOFFER && res.out.h.yiaddr)
		request_offered(db, &pkt, &res);
	return 0;
}
