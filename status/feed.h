/* Lines in, board updated: a datagram or a log line becomes a record with
 * a time. The time is the record's ts= key, else the log line's stamp,
 * else that of the line before, else now. Pure. */
#ifndef STATUS_FEED_H
#define STATUS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"

struct feed {
	struct board *board;
	double now;       /* the caller's clock, updated by the caller */
	double last_t;    /* time of the last record, 0 before the first */
	bool use_stamps;  /* log lines: honour their time stamps */
	uint64_t lines;   /* lines that held a record */
};

void feed_init(struct feed *f, struct board *board, double now, bool use_stamps);
/* Returns false when the line holds no event record. */
bool feed_line(struct feed *f, const char *line, size_t len);

#endif
