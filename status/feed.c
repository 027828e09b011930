/* Gives each record its time and hands it to the board. */
#include "feed.h"

#include <math.h>
#include <stdlib.h>

#include "logtime.h"
#include "record.h"

void feed_init(struct feed *f, struct board *board, double now, bool use_stamps)
{
	*f = (struct feed){ .board = board, .now = now, .use_stamps = use_stamps };
}

/* Seconds since the epoch a log can plausibly hold (up to year 5138). */
static bool plausible(double t)
{
	return isfinite(t) && t > 0 && t < 1e11;
}

static double record_time(struct feed *f, const struct record *rec, const char *line)
{
	const char *ts = record_get(rec, "ts");
	char *end;
	double t;
	if (ts && *ts && plausible(t = strtod(ts, &end)) && *end == '\0')
		return t;
	if (f->use_stamps && logtime_parse(line, rec->prefix_len, f->now, &t) && plausible(t))
		return t;
	return f->last_t > 0 ? f->last_t : f->now;
}

bool feed_line(struct feed *f, const char *line, size_t len)
{
	struct record rec;
	if (!record_parse(&rec, line, len))
		return false;
	f->lines++;
	f->last_t = f->use_stamps ? record_time(f, &rec, line) : f->now;
	board_apply(f->board, &rec, f->last_t);
	return true;
}
