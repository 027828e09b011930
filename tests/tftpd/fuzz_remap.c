/* Fuzz target: remap rules (before the first NUL) applied to a file name
 * (after it); the byte after the name picks RRQ or WRQ. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "remap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[REMAP_OUT_MAX];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0xc6120002) };
	struct remap_client client;
	char err[128];

	if (size > 1024)     /* bigger regexes only find regcomp's slowness */
		return 0;
	char *text = malloc(size + 2);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = text[size + 1] = '\0';
	const char *name = text + strlen(text) + 1;
	if (name > text + size)
		name = text + size;
	bool is_put = (size_t)(name - text) + strlen(name) + 1 < size;
	struct remap *rm = remap_parse(text, err, sizeof err);
	remap_client_set(&client, (struct sockaddr *)&sin);
	if (rm)
		remap_apply(rm, name, is_put, &client, out, sizeof out);
	remap_free(rm);
	free(text);
	return 0;
}
