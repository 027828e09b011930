/* State of one request while server.c decides and reply.c builds. */
#ifndef DHCPD_SERVER_CTX_H
#define DHCPD_SERVER_CTX_H

#include "server.h"

struct ctx {
	struct lease_db *db;
	const struct dhcp_config *cfg;
	const struct dhcp_request *rq;
	const struct dhcp_packet *pkt;
	struct dhcp_result *res;
	struct client_key key;
	const struct conf_subnet *subnet;  /* the client's network */
	uint32_t server_id;
	const struct conf_host *host;      /* host declaration for this client */
	struct conf_params params;
};

/* Parameters for a client holding `addr` (pool/subnet, then host). */
void ctx_params_for(struct ctx *c, uint32_t addr);
/* A reply of `type` giving yiaddr, with options; lease_time 0: none. */
void reply_build(struct ctx *c, uint8_t type, uint32_t yiaddr, uint32_t lease_time);
void reply_nak(struct ctx *c, const char *why);

#endif
