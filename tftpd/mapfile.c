/* Remap file loading; see mapfile.h. */
#include "mapfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct remap *mapfile_load(const char *path, char *err, size_t err_size)
{
	char why[160];
	FILE *f = fopen(path, "re");
	char *text = malloc(MAPFILE_MAX + 1);
	struct remap *rm = NULL;

	if (!f || !text) {
		snprintf(err, err_size, "%s: %s", path, strerror(f ? ENOMEM : errno));
	} else {
		size_t n = fread(text, 1, MAPFILE_MAX + 1, f);
		text[n < MAPFILE_MAX ? n : MAPFILE_MAX] = '\0';
		if (n > MAPFILE_MAX || memchr(text, '\0', n))
			snprintf(err, err_size, "%s: too large or not text", path);
		else if (!(rm = remap_parse(text, why, sizeof why)))
			snprintf(err, err_size, "%s: %s", path, why);
	}
	if (f)
		fclose(f);
	free(text);
	return rm;
}
