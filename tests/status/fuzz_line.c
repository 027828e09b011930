/* Fuzz target: every line of the input goes through the parser and the
 * join as io_read_log reads a log (newline kept), then the whole input as
 * one datagram as the live socket receives it (newlines inside), then all
 * views are rendered; nothing may crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "event.h"
#include "feed.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct board b;
	struct feed f;
	struct board_config cfg = { .stuck_secs = 60, .done_marker = size % 2 ? "*done*" : NULL };
	const char *p = (const char *)data, *end = p + size;
	board_init(&b, &cfg);
	feed_init(&f, &b, 1795600000.0, true);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		feed_line(&f, p, nl ? len + 1 : len);
		p += len + 1;
	}
	if (size <= EVENT_MAX_LINE + 1)   /* what io.c receives */
		feed_line(&f, (const char *)data, size);
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	if (null) {
		render_table(null, &b, f.last_t + 30);
		render_live(null, &b, f.last_t + 30);
		render_json(null, &b, f.last_t + 30);
	}
	board_free(&b);
	return 0;
}
