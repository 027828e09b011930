#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slurp.h"

static int read_existing(struct lease_store *s, const char *path, struct lease_db *db,
			 struct leasefile_stats *st, char *err, size_t err_size)
{
	size_t len;
	char *text = slurp(path, (size_t)1 << 30, &len);
	if (!text && errno == ENOENT) {
		memset(st, 0, sizeof *st);
		return 0;
	}
	if (!text) {
		snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	int rc = leasefile_parse(db, path, text, len, st, err, err_size);
	free(text);
	s->file_records = st->records;
	return rc;
}

int store_open(struct lease_store *s, const char *path, struct lease_db *db,
	       struct leasefile_stats *st, char *err, size_t err_size)
{
	char copy[4096];
	memset(s, 0, sizeof *s);
	s->dir_fd = s->fd = -1;
	snprintf(copy, sizeof copy, "%s", path);
	snprintf(s->name, sizeof s->name, "%s", basename(copy));
	snprintf(copy, sizeof copy, "%s", path);
	s->dir_fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0) {
		snprintf(err, err_size, "%s: cannot open its directory: %s", path, strerror(errno));
		return -1;
	}
	if (read_existing(s, path, db, st, err, err_size) < 0)
		return -1;
	s->fd = openat(s->dir_fd, s->name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (s->fd < 0) {
		snprintf(err, err_size, "%s: cannot open for writing: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int reserve(struct lease_store *s, size_t more)
{
	if (s->pending_len + more <= s->pending_cap)
		return 0;
	size_t cap = s->pending_cap ? s->pending_cap : 65536;
	while (cap < s->pending_len + more)
		cap *= 2;
	char *p = realloc(s->pending, cap);
	if (!p)
		return -1;
	s->pending = p;
	s->pending_cap = cap;
	return 0;
}

int store_append(struct lease_store *s, const struct lease *l)
{
	if (reserve(s, 2048) < 0)
		return -1;
	size_t n = leasefile_format(l, s->pending + s->pending_len, 2048);
	if (!n)
		return -1;
	s->pending_len += n;
	s->file_records++;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int store_write(struct lease_store *s)
{
	int rc = s->pending_len ? write_all(s->fd, s->pending, s->pending_len) : 0;
	s->pending_len = 0;
	return rc;
}

int store_commit(struct lease_store *s)
{
	return store_write(s) < 0 ? -1 : fdatasync(s->fd);
}

size_t store_pending(const struct lease_store *s)
{
	return s->pending_len;
}

static int write_snapshot(int fd, struct lease_db *db)
{
	char buf[65536];
	size_t len = leasefile_header(buf, sizeof buf);
	for (size_t i = 0; i < lease_count(db); i++) {
		const struct lease *l = lease_at(db, i);
		if (!leasefile_worth_keeping(l))
			continue;
		if (len > sizeof buf - 2048) {
			if (write_all(fd, buf, len) < 0)
				return -1;
			len = 0;
		}
		len += leasefile_format(l, buf + len, sizeof buf - len);
	}
	return write_all(fd, buf, len) < 0 ? -1 : fsync(fd);
}

int store_compact(struct lease_store *s, struct lease_db *db)
{
	char tmp[300];
	snprintf(tmp, sizeof tmp, "%s.tmp", s->name);
	int fd = openat(s->dir_fd, tmp, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (store_commit(s) < 0 || write_snapshot(fd, db) < 0 || renameat(s->dir_fd, tmp, s->dir_fd, s->name) < 0) {
		int e = errno;
		close(fd);
		unlinkat(s->dir_fd, tmp, 0);
		errno = e;
		return -1;
	}
	if (fsync(s->dir_fd) < 0) {
		close(fd);
		return -1;
	}
	close(s->fd);
	s->fd = fd;  /* the new file; appends continue at its end */
	s->file_records = 0;
	return lseek(fd, 0, SEEK_END) < 0 ? -1 : 0;
}

void store_close(struct lease_store *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	free(s->pending);
	s->pending = NULL;
	s->fd = s->dir_fd = -1;
}
