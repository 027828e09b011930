/* The option table: names as ISC's dhcp-options(5) spells them. */
#include "opts.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const struct opt_def standard[] = {
	{ "subnet-mask", 1, OT_IP, false, 0 },
	{ "time-offset", 2, OT_S32, false, 0 },
	{ "routers", 3, OT_IP, true, 0 },
	{ "time-servers", 4, OT_IP, true, 0 },
	{ "domain-name-servers", 6, OT_IP, true, 0 },
	{ "log-servers", 7, OT_IP, true, 0 },
	{ "host-name", 12, OT_TEXT, false, 0 },
	{ "boot-size", 13, OT_U16, false, 0 },
	{ "domain-name", 15, OT_TEXT, false, 0 },
	{ "swap-server", 16, OT_IP, false, 0 },
	{ "root-path", 17, OT_TEXT, false, 0 },
	{ "ip-forwarding", 19, OT_BOOL, false, 0 },
	{ "default-ip-ttl", 23, OT_U8, false, 0 },
	{ "interface-mtu", 26, OT_U16, false, 0 },
	{ "all-subnets-local", 27, OT_BOOL, false, 0 },
	{ "broadcast-address", 28, OT_IP, false, 0 },
	{ "nis-domain", 40, OT_TEXT, false, 0 },
	{ "nis-servers", 41, OT_IP, true, 0 },
	{ "ntp-servers", 42, OT_IP, true, 0 },
	{ "vendor-encapsulated-options", 43, OT_STRING, false, 0 },
	{ "netbios-name-servers", 44, OT_IP, true, 0 },
	{ "netbios-node-type", 46, OT_U8, false, 0 },
	{ "netbios-scope", 47, OT_TEXT, false, 0 },
	{ "dhcp-requested-address", 50, OT_IP, false, 0 },
	{ "dhcp-lease-time", 51, OT_U32, false, 0 },
	{ "dhcp-server-identifier", 54, OT_IP, false, 0 },
	{ "dhcp-message", 56, OT_TEXT, false, 0 },
	{ "dhcp-max-message-size", 57, OT_U16, false, 0 },
	{ "dhcp-renewal-time", 58, OT_U32, false, 0 },
	{ "dhcp-rebinding-time", 59, OT_U32, false, 0 },
	{ "vendor-class-identifier", 60, OT_STRING, false, 0 },
	{ "dhcp-client-identifier", 61, OT_STRING, false, 0 },
	{ "tftp-server-name", 66, OT_TEXT, false, 0 },
	{ "bootfile-name", 67, OT_TEXT, false, 0 },
	{ "smtp-server", 69, OT_IP, true, 0 },
	{ "pop-server", 70, OT_IP, true, 0 },
	{ "www-server", 72, OT_IP, true, 0 },
	{ "user-class", 77, OT_STRING, false, 0 },
	{ "pxe-system-type", 93, OT_U16, true, 0 },
	{ "pxe-interface-id", 94, OT_STRING, false, 0 },
	{ "pxe-client-id", 97, OT_STRING, false, 0 },
	{ "domain-search", 119, OT_DOMAINS, true, 0 },
};

void opt_table_init(struct opt_table *t)
{
	size_t n = sizeof standard / sizeof standard[0];
	memcpy(t->defs, standard, sizeof standard);
	t->n = n;
}

const struct opt_def *opt_by_name(const struct opt_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->defs[i].name, name) == 0)
			return &t->defs[i];
	return NULL;
}

bool opt_space_add(struct opt_table *t, const char *name)
{
	if (opt_space_find(t, name))
		return true;
	if (t->n_spaces == 0)
		t->n_spaces = 1;
	if (t->n_spaces == OPT_MAX_SPACES || strlen(name) >= sizeof t->spaces[0])
		return false;
	strcpy(t->spaces[t->n_spaces++], name);
	return true;
}

uint8_t opt_space_find(const struct opt_table *t, const char *name)
{
	for (size_t i = 1; i < t->n_spaces; i++)
		if (strcmp(t->spaces[i], name) == 0)
			return (uint8_t)i;
	return 0;
}

const char *opt_define(struct opt_table *t, const char *name, uint8_t code, enum opt_type type, bool array)
{
	const char *dot = strchr(name, '.');
	uint8_t space = 0;
	if (dot) {
		char sp[32];
		size_t n = (size_t)(dot - name);
		if (n >= sizeof sp)
			return "option space name too long";
		memcpy(sp, name, n);
		sp[n] = '\0';
		if (!(space = opt_space_find(t, sp)))
			return "unknown option space; declare it first with 'option space NAME;'";
	}
	struct opt_def *d = (struct opt_def *)opt_by_name(t, name);
	if (!d) {
		if (t->n >= OPT_MAX_DEFS || strlen(name) >= sizeof d->name)
			return "too many option definitions, or the name is too long";
		d = &t->defs[t->n++];
	}
	snprintf(d->name, sizeof d->name, "%s", name);
	d->code = code;
	d->space = space;
	d->type = type;
	d->array = array;
	return NULL;
}

struct type_name {
	const char *text;
	enum opt_type type;
};

