/* Log time stamps: strptime for the calendar part, then the fraction and
 * the zone by hand (strptime's %z is not portable to every form). */
#include "logtime.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGTIME_MAX 64

/* ".123456" → 0.123456; *p moves past it. */
static double fraction(const char **p)
{
	if (**p != '.' && **p != ',')
		return 0;
	double f = 0, scale = 1;
	const char *d = *p + 1;
	for (; *d >= '0' && *d <= '9'; d++)
		if (scale < 1e9) {
			f = f * 10 + (*d - '0');
			scale *= 10;
		}
	*p = d;
	return f / scale;
}

/* "Z", "+0100", "+01:00", "-05:00": seconds east of UTC. */
static bool zone_offset(const char *p, long *east)
{
	if (*p == 'Z') {
		*east = 0;
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	int digits[4], n = 0;
	for (const char *d = p + 1; n < 4 && *d; d++) {
		if (*d == ':' && n == 2)
			continue;
		if (*d < '0' || *d > '9')
			return false;
		digits[n++] = *d - '0';
	}
	if (n != 4)
		return false;
	long secs = (digits[0] * 10 + digits[1]) * 3600L + (digits[2] * 10 + digits[3]) * 60L;
	*east = *p == '-' ? -secs : secs;
	return true;
}

static bool parse_iso(const char *s, double *out)
{
	struct tm tm = { .tm_isdst = -1 };
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return false;
	double frac = fraction(&p);
	long east;
	if (zone_offset(p, &east)) {
		*out = (double)(timegm(&tm) - east) + frac;
		return true;
	}
	*out = (double)mktime(&tm) + frac;
	return true;
}

static bool parse_bsd(const char *s, double now, double *out)
{
	struct tm tm = { .tm_isdst = -1 };
	const char *p = strptime(s, "%b %d %H:%M:%S", &tm);
	if (!p || (*p != ' ' && *p != '.' && *p != '\0'))
		return false;
	double frac = fraction(&p);
	time_t ref = (time_t)now;
	struct tm now_tm;
	localtime_r(&ref, &now_tm);
	tm.tm_year = now_tm.tm_year;
	time_t t = mktime(&tm);
	/* A December stamp read in January is last year's. */
	if ((double)t > now + 86400) {
		tm.tm_year--;
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	*out = (double)t + frac;
	return true;
}

/* At least 9 digits, a fraction, then a space: journalctl -o short-unix. */
static bool parse_unix(const char *s, double *out)
{
	char *end;
	size_t digits = strspn(s, "0123456789");
	if (digits < 9 || s[digits] != '.')
		return false;
	double t = strtod(s, &end);
	if (*end != ' ')
		return false;
	*out = t;
	return true;
}

bool logtime_parse(const char *line, size_t len, double now, double *out)
{
	char s[LOGTIME_MAX];
	if (len >= sizeof s)
		len = sizeof s - 1;
	memcpy(s, line, len);
	s[len] = '\0';
	return parse_unix(s, out) || parse_iso(s, out) || parse_bsd(s, now, out);
}
