/* The leases file on disk: read at start, added to with one write and one
 * fdatasync per batch (group commit), compacted atomically. Blocking file I/O on
 * purpose: a lease must be on disk before its ACK leaves.
 *
 * Records are written in place over padding laid ahead of them (blank
 * comment lines, which ISC's reader and ours skip): a commit
 * then changes neither the file's size nor its block map, so its
 * fdatasync writes the records' pages alone, without the inode (on ext4
 * and XFS that is a second synchronous write, or a journal commit, per
 * sync). The file grows by STORE_SLACK at a time; compaction drops the
 * padding. */
#ifndef DHCPD_STORE_H
#define DHCPD_STORE_H

#include <stddef.h>
#include <sys/types.h>

#include "lease.h"
#include "leasefile.h"

struct lease_store {
	int dir_fd;           /* opened before chroot: compaction works inside it */
	int fd;               /* write descriptor */
	char name[256];       /* file name inside dir_fd */
	char *pending;        /* records waiting for the next commit */
	size_t pending_len, pending_cap;
	size_t file_records;  /* records in the file since the last compaction */
	off_t end;            /* where the next record goes; padding from here */
	off_t size;           /* of the file: [end, size) is padding */
};

#define STORE_SLACK (256 * 1024)   /* padding laid ahead at a time */

/* Opens (creating if missing) the leases file and applies it to db.
 * Returns 0, or -1 with a message. */
int store_open(struct lease_store *s, const char *path, struct lease_db *db,
	       struct leasefile_stats *st, char *err, size_t err_size);
/* Queues a lease record for the next commit. */
int store_append(struct lease_store *s, const struct lease *l);
/* Writes the queued records with one pwrite, then fdatasync. Returns 0
 * or -1 with errno. */
int store_commit(struct lease_store *s);
/* Records waiting for the next write. */
size_t store_pending(const struct lease_store *s);
/* Rewrites the file with only the current records: temp file, fsync,
 * rename, fsync of the directory. Returns 0 or -1 with errno. */
int store_compact(struct lease_store *s, struct lease_db *db);
void store_close(struct lease_store *s);

#endif
