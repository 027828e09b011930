/* Served files; see files.h. */
#include "files.h"

#include "beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* As in.tftpd answers a failed open: the errors TFTP has a code for, and
 * anything else as code 0 with the system's message ("Permission denied",
 * "Is a directory", "File name too long"). EXDEV, a path leading out of
 * the served directory (which in.tftpd would follow), is an access
 * violation. */
static const struct {
	int err;
	enum tftp_errcode code;
	const char *msg;
} coded_errnos[] = {
	{ ENOENT, TFTP_ENOTFOUND, "File not found" },
	{ ENOTDIR, TFTP_ENOTFOUND, "File not found" },
	{ ENOSPC, TFTP_ENOSPACE, "Disk full or allocation exceeded" },
	{ EEXIST, TFTP_EEXISTS, "File already exists" },
	{ EXDEV, TFTP_EACCESS, "Access violation" },
};

/* The message for the client, with *code. */
static const char *errno_refusal(int err, enum tftp_errcode *code)
{
	for (size_t i = 0; i < sizeof coded_errnos / sizeof coded_errnos[0]; i++)
		if (coded_errnos[i].err == err) {
			*code = coded_errnos[i].code;
			return coded_errnos[i].msg;
		}
	*code = TFTP_EUNDEF;
	return strerror(err);
}

static int open_in(const struct file_table *ft, int dir_fd, const char *rel, int flags,
		   mode_t mode)
{
	return ft->in_root ? beneath_open_in_root(dir_fd, rel, flags, mode)
			   : beneath_open(dir_fd, rel, flags, mode);
}

/* In root, or with root -1 the first served directory where it exists.
 * O_NONBLOCK: opening a FIFO must not stall the loop (it is refused after
 * as not a regular file); reads and writes of regular files ignore it. */
static int open_in_roots(const struct file_table *ft, int root, const char *rel, int flags,
			 mode_t mode)
{
	unsigned i = root >= 0 ? (unsigned)root : 0;
	unsigned end = root >= 0 ? i + 1 : ft->n_roots;
	int fd = -1;

	errno = ENOENT;
	for (; i < end && fd < 0; i++) {
		fd = open_in(ft, ft->root_fds[i], rel, flags | O_NONBLOCK, mode);
		if (fd < 0 && errno != ENOENT)
			break;
	}
	return fd;
}

/* Whether the file, as st says it is now, was written since f was opened. */
static bool changed(const struct tftpd_file *f, const struct stat *st)
{
	return (uint64_t)st->st_size != f->size || st->st_mtim.tv_sec != f->mtime.tv_sec ||
	       st->st_mtim.tv_nsec != f->mtime.tv_nsec;
}

static void file_close(struct file_table *ft, struct tftpd_file **link)
{
	struct tftpd_file *f = *link;

	*link = f->next;
	ft->n_open--;
	if (f->map)
		munmap((void *)f->map, f->size);
	close(f->fd);
	free(f);
}

/* Not mapped when empty (mmap refuses 0 bytes) or when mmap fails (the
 * address space of a 32-bit process): then it is read with pread. */
static struct tftpd_file *file_new(int fd, const struct stat *st)
{
	struct tftpd_file *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	*f = (struct tftpd_file){ .fd = fd, .dev = st->st_dev, .ino = st->st_ino,
				  .size = (uint64_t)st->st_size, .mtime = st->st_mtim, .refs = 1 };
	if (f->size > 0 && f->size <= SIZE_MAX) {
		void *map = mmap(NULL, (size_t)f->size, PROT_READ, MAP_SHARED, fd, 0);
		f->map = map == MAP_FAILED ? NULL : map;
	}
	return f;
}

/* A changed entry of the same inode is left to its transfers, which fail
 * at their next read, or closed if none is left: the new request reads
 * the file as it is now. */
static struct tftpd_file *share(struct file_table *ft, int fd, const struct stat *st)
{
	for (struct tftpd_file **pp = &ft->open; *pp;) {
		struct tftpd_file *f = *pp;
		if (f->dev != st->st_dev || f->ino != st->st_ino) {
			pp = &f->next;
		} else if (!changed(f, st)) {
			close(fd);
			f->refs++;
			return f;
		} else if (f->refs == 0) {
			file_close(ft, pp);
		} else {
			pp = &f->next;
		}
	}
	struct tftpd_file *f = file_new(fd, st);
	if (!f) {
		close(fd);
		return NULL;
	}
	f->next = ft->open;
	ft->open = f;
	ft->n_open++;
	return f;
}

