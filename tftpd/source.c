/* The bytes a read transfer sends; see source.h. */
#include "source.h"

#include <stdlib.h>
#include <string.h>

#include "xfer.h"

/* The part of [off, size) that fits in cap bytes. */
static size_t part(uint64_t size, uint64_t off, size_t cap)
{
	return size - off < cap ? (size_t)(size - off) : cap;
}

static void ascii_rewind(struct source_ascii *a)
{
	a->raw_off = a->raw_pos = a->raw_len = 0;
	a->held = -1;
}

int source_init(struct source *src, const struct tftpd_file *file, bool netascii, uint8_t *cache,
		size_t cap, uint64_t size)
{
	*src = (struct source){ .file = file, .file_size = size, .cache = cache, .cache_cap = cap };
	if (!netascii)
		return 0;
	struct source_ascii *a = src->ascii = malloc(sizeof *src->ascii);
	if (!a)
		return -1;
	ascii_rewind(a);
	a->size = XFER_SIZE_UNKNOWN;
	return 0;
}

void source_free(struct source *src)
{
	free(src->ascii);
	src->ascii = NULL;
}

/* Octet: the cache is the file's bytes from off on. */
static int fill_octet(struct source *src, uint64_t off)
{
	size_t n = part(src->file_size, off, src->cache_cap);

	src->cache_len = 0;
	if (files_read(src->file, off, src->cache, n) != 0)
		return -1;
	src->cache_off = off;
	src->cache_len = n;
	return 0;
}

/* Netascii: appends converted bytes to the cache. Returns how many, 0 at
 * the end of the file, -1 on a read error. */
static int convert_more(struct source *src)
{
	struct source_ascii *a = src->ascii;
	uint8_t *out = src->cache + src->cache_len;
	size_t room = src->cache_cap - src->cache_len, n = 0, used;

	if (a->held >= 0 && room > 0) {
		out[n++] = (uint8_t)a->held;
		a->held = -1;
	}
	if (a->raw_pos == a->raw_len && a->raw_off < src->file_size) {
		a->raw_len = part(src->file_size, a->raw_off, SOURCE_ASCII_CHUNK);
		a->raw_pos = 0;
		if (files_read(src->file, a->raw_off, a->raw, a->raw_len) != 0)
			return -1;
		a->raw_off += a->raw_len;
	}
	n += netascii_encode_part(a->raw + a->raw_pos, a->raw_len - a->raw_pos, &used, out + n,
				  room - n, &a->held);
	a->raw_pos += used;
	src->cache_len += n;
	return (int)n;
}

/* Netascii: converts on until [off, off + len) is in the cache, dropping
 * what comes before keep (the oldest block a retransmission may need).
 * Going back before the cache means converting again from the start.
 * Reaching the end of the file learns the converted size. */
static int fill_ascii(struct source *src, uint64_t keep, uint64_t off, size_t len)
{
	if (keep < src->cache_off) {
		src->cache_off = src->cache_len = 0;
		ascii_rewind(src->ascii);
	}
	while (src->cache_off + src->cache_len < off + len) {
		if (src->cache_len == src->cache_cap) {
			uint64_t end = src->cache_off + src->cache_len;
			size_t drop = (size_t)((keep < end ? keep : end) - src->cache_off);
			if (drop == 0)
				return -1;      /* a window larger than the cache */
			memmove(src->cache, src->cache + drop, src->cache_len - drop);
			src->cache_off += drop;
			src->cache_len -= drop;
		}
		int n = convert_more(src);
		if (n == 0)
			src->ascii->size = src->cache_off + src->cache_len;
		if (n <= 0)
			return -1;      /* the end, a read error, or the file shrank */
	}
	return 0;
}

int source_ascii_end(struct source *src, uint64_t keep, uint64_t off, uint64_t *size)
{
	struct source_ascii *a = src->ascii;

	if (a->size == XFER_SIZE_UNKNOWN && fill_ascii(src, keep, off, 0) != 0 &&
	    a->size == XFER_SIZE_UNKNOWN)
		return -1;
	if (a->size == XFER_SIZE_UNKNOWN)
		return 0;
	*size = a->size;
	return 1;
}

/* Octet, not the end of the file: from the mapping. */
static const uint8_t *mapped(struct source *src, uint64_t off, size_t len)
{
	src->unchecked += len;
	if (src->unchecked >= SOURCE_CHECK_BYTES) {
		src->unchecked = 0;
		if (files_check(src->file) != 0)
			return NULL;
	}
	return src->file->map + off;
}

const uint8_t *source_fetch(struct source *src, uint64_t keep, uint64_t off, size_t len)
{
	if (!src->ascii && src->file->map && off + len < src->file_size)
		return mapped(src, off, len);
	if (off < src->cache_off || off + len > src->cache_off + src->cache_len) {
		int rc = src->ascii ? fill_ascii(src, keep, off, len) : fill_octet(src, off);
		if (rc != 0 || off + len > src->cache_off + src->cache_len)
			return NULL;
	}
	return src->cache + (off - src->cache_off);
}
