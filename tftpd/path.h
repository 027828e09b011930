/* Which file a requested name may mean, as pure string rules: no control
 * characters, no ".." component, a leading "/" (or a served directory's own
 * path, as in.tftpd accepts) is taken inside the served root. Under -s
 * ".." is allowed, as in.tftpd's chroot allows it: opening resolves it
 * inside the root. Symlinks are handled when opening (files.c), by the
 * kernel. */
#ifndef TFTPD_PATH_H
#define TFTPD_PATH_H

#include <stddef.h>

enum path_verdict {
	PATH_OK,
	PATH_CONTROL,   /* a control character */
	PATH_DOTDOT,    /* a ".." component */
};

/* *rel points into name: the path relative to a served directory. roots
 * are the served directories (without -s), n_roots may be 0. *root is the
 * index of the directory the name spells out, or -1: look in each. */
enum path_verdict path_resolve(const char *name, const char *const *roots, size_t n_roots,
			       const char **rel, int *root);
/* The same under -s: ".." allowed, *rel relative to the root. */
enum path_verdict path_resolve_in_root(const char *name, const char **rel);
const char *path_verdict_str(enum path_verdict v);

#endif
