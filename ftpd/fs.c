#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
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
 * in vsftpd's chroot the root's ".." is the root. */
static void list_one(int dirfd, const char *name, const struct stat *parent,
		     const struct fs_list_opts *o, struct strbuf *out)
{
	struct listing_entry e = { .name = name };
	char target[1024];
	if (strcmp(name, "..") == 0) {
		if (!parent)
			return;
		e.st = *parent;
	} else if (fstatat(dirfd, name, &e.st, AT_SYMLINK_NOFOLLOW) != 0) {
		return;
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
	if (fs_stat(rootfd, vpath, &st) != 0)
		return -1;
	struct fs_list_opts with_prefix = *o;
	listing_nlst_prefix(o->named ? o->named : "", S_ISDIR(st.st_mode), prefix, sizeof prefix);
	with_prefix.fmt.nlst_prefix = prefix;
	o = &with_prefix;
	if (!S_ISDIR(st.st_mode)) {
		struct listing_entry e = { .name = path_basename(vpath), .st = st };
		listing_add(out, o->kind, &e, &o->fmt);
		return 0;
	}
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
