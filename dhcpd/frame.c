#include "frame.h"

#include <string.h>

#include "buf.h"

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t frame_udp4(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  const uint8_t *payload, size_t len)
{
	struct wbuf w;
	size_t total = FRAME_HDR_LEN + len;
	if (total > cap || total > 0xffff)
		return 0;
	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, 0x45);                 /* IPv4, 20-byte header */
	wbuf_u8(&w, 0x10);                 /* low delay, as ISC sends */
	wbuf_u16(&w, (uint16_t)total);
	wbuf_u32(&w, 0);                   /* id, no fragments */
	wbuf_u8(&w, 64);
	wbuf_u8(&w, 17);                   /* UDP */
	wbuf_u16(&w, 0);                   /* checksum, below */
	wbuf_u32(&w, src);
	wbuf_u32(&w, dst);
	wbuf_u16(&w, sport);
	wbuf_u16(&w, dport);
	wbuf_u16(&w, (uint16_t)(8 + len));
	wbuf_u16(&w, 0);
	wbuf_bytes(&w, payload, len);
	if (!wbuf_ok(&w))
		return 0;
	uint16_t ipsum = fold(sum16(0, buf, 20));
	buf[10] = (uint8_t)(ipsum >> 8);
	buf[11] = (uint8_t)ipsum;
	/* UDP checksum over the pseudo header (addresses, protocol, length) and the datagram */
	uint32_t s = sum16(0, buf + 12, 8) + 17 + (uint32_t)(8 + len);
	uint16_t usum = fold(sum16(s, buf + 20, 8 + len));
	if (usum == 0)
		usum = 0xffff;
	buf[26] = (uint8_t)(usum >> 8);
	buf[27] = (uint8_t)usum;
	return total;
}
