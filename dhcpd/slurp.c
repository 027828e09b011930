#include "slurp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *slurp(const char *path, size_t max_size, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || ferror(f))
			break;
		if (cap >= max_size) {
			free(buf);
			buf = NULL;
			errno = EFBIG;
			break;
		}
		cap *= 2;
		char *grown = realloc(buf, cap + 1);
		if (!grown)
			free(buf);
		buf = grown;
	}
	int bad = buf && ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}
