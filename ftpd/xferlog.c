#include "xferlog.h"

#include <inttypes.h>
#include <stdio.h>

static void date_prefix(struct strbuf *out, time_t t, bool local)
{
	struct tm tm;
	char date[40];
	if (local)
		localtime_r(&t, &tm);
	else
		gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &tm);
	strbuf_printf(out, "%s", date);
}

/* xferlog(5) names may not hold spaces: they become '_' as wu-ftpd does. */
static void add_field(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		char c = (*s == ' ' || *s == '\n' || *s == '\r') ? '_' : *s;
		strbuf_append(out, &c, 1);
	}
}

void xferlog_std_line(struct strbuf *out, const struct xfer_record *r)
{
	date_prefix(out, r->end, r->use_localtime);
	strbuf_printf(out, " %.0f %s %" PRIu64 " ", r->seconds < 1 ? 1 : r->seconds,
		      r->client, r->bytes);
	add_field(out, r->vpath);
	strbuf_printf(out, " %c _ o a ", r->ascii ? 'a' : 'b');
	add_field(out, r->anon_password[0] ? r->anon_password : "?");
	strbuf_printf(out, " ftp 0 * %c\n", r->complete ? 'c' : 'i');
}

void xferlog_vsftpd_line(struct strbuf *out, const struct xfer_record *r, long pid,
			 const char *what)
{
	double rate = r->seconds > 0 ? (double)r->bytes / r->seconds / 1024 : 0;
	date_prefix(out, r->end, r->use_localtime);
	strbuf_printf(out, " [pid %ld] [ftp] %s %s: Client \"%s\", \"", pid,
		      r->complete ? "OK" : "FAIL", what, r->client);
	add_field(out, r->vpath);
	strbuf_printf(out, "\", %" PRIu64 " bytes, %.2fKbyte/sec\n", r->bytes, rate);
}