static const struct type_name type_names[] = {
	{ "ip-address", OT_IP },
	{ "unsigned integer 8", OT_U8 },
	{ "unsigned integer 16", OT_U16 },
	{ "unsigned integer 32", OT_U32 },
	{ "signed integer 8", OT_S8 },
	{ "signed integer 16", OT_S16 },
	{ "signed integer 32", OT_S32 },
	{ "integer 8", OT_S8 },
	{ "integer 16", OT_S16 },
	{ "integer 32", OT_S32 },
	{ "boolean", OT_BOOL },
	{ "text", OT_TEXT },
	{ "string", OT_STRING },
	{ "domain-list", OT_DOMAINS },
};

bool opt_type_parse(const char *const *words, size_t n, enum opt_type *type, bool *array)
{
	*array = n >= 2 && strcmp(words[0], "array") == 0 && strcmp(words[1], "of") == 0;
	if (*array) {
		words += 2;
		n -= 2;
	}
	char joined[64] = "";
	for (size_t i = 0; i < n; i++) {
		if (strlen(joined) + strlen(words[i]) + 2 > sizeof joined)
			return false;
		if (i)
			strcat(joined, " ");
		strcat(joined, words[i]);
	}
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
		if (strcmp(joined, type_names[i].text) == 0) {
			*type = type_names[i].type;
			return true;
		}
	}
	return false;
}

bool ip_parse(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

int hex_parse(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (*s) {
		char *end;
		if (!isxdigit((unsigned char)s[0]) || n >= cap)
			return -1;
		errno = 0;
		unsigned long v = strtoul(s, &end, 16);
		if (errno || v > 0xff || end - s > 2 || (*end && *end != ':'))
			return -1;
		out[n++] = (uint8_t)v;
		s = *end ? end + 1 : end;
		if (*end == ':' && !*s)
			return -1;
	}
	return (int)n;
}

static const char *append(uint8_t *out, size_t cap, size_t *len, const void *src, size_t n)
{
	if (*len + n > cap)
		return "value too long";
	memcpy(out + *len, src, n);
	*len += n;
	return NULL;
}

static const char *encode_int(enum opt_type type, const char *text, uint8_t *out, size_t cap, size_t *len)
{
	static const struct { int bytes; long long lo, hi; } lim[] = {
		[OT_U8] = { 1, 0, 0xff }, [OT_U16] = { 2, 0, 0xffff }, [OT_U32] = { 4, 0, 0xffffffffLL },
		[OT_S8] = { 1, -128, 127 }, [OT_S16] = { 2, -32768, 32767 },
		[OT_S32] = { 4, -2147483648LL, 2147483647LL },
	};
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 0);
	if (errno || *end || end == text || v < lim[type].lo || v > lim[type].hi)
		return "number expected (or out of range)";
	uint8_t b[4];
	int n = lim[type].bytes;
	for (int i = 0; i < n; i++)
		b[i] = (uint8_t)((unsigned long long)v >> (8 * (n - 1 - i)));
	return append(out, cap, len, b, (size_t)n);
}

/* RFC 1035 labels, uncompressed (RFC 3397 allows either). */
static const char *encode_domain(const char *text, uint8_t *out, size_t cap, size_t *len)
{
	const char *p = text;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n > 63)
			return "bad domain name";
		uint8_t l = (uint8_t)n;
		const char *e = append(out, cap, len, &l, 1);
		if (!e)
			e = append(out, cap, len, p, n);
		if (e)
			return e;
		p += n + (dot != NULL);
	}
	return append(out, cap, len, "", 1);
}

static const char *encode_bool(const char *text, uint8_t *out, size_t cap, size_t *len)
{
	static const char *const yes[] = { "true", "on", "1" }, *const no[] = { "false", "off", "0" };
	for (size_t i = 0; i < 3; i++) {
		uint8_t v = (uint8_t)(strcmp(text, yes[i]) == 0);
		if (v || strcmp(text, no[i]) == 0)
			return append(out, cap, len, &v, 1);
	}
	return "true or false expected";
}

const char *opt_encode(enum opt_type type, const char *text, size_t text_len, bool is_string,
		       uint8_t *out, size_t cap, size_t *len)
{
	uint8_t tmp[256];
	uint32_t ip;
	int n;
	switch (type) {
	case OT_IP:
		if (is_string || !ip_parse(text, &ip))
			return "IPv4 address expected (host names are not resolved)";
		ip = htonl(ip);
		return append(out, cap, len, &ip, 4);
	case OT_BOOL:
		return encode_bool(text, out, cap, len);
	case OT_TEXT:
		return is_string ? append(out, cap, len, text, text_len) : "quoted string expected";
	case OT_STRING:
		if (is_string)
			return append(out, cap, len, text, text_len);
		n = hex_parse(text, tmp, sizeof tmp);
		return n < 0 ? "quoted string or hex bytes (aa:bb:cc) expected" : append(out, cap, len, tmp, (size_t)n);
	case OT_DOMAINS:
		return is_string ? encode_domain(text, out, cap, len) : "quoted domain name expected";
	default:
		return is_string ? "number expected" : encode_int(type, text, out, cap, len);
	}
}
