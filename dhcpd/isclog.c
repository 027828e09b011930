#include "isclog.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Decimal digits of v (< 1000) at p; returns the end. */
static char *put_decimal(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* By hand: a few of these per request, where snprintf showed in profiles. */
const char *ip_str(uint32_t addr)
{
	static char bufs[4][16];
	static unsigned next;
	char *b = bufs[next++ % 4], *p = b;
	for (int shift = 24; shift >= 0; shift -= 8) {
		p = put_decimal(p, (addr >> shift) & 0xff);
		*p++ = shift ? '.' : '\0';
	}
	return b;
}

void hex_bytes(char *dst, size_t size, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t len = 0;
	for (size_t i = 0; i < n && len + 4 < size; i++) {
		if (i)
			dst[len++] = ':';
		dst[len++] = digits[p[i] >> 4];
		dst[len++] = digits[p[i] & 15];
	}
	dst[len] = '\0';
}

/* The parts every line names the client by, as ISC prints them. */
struct who {
	char id[64];        /* chaddr; without a hardware type the client id */
	char name[80];      /* "(hostname) " or "" */
	char via[20];       /* the relay's address, else the interface */
};

/* Copies the first n bytes of src (fewer at a NUL or when dst is full)
 * and terminates: snprintf's work without its cost, paid on every line. */
static size_t copy(char *dst, size_t size, const char *src, size_t n)
{
	n = strnlen(src, n < size - 1 ? n : size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

/* "(name) ". ISC prints a client's host name only when short and
 * printable (db_printable): it comes from the peer and goes into the log. */
static void host_part(char *dst, size_t size, const uint8_t *name, size_t n)
{
	static const char unsuitable[] = "Hostname Unsuitable for Printing";
	n = name ? strnlen((const char *)name, n) : 0;
	dst[0] = '\0';
	if (!n)
		return;
	bool printable = n <= 64;
	for (size_t i = 0; printable && i < n; i++)
		printable = name[i] >= ' ' && name[i] < 0x7f && name[i] != '"' && name[i] != '\\';
	dst[0] = '(';
	n = 1 + copy(dst + 1, size - 3, printable ? (const char *)name : unsuitable, printable ? n : sizeof unsuitable);
	memcpy(dst + n, ") ", 3);
}

/* The client as ISC names it: chaddr, else the client id; the request's
 * host name, else (a RELEASE carries none) the one its lease remembers;
 * where the request came from. */
static void who_of(struct who *w, const struct dhcp_packet *pkt, const struct dhcp_result *res, const char *ifname)
{
	size_t n = 0;
	const uint8_t *p = pkt->h.htype ? pkt->h.chaddr : dhcp_opt(pkt, OPT_CLIENT_ID, &n);
	n = pkt->h.htype ? (pkt->h.hlen <= 16 ? pkt->h.hlen : 16) : n;
	hex_bytes(w->id, sizeof w->id, p, p ? n : 0);
	if (!w->id[0])
		strcpy(w->id, "<no identifier>");
	p = dhcp_opt(pkt, OPT_HOST_NAME, &n);
	if (!p && res->commit) {
		p = (const uint8_t *)res->commit->hostname;
		n = sizeof res->commit->hostname;
	}
	host_part(w->name, sizeof w->name, p, n);
	copy(w->via, sizeof w->via, pkt->h.giaddr ? ip_str(pkt->h.giaddr) : ifname, sizeof w->via);
}

/* The address a REQUEST or DECLINE asks for: option 50, else ciaddr. */
static uint32_t asked_addr(const struct dhcp_packet *pkt)
{
	uint32_t addr;
	return dhcp_opt_u32(pkt, OPT_REQUESTED_IP, &addr) ? addr : pkt->h.ciaddr;
}

/* " (SERVER-ID)" of a REQUEST in the selecting state, else "". */
static const char *server_part(const struct dhcp_packet *pkt, char *dst, size_t size)
{
	uint32_t sid;
	dst[0] = '\0';
	if (dhcp_opt_u32(pkt, OPT_SERVER_ID, &sid))
		snprintf(dst, size, " (%s)", ip_str(sid));
	return dst;
}

/* A length that never exceeds what snprintf wrote into size bytes. */
static size_t clamp(int n, size_t size)
{
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

size_t isclog_request(char *buf, size_t size, const struct dhcp_packet *pkt, const struct dhcp_result *res,
		      const char *ifname)
{
	struct who w;
	char sid[24];
	const char *why = res->why ? res->why : "";
	const char *sep = res->why ? ": " : "";
	who_of(&w, pkt, res, ifname);
	switch (pkt->msg_type) {
	case DHCP_BOOTP:
		return clamp(snprintf(buf, size, "BOOTREQUEST from %s via %s%s%s", w.id, w.via, sep, why), size);
	case DHCPDISCOVER:
		return clamp(snprintf(buf, size, "DHCPDISCOVER from %s %svia %s%s%s", w.id, w.name, w.via, sep, why),
			     size);
	case DHCPREQUEST:
		return clamp(snprintf(buf, size, "DHCPREQUEST for %s%s from %s %svia %s%s%s", ip_str(asked_addr(pkt)),
				      server_part(pkt, sid, sizeof sid), w.id, w.name, w.via, sep, why),
			     size);
	case DHCPDECLINE:
		return clamp(snprintf(buf, size, "DHCPDECLINE of %s from %s %svia %s: %s", ip_str(asked_addr(pkt)),
				      w.id, w.name, w.via, res->commit ? "abandoned" : "not found"),
			     size);
	case DHCPRELEASE:
		return clamp(snprintf(buf, size, "DHCPRELEASE of %s from %s %svia %s (%sfound)", ip_str(pkt->h.ciaddr),
				      w.id, w.name, w.via, res->commit ? "" : "not "),
			     size);
	case DHCPINFORM:
		return clamp(snprintf(buf, size, "DHCPINFORM from %s via %s%s%s", ip_str(pkt->h.ciaddr), w.via, sep,
				      why),
			     size);
	default:
		return 0;   /* a server's message type: dropped, as ISC does, unlogged */
	}
}

static const char *const reply_word[] = {
	[DHCP_BOOTP] = "BOOTREPLY", [DHCPOFFER] = "DHCPOFFER", [DHCPACK] = "DHCPACK",
};

size_t isclog_reply(char *buf, size_t size, const struct dhcp_packet *pkt, const struct dhcp_result *res,
		    const char *ifname)
{
	struct who w;
	const struct dhcp_out *out = &res->out;
	who_of(&w, pkt, res, ifname);
	switch (out->msg_type) {
	case DHCPNAK:
		return clamp(snprintf(buf, size, "DHCPNAK on %s to %s via %s", ip_str(asked_addr(pkt)), w.id, w.via),
			     size);
	case DHCP_BOOTP:
		if (res->fixed_host)   /* ISC's bootp(); a dynamic BOOTP lease is logged as an ACK is */
			return clamp(snprintf(buf, size, "BOOTREPLY for %s to %s (%s) via %s", ip_str(out->h.yiaddr),
					      res->fixed_host, w.id, w.via),
				     size);
		break;
	case DHCPACK:
		if (pkt->msg_type == DHCPINFORM)
			return clamp(snprintf(buf, size, "DHCPACK to %s (%s) via %s", ip_str(pkt->h.ciaddr), w.id,
					      w.via),
				     size);
		break;
	case DHCPOFFER:
		break;
	default:
		return 0;
	}
	return clamp(snprintf(buf, size, "%s on %s to %s %svia %s", reply_word[out->msg_type], ip_str(out->h.yiaddr),
			      w.id, w.name, w.via),
		     size);
}
