/* The time stamp at the start of a log line, as journalctl and syslog
 * write it: "2026-11-25T16:30:34+0000" (short-iso, RFC 3339, with or
 * without fractions), "Nov 25 16:30:34[.123456]" (short, short-precise,
 * BSD syslog: the year is the one that puts the stamp nearest before
 * now), or "1764088234.123456" (short-unix). Pure but for the time zone
 * database, which local stamps need. */
#ifndef STATUS_LOGTIME_H
#define STATUS_LOGTIME_H

#include <stdbool.h>
#include <stddef.h>

/* Parses the start of line (len bytes); *out gets seconds since the
 * epoch. now (seconds since the epoch) picks the year of BSD stamps. */
bool logtime_parse(const char *line, size_t len, double now, double *out);

#endif
