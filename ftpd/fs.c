#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beneath.h"
#include "path.h"

int fs_root_open(const char *path)
{
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int fs_open(int rootfd, const char *vpath, bool want_dir)
{
	/* O_NONBLOCK keeps a FIFO from hanging the loop at open time; regular
	 * files and directories ignore it */
	return beneath_open(rootfd, path_relative(vpath),
			    O_RDONLY | O_NONBLOCK | (want_dir ? O_DIRECTORY : 0), 0);
}

int fs_stat(int rootfd, const char *vpath, struct stat *st)
{
	return beneath_stat(rootfd, path_relative(vpath), st);
}

/* Opens the directory that holds vpath, its path in parent. An fd, or -1
 * (the root has none). */
static int open_parent(int rootfd, const char *vpath, char parent[FTPD_PATH_MAX])
{
	if (strcmp(vpath, "/") == 0 || path_resolve(vpath, "..", parent, FTPD_PATH_MAX) != 0)
		return -1;
	return fs_open(rootfd, parent, true);
}

#define LINK_HOPS 8

bool fs_denied(int rootfd, const char *vpath, const char *patterns)
{
	char named[FTPD_PATH_MAX], parent[FTPD_PATH_MAX], target[FTPD_PATH_MAX];
	if (!patterns || !*patterns)
		return false;
	snprintf(named, sizeof named, "%s", vpath);
	for (int hop = 0; hop <= LINK_HOPS; hop++) {
		if (path_matches_list(patterns, named))
			return true;
		int dirfd = open_parent(rootfd, named, parent);
		if (dirfd < 0)
			return false;
		ssize_t n = readlinkat(dirfd, path_basename(named), target, sizeof target - 1);
		close(dirfd);
		if (n < 0)
			return false;
		target[n] = '\0';
		if (path_resolve(parent, target, named, sizeof named) != 0)
			return false;
	}
	return false;
}

ssize_t fs_read_small(int rootfd, const char *vpath, char *buf, size_t size)
{
	struct stat st;
	int fd = fs_open(rootfd, vpath, false);
	if (fd < 0)
		return -1;
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, size - 1) : -1;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* parent: the stat ".." shows (NULL: none), taken beneath the root, as
 * in vsftpd's chroot the root's ".." is the root. Returns 0, or -1 when
 * name is not there. */
static int list_one(int dirfd, const char *name, const struct stat *parent,
		     const struct fs_list_opts *o, struct strbuf *out)
{
	struct listing_entry e = { .name = name };
	char target[1024];
	if (strcmp(name, "..") == 0) {
		if (!parent)
			return -1;
		e.st = *parent;
	} else if (fstatat(dirfd, name, &e.st, AT_SYMLINK_NOFOLLOW) != 0) {
		return -1;
	}
	if (S_ISLNK(e.st.st_mode)) {
		ssize_t n = readlinkat(dirfd, name, target, sizeof target - 1);
		if (n >= 0) {
			target[n] = '\0';
			e.link_target = target;
		}
		/* MLSD describes what a symlink names (RFC 3659 7.5.4), when that
		 * is below the directory: a name is never resolved outside it */
		struct stat followed;
		if (o->kind == LISTING_MLSD && beneath_stat(dirfd, name, &followed) == 0)
			e.st = followed;
	}
	listing_add(out, o->kind, &e, &o->fmt);
	return 0;
}

/* A path that is not a directory, as vsftpd lists it: lstat'ed in its
 * directory, so a symlink shows as one, target named, even one that
 * leads nowhere or out of the root. Returns 0, or -1. */
static int list_single(int rootfd, const char *vpath, const struct fs_list_opts *o,
		       struct strbuf *out)
{
	char parent[FTPD_PATH_MAX];
	int dirfd = open_parent(rootfd, vpath, parent);
	if (dirfd < 0)
		return -1;
	int rc = list_one(dirfd, path_basename(vpath), NULL, o, out);
	close(dirfd);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of a directory, sorted as vsftpd sorts them. */
static char **read_names(int dirfd, const struct fs_list_opts *o, size_t *count)
{
	DIR *dir = fdopendir(dup(dirfd));
	if (!dir)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	while ((d = readdir(dir)) != NULL) {
		if (!listing_shows(d->d_name, o->force_dot_files, o->all) ||
		    path_matches_list(o->hide_file, d->d_name) ||
		    (o->pattern && fnmatch(o->pattern, d->d_name, 0) != 0))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown)
				break;
			names = grown;
		}
		names[n] = strdup(d->d_name);
		if (names[n])
			n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	*count = n;
	return names ? names : calloc(1, sizeof *names);
}

int fs_list(int rootfd, const char *vpath, const struct fs_list_opts *o, struct strbuf *out)
{
	struct stat st;
	char prefix[FTPD_PATH_MAX + 1];
	bool is_dir = fs_stat(rootfd, vpath, &st) == 0 && S_ISDIR(st.st_mode);
	struct fs_list_opts with_prefix = *o;
	listing_nlst_prefix(o->named ? o->named : "", is_dir, prefix, sizeof prefix);
	with_prefix.fmt.nlst_prefix = prefix;
	o = &with_prefix;
	if (!is_dir)
		return list_single(rootfd, vpath, o, out);
	int dirfd = fs_open(rootfd, vpath, true);
	if (dirfd < 0)
		return -1;
	size_t n = 0;
	char **names = read_names(dirfd, o, &n);
	char parent_vpath[FTPD_PATH_MAX];
	struct stat parent;
	bool has_parent = o->all &&
			  path_resolve(vpath, "..", parent_vpath, sizeof parent_vpath) == 0 &&
			  fs_stat(rootfd, parent_vpath, &parent) == 0;
	for (size_t i = 0; names && i < n; i++) {
		list_one(dirfd, names[i], has_parent ? &parent : NULL, o, out);
		free(names[i]);
	}
	free(names);
	close(dirfd);
	return names ? 0 : -1;
}
