/* The anonymous root on disk. Every lookup is a beneath_open (RESOLVE_BENEATH)
 * from the root directory fd, so neither ".." nor a symlink can leave it,
 * whether or not the process is chrooted. */
#ifndef FTPD_FS_H
#define FTPD_FS_H

#include <sys/stat.h>
#include <sys/types.h>

#include "listing.h"
#include "strbuf.h"

/* Opens the root directory. Returns an fd or -1 with errno. */
int fs_root_open(const char *path);
/* Opens vpath (a normalised virtual path) read-only below the root; with
 * want_dir it must be a directory. Returns an fd or -1 with errno. */
int fs_open(int rootfd, const char *vpath, bool want_dir);
/* stat of vpath (symlinks followed, beneath the root). 0 or -1 with errno. */
int fs_stat(int rootfd, const char *vpath, struct stat *st);

/* Whether deny_file's patterns name vpath or, as vsftpd matches the real
 * path, what a symlink there leads to (a few hops at most). */
bool fs_denied(int rootfd, const char *vpath, const char *patterns);

/* Up to size-1 bytes of a small file below the root, NUL-terminated.
 * Returns the length, or -1 with errno. */
ssize_t fs_read_small(int rootfd, const char *vpath, char *buf, size_t size);

struct fs_list_opts {
	enum listing_kind kind;
	struct listing_opts fmt;
	bool force_dot_files;
	bool all;                /* LIST -a: dot files, "." and ".." */
	const char *hide_file;   /* vsftpd patterns, may be NULL */
	const char *pattern;     /* fnmatch(3) glob the names must match, or NULL */
	const char *named;       /* the path as the client wrote it (NLST), or NULL */
};

/* Appends a listing of the directory (its names matching o->pattern) or
 * of the one name vpath (not a directory: lstat'ed, as vsftpd lists it)
 * to out.
 * Returns 0 or -1 with errno. */
int fs_list(int rootfd, const char *vpath, const struct fs_list_opts *o, struct strbuf *out);

#endif
