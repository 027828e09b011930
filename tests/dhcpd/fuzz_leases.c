/* dhcpd.leases reader on arbitrary text, then the writer on what it read. */
#include <stdint.h>
#include <string.h>

#include "leasefile.h"

static const char conf_text[] =
	"subnet 198.19.0.0 netmask 255.255.0.0 { range 198.19.145.0 198.19.145.255; }\n"
	"subnet 198.18.10.0 netmask 255.255.255.0 { range 198.18.10.20 198.18.10.219; }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_config *cfg;
	char err[512];
	if (!cfg)
		cfg = conf_parse("fuzz.conf", conf_text, strlen(conf_text), err, sizeof err, NULL, NULL);
	struct lease_db *db = lease_db_new(cfg);
	struct leasefile_stats st;
	leasefile_parse(db, "fuzz.leases", (const char *)data, size, &st, err, sizeof err);
	char text[2048];
	for (size_t i = 0; i < lease_count(db); i++)
		if (leasefile_worth_keeping(lease_at(db, i)))
			leasefile_format(lease_at(db, i), text, sizeof text);
	lease_db_free(db);
	return 0;
}
