#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slurp.h"

#define STORE_PAD_LINE 64

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
	s->fd = openat(s->dir_fd, s->name, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	s->end = s->size = s->fd < 0 ? -1 : lseek(s->fd, 0, SEEK_END);
	if (s->end < 0) {
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

static int write_all(int fd, const char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Padding after the pending records, up to STORE_SLACK beyond them:
 * blank comment lines. Short lines because ISC's reader refuses a run of
 * whitespace longer than its token buffer; blank because a record written
 * over the start of one leaves the rest of that line behind. */
static int add_padding(struct lease_store *s)
{
	if (reserve(s, STORE_SLACK) < 0)
		return -1;
	char *pad = s->pending + s->pending_len;
	memset(pad, ' ', STORE_SLACK);
	for (size_t i = 0; i < STORE_SLACK; i += STORE_PAD_LINE) {
		pad[i] = '#';
		pad[i + STORE_PAD_LINE - 1] = '\n';
	}
	return 0;
}

/* Writes the queued records, and padding ahead when they reach its end. */
static int store_write(struct lease_store *s)
{
	size_t records = s->pending_len;
	bool grow = s->end + (off_t)records > s->size;
	size_t len = records + (grow ? STORE_SLACK : 0);
	int rc = records && grow ? add_padding(s) : 0;
	if (records && rc == 0)
		rc = write_all(s->fd, s->pending, len, s->end);
	s->pending_len = 0;
	if (rc < 0)
		return -1;
	s->end += (off_t)records;
	if (grow)
		s->size = s->end + STORE_SLACK;
	return 0;
}

int store_commit(struct lease_store *s)
{
	return store_write(s) < 0 ? -1 : fdatasync(s->fd);
}

size_t store_pending(const struct lease_store *s)
{
	return s->pending_len;
}

/* Writes the current records to fd; returns the length, or -1. */
static off_t write_snapshot(int fd, struct lease_db *db)
{
	char buf[65536];
	off_t off = 0;
	size_t len = leasefile_header(buf, sizeof buf);
	for (size_t i = 0; i < lease_count(db); i++) {
		const struct lease *l = lease_at(db, i);
		if (!leasefile_worth_keeping(l))
			continue;
		if (len > sizeof buf - 2048) {
			if (write_all(fd, buf, len, off) < 0)
				return -1;
			off += (off_t)len;
			len = 0;
		}
		len += leasefile_format(l, buf + len, sizeof buf - len);
	}
	return write_all(fd, buf, len, off) < 0 || fsync(fd) < 0 ? -1 : off + (off_t)len;
}

int store_compact(struct lease_store *s, struct lease_db *db)
{
	char tmp[300];
	snprintf(tmp, sizeof tmp, "%s.tmp", s->name);
	int fd = openat(s->dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	off_t len = store_commit(s) < 0 ? -1 : write_snapshot(fd, db);
	if (len < 0 || renameat(s->dir_fd, tmp, s->dir_fd, s->name) < 0) {
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
	s->fd = fd;  /* the new file; records continue at its end */
	s->end = s->size = len;
	s->file_records = 0;
	return 0;
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
