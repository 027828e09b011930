/* Test helper shared by test_xfer.c and fuzz_transfer.c: netascii encoding
 * with the output cut every `piece` bytes, as source.c's per-block
 * conversion cuts it. */
#ifndef TESTS_TFTPD_NETASCII_PIECES_H
#define TESTS_TFTPD_NETASCII_PIECES_H

#include <stddef.h>
#include <stdint.h>

#include "xfer.h"

/* Returns the concatenation's length in out (at most 2 * len). */
static inline size_t encode_in_pieces(const uint8_t *in, size_t len, size_t piece, uint8_t *out)
{
	size_t n = 0, used;
	int held = -1;

	while (len > 0 || held >= 0) {
		size_t room = piece;
		if (held >= 0) {
			out[n++] = (uint8_t)held;
			held = -1;
			room--;
		}
		size_t got = netascii_encode_part(in, len, &used, out + n, room, &held);
		n += got;
		in += used;
		len -= used;
	}
	return n;
}

#endif
