#include "events.h"

#include <stdio.h>
#include <string.h>

#include "event.h"
#include "isclog.h"

/* Text of an option as a C string (empty when absent). */
static void opt_text(const struct dhcp_packet *pkt, uint8_t code, char *dst, size_t size)
{
	size_t n = 0;
	const uint8_t *p = dhcp_opt(pkt, code, &n);
	n = p ? (n < size - 1 ? n : size - 1) : 0;
	if (n)
		memcpy(dst, p, n);
	dst[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!dst[i])
			dst[i] = '.';
}

/* iPXE sends option 77 bare ("iPXE"), RFC 3004 clients length-prefixed. */
static void user_class(const struct dhcp_packet *pkt, char *dst, size_t size)
{
	size_t n = 0;
	const uint8_t *p = dhcp_opt(pkt, OPT_USER_CLASS, &n);
	opt_text(pkt, OPT_USER_CLASS, dst, size);
	if (p && n > 1 && p[0] == n - 1)
		memmove(dst, dst + 1, strlen(dst));
}

struct client_fields {
	char mac[64], cid[160], arch[8], vendor[128], uclass[64], relay[16];
};

static void client_fields(const struct dhcp_packet *pkt, struct client_fields *f)
{
	hex_bytes(f->mac, sizeof f->mac, pkt->h.chaddr, pkt->h.hlen);
	size_t n;
	const uint8_t *cid = dhcp_opt(pkt, OPT_CLIENT_ID, &n);
	hex_bytes(f->cid, sizeof f->cid, cid, cid ? n : 0);
	uint16_t arch;
	f->arch[0] = '\0';
	if (dhcp_opt_u16(pkt, OPT_ARCH, &arch))
		snprintf(f->arch, sizeof f->arch, "%u", arch);
	opt_text(pkt, OPT_VENDOR_CLASS, f->vendor, sizeof f->vendor);
	user_class(pkt, f->uclass, sizeof f->uclass);
	strcpy(f->relay, pkt->h.giaddr ? ip_str(pkt->h.giaddr) : "");
}

/* event_emit takes key/value pairs; absent values are left out by
 * passing the pair list through this filter. */
#define MAX_KV 24

static void emit(const char *name, const char *const *kv, size_t n)
{
	const char *v[MAX_KV] = { 0 };
	size_t m = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		if (kv[i + 1] && kv[i + 1][0]) {
			v[m++] = kv[i];
			v[m++] = kv[i + 1];
		}
	}
	/* event_emit is variadic: fixed arity call with NULL padding */
	event_emit(name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
		   v[14], v[15], v[16], v[17], v[18], v[19], NULL);
}

void events_request(const struct dhcp_packet *pkt)
{
	static const char *const names[] = { [DHCPDISCOVER] = "discover", [DHCPREQUEST] = "request" };
	if (pkt->msg_type != DHCPDISCOVER && pkt->msg_type != DHCPREQUEST)
		return;
	struct client_fields f;
	client_fields(pkt, &f);
	uint32_t want = 0;
	dhcp_opt_u32(pkt, OPT_REQUESTED_IP, &want);
	const char *kv[] = { "mac", f.mac, "cid", f.cid, "arch", f.arch, "vendor", f.vendor, "user_class", f.uclass,
			     "ip", want ? ip_str(want) : "", "relay", f.relay };
	emit(names[pkt->msg_type], kv, sizeof kv / sizeof kv[0]);
}

void events_reply(const struct dhcp_packet *pkt, const struct dhcp_result *res)
{
	if (!res->event)
		return;
	struct client_fields f;
	client_fields(pkt, &f);
	const struct dhcp_hdr *h = &res->out.h;
	bool nak = res->out.msg_type == DHCPNAK;
	const char *kv[] = { "mac", f.mac, "cid", f.cid, "arch", f.arch, "vendor", f.vendor,
			     "ip", h->yiaddr ? ip_str(h->yiaddr) : "", "file", h->file,
			     "next_server", h->siaddr ? ip_str(h->siaddr) : "", "relay", f.relay,
			     "reason", nak ? res->why : "" };
	emit(res->event, kv, sizeof kv / sizeof kv[0]);
}
