/* Boot-timeline events of dhcpd (status/EVENTS.md: dhcpd.*). */
#ifndef DHCPD_EVENTS_H
#define DHCPD_EVENTS_H

#include "packet.h"
#include "server.h"

/* dhcpd.discover / dhcpd.request when a request arrives. */
void events_request(const struct dhcp_packet *pkt);
/* dhcpd.offer / dhcpd.ack / dhcpd.nak for a reply. */
void events_reply(const struct dhcp_packet *pkt, const struct dhcp_result *res);

#endif
