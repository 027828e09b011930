/* Served files; see files.h. */
#include "files.h"

#include "beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static enum tftp_errcode errno_code(int err, const char **msg)
{
	if (err == ENOENT || err == ENOTDIR) {
		*msg = "File not found";
		return TFTP_ENOTFOUND;
	}
	if (err == ENOSPC || err == EDQUOT) {
		*msg = "Disk full or allocation exceeded";
		return TFTP_ENOSPACE;
	}
	*msg = "Permission denied";
	return TFTP_EACCESS;
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

static struct tftpd_file *share(struct file_table *ft, int fd, const struct stat *st)
{
	for (struct tftpd_file *f = ft->open; f; f = f->next)
		if (f->dev == st->st_dev && f->ino == st->st_ino) {
			close(fd);
			f->refs++;
			return f;
		}
	struct tftpd_file *f = calloc(1, sizeof *f);
	if (!f) {
		close(fd);
		return NULL;
	}
	*f = (struct tftpd_file){ fd, st->st_dev, st->st_ino, 1, ft->open };
	ft->open = f;
	ft->n_open++;
	return f;
}

enum tftp_errcode files_open_read(struct file_table *ft, int root, const char *rel,
				  struct tftpd_file **out, uint64_t *size, const char **msg)
{
	struct stat st;
	int fd = open_in_roots(ft, root, rel, O_RDONLY, 0);

	if (fd < 0)
		return errno_code(errno, msg);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (!ft->permissive && !(st.st_mode & S_IROTH))) {
		close(fd);
		return errno_code(EACCES, msg);
	}
	*out = share(ft, fd, &st);
	*size = (uint64_t)st.st_size;
	if (!*out) {
		*msg = "Out of memory";
		return TFTP_EUNDEF;
	}
	return 0;
}

/* Checked before truncating: a file that may not be written stays intact. */
static bool may_write(const struct file_table *ft, int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (ft->permissive || (st.st_mode & S_IWOTH)) && ftruncate(fd, 0) == 0;
}

int files_open_write(struct file_table *ft, int root, const char *rel, enum tftp_errcode *code,
		     const char **msg)
{
	int fd = open_in_roots(ft, root, rel, O_WRONLY, 0);
	int new_in = ft->root_fds[root >= 0 ? root : 0];

	if (fd < 0 && errno == ENOENT && ft->create)
		fd = open_in(ft, new_in, rel, O_WRONLY | O_CREAT | O_EXCL, 0666 & ~ft->umask);
	else if (fd >= 0 && !may_write(ft, fd)) {
		close(fd);
		fd = -1;
		errno = EACCES;
	}
	if (fd < 0)
		*code = errno_code(errno, msg);
	return fd;
}

void files_release(struct file_table *ft, struct tftpd_file *f)
{
	if (--f->refs > 0)
		return;
	for (struct tftpd_file **pp = &ft->open; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	ft->n_open--;
	close(f->fd);
	free(f);
}

int files_read(const struct tftpd_file *f, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}
