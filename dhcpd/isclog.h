/* ISC dhcpd's log lines for each exchange ("DHCPACK on 198.18.0.10 to
 * 52:54:00:12:34:56 (pc1) via eth0"), word for word, so that what admins
 * and their tools grep for keeps working. Pure: formats into a buffer. */
#ifndef DHCPD_ISCLOG_H
#define DHCPD_ISCLOG_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "server.h"

/* The line for the request pkt, once dhcp_handle has decided res ("DHCPDISCOVER
 * from ...", with ISC's ": why" or "(not found)" when refused); ifname is the
 * receiving interface, named when the request was not relayed. Returns the
 * length, 0 when ISC logs no line for this kind of message. */
size_t isclog_request(char *buf, size_t size, const struct dhcp_packet *pkt, const struct dhcp_result *res,
		      const char *ifname);
/* The line for the reply in res ("DHCPOFFER on ...", "BOOTREPLY for ..."). */
size_t isclog_reply(char *buf, size_t size, const struct dhcp_packet *pkt, const struct dhcp_result *res,
		    const char *ifname);

/* Dotted quad of a host-order address, in one of a few rotating buffers. */
const char *ip_str(uint32_t addr);
/* "52:54:00:12:34:56", as many bytes as fit. */
void hex_bytes(char *dst, size_t size, const uint8_t *p, size_t n);

#endif
