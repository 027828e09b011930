#include "listarg.h"

#include <string.h>

#define GLOB_CHARS "*?["

/* Reads "-abc" option words; returns where the path starts. */
static const char *read_options(const char *arg, struct list_arg *out)
{
	while (arg[0] == '-') {
		size_t len = strcspn(arg, " ");
		for (size_t i = 1; i < len; i++) {
			out->all |= arg[i] == 'a';
			out->long_format |= arg[i] == 'l';
		}
		arg += len;
		arg += strspn(arg, " ");
	}
	return arg;
}

static int copy(char *dst, const char *src, size_t len)
{
	if (len >= FTPD_PATH_MAX)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int listarg_parse(const char *arg, struct list_arg *out)
{
	memset(out, 0, sizeof *out);
	const char *path = read_options(arg, out);
	const char *slash = strrchr(path, '/');
	const char *last = slash ? slash + 1 : path;
	if (!strpbrk(last, GLOB_CHARS))
		return copy(out->dir, path, strlen(path));
	/* "/x*" lists "/", "x*" the cwd */
	size_t dir_len = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (copy(out->dir, path, dir_len) != 0)
		return -1;
	return copy(out->pattern, last, strlen(last));
}
