/* The bytes a read transfer sends: octet from the file's mapping (the
 * window that ends the file read and checked) or through the read-ahead
 * cache, netascii converted window by window with a small cache, so pairs cut at
 * cache and read-chunk edges, retransmissions from the oldest unacknowledged
 * block and going back to the start are all exercised; the converted size
 * is learnt where the conversion reaches the end. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "source.h"
#include "xfer.h"

#define RAW_LEN (3 * SOURCE_ASCII_CHUNK + 123)

static uint8_t raw[RAW_LEN];
static uint8_t want[2 * RAW_LEN];
static size_t want_len;

/* Text with CR, LF, CR LF and LF CR at every alignment, and a run of CRs
 * across a read-chunk boundary. */
static void make_text(void)
{
	static const char *const ends[] = { "\r", "\n", "\r\n", "\n\r" };
	size_t n = 0;

	for (unsigned i = 0; n < RAW_LEN; i++) {
		for (unsigned k = 0; k < i % 13 && n < RAW_LEN; k++)
			raw[n++] = 'a' + k;
		for (const char *e = ends[i % 4]; *e && n < RAW_LEN; e++)
			raw[n++] = (uint8_t)*e;
	}
	memset(raw + SOURCE_ASCII_CHUNK - 50, '\r', 100);
	want_len = 0;
	for (size_t i = 0; i < RAW_LEN; i++) {
		if (raw[i] == '\r' || raw[i] == '\n') {
			want[want_len++] = '\r';
			want[want_len++] = raw[i] == '\n' ? '\n' : '\0';
		} else {
			want[want_len++] = raw[i];
		}
	}
}

/* As files_open_read leaves it: with its size and mtime as opened. */
static struct tftpd_file open_file(const uint8_t *data, size_t len)
{
	struct tftpd_file f = { .fd = memfd_create("source", 0) };
	struct stat st;

	assert_true(f.fd >= 0);
	assert_int_equal(write(f.fd, data, len), (ssize_t)len);
	assert_int_equal(fstat(f.fd, &st), 0);
	f.size = (uint64_t)st.st_size;
	f.mtime = st.st_mtim;
	return f;
}

static void assert_fetch(struct source *src, uint64_t keep, uint64_t off, size_t len,
			 const uint8_t *expect)
{
	const uint8_t *got = source_fetch(src, keep, off, len);

	assert_non_null(got);
	assert_memory_equal(got, expect + off, len);
}

static void test_octet(void **state)
{
	uint8_t cache[10];
	struct source src;
	struct tftpd_file f = open_file(raw, 25);

	assert_int_equal(source_init(&src, &f, false, cache, sizeof cache, 25), 0);
	assert_fetch(&src, 0, 0, 8, raw);
	assert_fetch(&src, 0, 4, 6, raw);
	assert_fetch(&src, 8, 8, 8, raw);
	assert_fetch(&src, 0, 0, 8, raw);      /* back again */
	assert_fetch(&src, 24, 24, 1, raw);
	assert_null(source_fetch(&src, 20, 20, 8));   /* past the end */
	f.mtime.tv_nsec ^= 1;     /* written since it was opened (cp over it) */
	assert_fetch(&src, 24, 24, 1, raw);           /* the cache, as it was read */
	assert_null(source_fetch(&src, 0, 0, 8));     /* a read: refused */
	assert_int_equal(errno, ESTALE);
	source_free(&src);
	close(f.fd);
}

/* Windows before the end come from the mapping itself; the window
 * ending the file is read, and the file checked, into the cache. */
static void test_octet_mapped(void **state)
{
	size_t len = 3 * SOURCE_CHECK_BYTES;
	uint8_t *data = malloc(len), cache[4096];
	struct source src;

	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + i / 4099);
	struct tftpd_file f = open_file(data, len);
	f.map = mmap(NULL, len, PROT_READ, MAP_SHARED, f.fd, 0);
	assert_true(f.map != MAP_FAILED);
	assert_int_equal(source_init(&src, &f, false, cache, sizeof cache, len), 0);
	assert_ptr_equal(source_fetch(&src, 0, 0, 4096), f.map);
	assert_ptr_equal(source_fetch(&src, 0, 8192, 4095), f.map + 8192);
	assert_ptr_equal(source_fetch(&src, 0, len - 4096, 4096), cache);   /* the end */
	assert_memory_equal(cache, data + len - 4096, 4096);
	assert_ptr_equal(source_fetch(&src, 0, len - 4095, 4095), cache + 1);

	f.mtime.tv_nsec ^= 1;     /* written since it was opened */
	assert_int_equal(source_init(&src, &f, false, cache, sizeof cache, len), 0);
	assert_null(source_fetch(&src, 0, len - 4096, 4096));   /* the end: refused at once */
	assert_int_equal(errno, ESTALE);
	size_t given = 0;
	while (source_fetch(&src, 0, 0, 4096))
		given += 4096;
	assert_int_equal(errno, ESTALE);
	assert_true(given < SOURCE_CHECK_BYTES);   /* the rest of the check's span, no more */
	source_free(&src);
	munmap((void *)f.map, len);
	close(f.fd);
	free(data);
}

/* Sends the whole file as a windowed sender would: learns whether the
 * window reaches the end, sends it from the first unacknowledged block,
 * its tail again (the socket was full), then the window once more (a
 * timeout), and acknowledges it. */
static void send_all(struct source *src, size_t blksize, unsigned window)
{
	for (uint64_t acked = 0; acked * blksize <= want_len; acked += window) {
		uint64_t off = acked * blksize, size = 0;
		bool past_end = off + blksize * window > want_len;
		assert_int_equal(source_ascii_end(src, off, off + blksize * window, &size), past_end);
		assert_int_equal(size, past_end ? want_len : 0);
		size_t len = want_len - off < blksize * window ? want_len - off : blksize * window;
		assert_fetch(src, off, off, len, want);
		if (len > blksize)
			assert_fetch(src, off, off + blksize, len - blksize, want);
		assert_fetch(src, off, off, len, want);
	}
}

static void test_netascii_windows(void **state)
{
	struct tftpd_file f = open_file(raw, RAW_LEN);
	static const size_t blksizes[] = { 1, 2, 3, 7, 512, 1468 };

	for (size_t b = 0; b < sizeof blksizes / sizeof blksizes[0]; b++)
		for (unsigned window = 1; window <= 4; window += 3) {
			size_t cap = blksizes[b] * window + (b & 1);   /* exactly, or one more */
			uint8_t *cache = malloc(cap);
			struct source src;
			assert_int_equal(source_init(&src, &f, true, cache, cap, RAW_LEN), 0);
			send_all(&src, blksizes[b], window);
			source_free(&src);
			free(cache);
		}
	close(f.fd);
}

static void test_netascii_back_to_start_and_shrink(void **state)
{
	uint8_t cache[4096];
	struct source src;
	struct tftpd_file f = open_file(raw, RAW_LEN);

	assert_int_equal(source_init(&src, &f, true, cache, sizeof cache, RAW_LEN), 0);
	assert_fetch(&src, 100000, 100000, 1000, want);
	assert_fetch(&src, 10, 10, 1000, want);          /* before the cache: converted again */
	assert_fetch(&src, 150001, 150001, 4096, want);
	assert_int_equal(ftruncate(f.fd, 1000), 0);
	assert_null(source_fetch(&src, want_len - 10, want_len - 10, 10));
	source_free(&src);
	close(f.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_octet),
		cmocka_unit_test(test_octet_mapped),
		cmocka_unit_test(test_netascii_windows),
		cmocka_unit_test(test_netascii_back_to_start_and_shrink),
	};
	make_text();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