/* Why an opened file may not be served (NULL: it may), as in.tftpd words
 * it: a directory fails its first read, a file lacking the world bit its
 * -p check. Other non-regular files (FIFOs, devices) in.tftpd would open
 * and read; here they are refused, so a FIFO cannot stall a transfer. */
static const char *opened_refusal(int fd, bool permissive, mode_t world_bit,
				  enum tftp_errcode *code, struct stat *st)
{
	if (fstat(fd, st) != 0)
		return errno_refusal(errno, code);
	if (S_ISDIR(st->st_mode))
		return errno_refusal(EISDIR, code);
	*code = TFTP_EACCESS;
	if (!S_ISREG(st->st_mode))
		return "Not a regular file";
	if (permissive || (st->st_mode & world_bit))
		return NULL;
	return world_bit == S_IROTH ? "File must have global read permissions"
				    : "File must have global write permissions";
}

int files_open_read(struct file_table *ft, int root, const char *rel, struct tftpd_file **out,
		    uint64_t *size, enum tftp_errcode *code, const char **msg)
{
	struct stat st;
	int fd = open_in_roots(ft, root, rel, O_RDONLY, 0);

	*msg = fd < 0 ? errno_refusal(errno, code)
		      : opened_refusal(fd, ft->permissive, S_IROTH, code, &st);
	if (*msg) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*out = share(ft, fd, &st);
	*size = (uint64_t)st.st_size;
	if (!*out) {
		*code = TFTP_EUNDEF;
		*msg = "Out of memory";
		return -1;
	}
	return 0;
}

/* Checked before truncating: a file that may not be written stays intact. */
static const char *write_refusal(const struct file_table *ft, int fd, enum tftp_errcode *code)
{
	struct stat st;
	const char *msg = opened_refusal(fd, ft->permissive, S_IWOTH, code, &st);

	if (!msg && ftruncate(fd, 0) != 0)
		msg = errno_refusal(errno, code);
	return msg;
}

int files_open_write(struct file_table *ft, int root, const char *rel, enum tftp_errcode *code,
		     const char **msg)
{
	int fd = open_in_roots(ft, root, rel, O_WRONLY, 0);
	int new_in = ft->root_fds[root >= 0 ? root : 0];

	if (fd < 0 && errno == ENOENT && ft->create)
		fd = open_in(ft, new_in, rel, O_WRONLY | O_CREAT | O_EXCL, 0666 & ~ft->umask);
	else if (fd >= 0 && (*msg = write_refusal(ft, fd, code)) != NULL) {
		close(fd);
		return -1;
	}
	if (fd < 0)
		*msg = errno_refusal(errno, code);
	return fd;
}

uint64_t files_release(struct file_table *ft, struct tftpd_file *f, uint64_t now_ms)
{
	if (--f->refs == 0)
		f->idle_since_ms = now_ms;
	return files_expire(ft, now_ms);
}

/* The list is newest first: past FILES_LINGER_MAX lingering files, those
 * opened longest ago are closed. */
uint64_t files_expire(struct file_table *ft, uint64_t now_ms)
{
	uint64_t next = 0;
	unsigned lingering = 0;

	for (struct tftpd_file **pp = &ft->open; *pp;) {
		struct tftpd_file *f = *pp;
		uint64_t idle = now_ms > f->idle_since_ms ? now_ms - f->idle_since_ms : 0;
		if (f->refs > 0) {
			pp = &f->next;
		} else if (idle >= FILES_LINGER_MS || ++lingering > FILES_LINGER_MAX) {
			file_close(ft, pp);
		} else {
			if (next == 0 || FILES_LINGER_MS - idle < next)
				next = FILES_LINGER_MS - idle;
			pp = &f->next;
		}
	}
	return next;
}

/* Looked at after a read: a write updates mtime before it copies its
 * bytes, so a read that saw any new byte finds the file changed. The size
 * catches writes within one tick of the file system's clock. */
int files_check(const struct tftpd_file *f)
{
	struct stat st;

	if (fstat(f->fd, &st) != 0)
		return -1;
	if (changed(f, &st)) {
		errno = ESTALE;
		return -1;
	}
	return 0;
}

int files_read(const struct tftpd_file *f, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ESTALE;     /* it shrank */
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return files_check(f);
}
