/* Path folding. Pure: strings in, strings out. */
#include "path.h"

#include <fnmatch.h>
#include <string.h>

/* Appends one component to out (length *len), folding "." and "..". */
static int push_component(char *out, size_t size, size_t *len, const char *comp, size_t clen)
{
	if (clen == 0 || (clen == 1 && comp[0] == '.'))
		return 0;
	if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--;      /* drop the slash; "" stands for "/" */
		return 0;
	}
	if (*len + 1 + clen >= size)
		return -1;
	out[(*len)++] = '/';
	memcpy(out + *len, comp, clen);
	*len += clen;
	return 0;
}

static int push_path(char *out, size_t size, size_t *len, const char *p)
{
	while (*p) {
		size_t clen = strcspn(p, "/");
		if (push_component(out, size, len, p, clen) != 0)
			return -1;
		p += clen;
		p += strspn(p, "/");
	}
	return 0;
}

int path_resolve(const char *cwd, const char *arg, char *out, size_t size)
{
	size_t len = 0;
	if (size < 2)
		return -1;
	if (arg[0] != '/' && push_path(out, size, &len, cwd) != 0)
		return -1;
	if (push_path(out, size, &len, arg) != 0)
		return -1;
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

const char *path_relative(const char *vpath)
{
	return vpath[1] ? vpath + 1 : ".";
}

const char *path_basename(const char *vpath)
{
	const char *slash = strrchr(vpath, '/');
	return (slash && slash[1]) ? slash + 1 : vpath;
}

bool path_matches_list(const char *patterns, const char *vpath)
{
	if (!patterns || !*patterns)
		return false;
	const char *name = path_basename(vpath);
	size_t plen = strlen(patterns);
	const char *p = patterns;
	if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
		p++;
		plen -= 2;
	}
	char pat[256];
	while (plen > 0) {
		size_t n = 0;
		while (n < plen && p[n] != ',')
			n++;
		if (n < sizeof pat) {
			memcpy(pat, p, n);
			pat[n] = '\0';
			if (fnmatch(pat, name, 0) == 0)
				return true;
		}
		p += n;
		plen -= n;
		if (plen > 0) {
			p++;
			plen--;
		}
	}
	return false;
}
