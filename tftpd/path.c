/* Requested-name policy; see path.h. */
#include "path.h"

#include <stdbool.h>
#include <string.h>

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool has_dotdot(const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return true;
		s += n;
		s += strspn(s, "/");
	}
	return false;
}

/* "/var/lib/tftpboot/x" served from /var/lib/tftpboot means "x" in it:
 * the root's index (name moved past it), or -1. */
static int strip_root(const char **name, const char *const *roots, size_t n_roots)
{
	for (size_t i = 0; i < n_roots; i++) {
		size_t n = strlen(roots[i]);
		while (n > 1 && roots[i][n - 1] == '/')
			n--;
		if (n > 1 && strncmp(*name, roots[i], n) == 0 && (*name)[n] == '/') {
			*name += n;
			return (int)i;
		}
	}
	return -1;
}

/* name past its leading slashes, taken relative to a root; a name of
 * slashes alone is the root itself, which the open refuses as in.tftpd
 * does ("Is a directory"). */
static enum path_verdict relative(const char *name, const char **rel)
{
	name += strspn(name, "/");
	*rel = *name ? name : ".";
	return PATH_OK;
}

enum path_verdict path_resolve(const char *name, const char *const *roots, size_t n_roots,
			       const char **rel, int *root)
{
	*rel = NULL;
	*root = -1;
	if (has_control(name))
		return PATH_CONTROL;
	if (has_dotdot(name))
		return PATH_DOTDOT;
	*root = strip_root(&name, roots, n_roots);
	return relative(name, rel);
}

enum path_verdict path_resolve_in_root(const char *name, const char **rel)
{
	*rel = NULL;
	return has_control(name) ? PATH_CONTROL : relative(name, rel);
}

const char *path_verdict_str(enum path_verdict v)
{
	static const char *const names[] = {
		[PATH_OK] = "ok",
		[PATH_CONTROL] = "control character in file name",
		[PATH_DOTDOT] = "\"..\" in file name",
	};
	return v < sizeof names / sizeof names[0] ? names[v] : "?";
}
