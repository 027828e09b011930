/* The served files: opened beneath a served directory (beneath_open
 * refuses ".." and symlinks leading out; under -s, the chroot's root,
 * they resolve inside it as in.tftpd's), checked for permission
 * as in.tftpd does, and shared: every transfer of the same file reads
 * through one open descriptor.
 *
 * A file may change while it is sent: cp over it truncates and rewrites
 * the same inode, so the bytes after a transfer's position would be the
 * new file's. Each open file keeps its size and mtime as opened, and a
 * read that finds either changed fails: the transfer ends in an error
 * rather than sending a mix. A changed file is no longer shared: a new
 * request opens it as it is now. mv and rm leave the inode as it was,
 * and transfers of it go on.
 *
 * An open file is also mapped, so that a window goes from the page cache
 * to the socket with the kernel's one copy (source.h). Only the kernel
 * reads the mapping: a file truncated under it fails that send with
 * EFAULT, where a read from user space would be a SIGBUS. A file whose
 * last transfer ended stays open and mapped for FILES_LINGER_MS (at most
 * FILES_LINGER_MAX of them): the next PC booting fetches the same kernel
 * and initrd, and mapping a 64 MB file again for each transfer cost
 * 20-30 % more CPU than sending it from a mapping kept. */
#ifndef TFTPD_FILES_H
#define TFTPD_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "proto.h"

struct tftpd_file {
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t size;              /* as opened: a write changes it */
	struct timespec mtime;      /* or this */
	const uint8_t *map;         /* size bytes, or NULL (empty, or not mappable): read with pread */
	unsigned refs;              /* transfers; 0: lingering */
	uint64_t idle_since_ms;     /* when refs fell to 0 */
	struct tftpd_file *next;
};

#define FILES_LINGER_MS 10000
#define FILES_LINGER_MAX 16

struct file_table {
	const int *root_fds;     /* one per served directory */
	unsigned n_roots;
	bool permissive;         /* -p: skip the world-readable/writable checks */
	bool create;             /* -c: WRQ may create files */
	bool in_root;            /* -s: the directory is "/" (absolute symlinks, "..") */
	mode_t umask;            /* -U: for created files */
	struct tftpd_file *open;    /* newest first */
	unsigned n_open;            /* lingering ones too */
};

/* Opens rel in served directory root, or with root -1 in the first one
 * holding it. Returns 0 with *out (shared) and *size, or -1 with the TFTP
 * error *code and message *msg for the client, as in.tftpd's. */
int files_open_read(struct file_table *ft, int root, const char *rel, struct tftpd_file **out,
		    uint64_t *size, enum tftp_errcode *code, const char **msg);
/* Opens rel for a WRQ, looked up as for reading: an existing
 * world-writable file, or a new one with -c (created in root, or the first
 * directory). Returns the fd (not shared) or -1 with *code and *msg set. */
int files_open_write(struct file_table *ft, int root, const char *rel, enum tftp_errcode *code,
		     const char **msg);
/* A transfer of f ended at now_ms (a monotonic clock's): the last one
 * leaves f lingering. Returns as files_expire. */
uint64_t files_release(struct file_table *ft, struct tftpd_file *f, uint64_t now_ms);
/* Closes the files lingering longer than FILES_LINGER_MS at now_ms (all
 * of them with UINT64_MAX). Returns the ms until the next one is due, or
 * 0 when none lingers. */
uint64_t files_expire(struct file_table *ft, uint64_t now_ms);
/* Reads len bytes at off. Returns 0, or -1 with errno: ESTALE when the
 * file changed since it was opened (or shrank: a short read). */
int files_read(const struct tftpd_file *f, uint64_t off, void *buf, size_t len);
/* 0, or -1 with errno ESTALE when f changed since it was opened. */
int files_check(const struct tftpd_file *f);

#endif
