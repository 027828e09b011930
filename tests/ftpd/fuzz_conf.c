/* vsftpd.conf text through the key table: never crashes, leaks or reads
 * out of bounds, whatever the bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct ftpd_conf c;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ftpd_conf_load_text(&c, text, "fuzz.conf", err, sizeof err);
	ftpd_conf_free(&c);
	free(text);
	return 0;
}
