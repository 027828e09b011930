/* Where a read transfer's bytes come from: octet straight from the shared
 * file's mapping, or through a cache, so one pread serves many blocks;
 * netascii converted on the way, window by window (any file size,
 * constant memory). No libuv, no sockets. */
#ifndef TFTPD_SOURCE_H
#define TFTPD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "files.h"

#define SOURCE_READAHEAD (128 * 1024)    /* file bytes read at once for a lock-step client */
#define SOURCE_ASCII_CHUNK (64 * 1024)   /* file bytes read at once for netascii */
#define SOURCE_CHECK_BYTES (1024 * 1024) /* sent from the mapping between checks of the file */

/* Netascii conversion as the blocks are sent: the file is read in chunks
 * and encoded into the source's cache. */
struct source_ascii {
	uint64_t size;           /* converted, XFER_SIZE_UNKNOWN until the end is reached */
	uint64_t raw_off;        /* file offset after raw */
	size_t raw_pos, raw_len;
	int held;                /* second byte of a pair the cache had no room for, or -1 */
	uint8_t raw[SOURCE_ASCII_CHUNK];
};

/* The cache holds bytes as sent, from cache_off. */
struct source {
	const struct tftpd_file *file;
	uint64_t file_size;
	struct source_ascii *ascii;  /* netascii only */
	uint8_t *cache;              /* cache_cap bytes: at least one window */
	size_t cache_cap;
	uint64_t cache_off;
	size_t cache_len;
	size_t unchecked;            /* bytes given from the mapping since files_check */
};

/* Sets src up over cache (cap bytes, at least one window) for a file of
 * size bytes. Returns 0 or -1 with errno. */
int source_init(struct source *src, const struct tftpd_file *file, bool netascii, uint8_t *cache,
		size_t cap, uint64_t size);
/* Netascii's converted size is learnt at the end of the file (counting
 * it up front would be a pass over the whole file): converts on up to off
 * as source_fetch does. Returns 1 with *size once the end is reached, 0
 * before it, -1 on a read error. */
int source_ascii_end(struct source *src, uint64_t keep, uint64_t off, uint64_t *size);
void source_free(struct source *src);

/* len bytes at off, contiguous, or NULL with errno (read error; ESTALE:
 * the file changed or shrank). keep is the offset of the oldest block a
 * retransmission may still need: a netascii cache slides forward only up
 * to it, and going back before the cache converts again from the start.
 *
 * Octet bytes come from the file's mapping, only to be given to the
 * kernel (files.h), except the window that ends the file: that one is
 * read into the cache and the file checked after the read, so a file
 * changed under a transfer never reaches its last block. The mapping's
 * bytes are what the file holds when they are sent; the file is checked
 * every SOURCE_CHECK_BYTES, so a transfer of a changed file ends soon. */
const uint8_t *source_fetch(struct source *src, uint64_t keep, uint64_t off, size_t len);

#endif
