/* IPv4+UDP framing for replies sent through a packet socket to a client
 * that has no address yet. Pure. */
#ifndef DHCPD_FRAME_H
#define DHCPD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HDR_LEN 28

/* Writes IPv4 and UDP headers (with checksums) and the payload into buf;
 * addresses in host order. Returns the frame length, or 0 if cap is too
 * small. */
size_t frame_udp4(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  const uint8_t *payload, size_t len);

#endif
