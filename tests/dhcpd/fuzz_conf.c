/* dhcpd.conf parser on arbitrary text; a config that loads is evaluated
 * (classes, if/else, expressions, boot kinds, option 43) for a PXE
 * request against every range and host. */
#include <stdint.h>
#include <string.h>

#include "conf.h"

/* A UEFI PXE DISCOVER: options 53, 93, 60, 77, 61 */
static const uint8_t opts[] = {
	99, 130, 83, 99, 53, 1, 1, 93, 2, 0, 7, 60, 32, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', ':', 'A', 'r',
	'c', 'h', ':', '0', '0', '0', '0', '7', ':', 'U', 'N', 'D', 'I', ':', '0', '0', '3', '0', '1', '6', 77, 4,
	'i', 'P', 'X', 'E', 61, 7, 1, 0x52, 0x54, 0, 0x12, 0x34, 1, 255,
};

static const struct dhcp_packet *request(void)
{
	static struct dhcp_packet pkt;
	static uint8_t buf[300] = { BOOTREQUEST, 1, 6, 0 };
	if (!pkt.has_cookie) {
		memcpy(buf + 28, "\x52\x54\x00\x12\x34\x01", 6);
		memcpy(buf + DHCP_FIXED_LEN, opts, sizeof opts);
		dhcp_parse(&pkt, buf, sizeof buf);
	}
	return &pkt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Evaluates the parameters for one scope and host, as a reply would. */
static void evaluate(const struct dhcp_config *cfg, const struct conf_scope *outer,
		     const struct conf_host *host)
{
	struct conf_params p;
	uint8_t vendor[256];   /* as a reply holds it (option 43) */
	conf_params_for(&p, cfg, outer, host, request());
	conf_vendor_options(&p, vendor, sizeof vendor);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct dhcp_config *cfg = conf_parse("fuzz.conf", (const char *)data, size, err, sizeof err, NULL, NULL);
	if (!cfg)
		return 0;
	for (size_t i = 0; i < cfg->n_ranges; i++)
		evaluate(cfg, cfg->ranges[i].scope, NULL);
	for (size_t i = 0; i < cfg->n_hosts; i++)
		evaluate(cfg, &cfg->global, &cfg->hosts[i]);
	conf_free(cfg);
	return 0;
}
