#include "xferlog.h"

#include <inttypes.h>
#include <stdio.h>

/* Local time whatever use_localtime says (that key is for listings), as
 * vsftpd dates its log lines. */
static void date_prefix(struct strbuf *out, time_t t)
{
	struct tm tm;
	char date[40];
	localtime_r(&t, &tm);
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
	date_prefix(out, r->end);
	strbuf_printf(out, " %.0f %s %" PRIu64 " ", r->seconds < 1 ? 1 : r->seconds,
		      r->client, r->bytes);
	add_field(out, r->vpath);
	strbuf_printf(out, " %c _ o a ", r->ascii ? 'a' : 'b');
	add_field(out, r->anon_password[0] ? r->anon_password : "?");
	strbuf_printf(out, " ftp 0 * %c\n", r->complete ? 'c' : 'i');
}

/* "<date> [pid N] ", then "[user] " for a user */
static void vsftpd_head(struct strbuf *out, time_t t, long pid, const char *user)
{
	date_prefix(out, t);
	strbuf_printf(out, " [pid %ld] ", pid);
	if (!user)
		return;
	strbuf_printf(out, "[");
	add_field(out, user);
	strbuf_printf(out, "] ");
}

void xferlog_vsftpd_line(struct strbuf *out, const struct xfer_record *r, long pid,
			 const char *what)
{
	/* vsftpd's rule: a time of 0 counts as 0.1 s, no byte count when 0 */
	double rate = (double)r->bytes / (r->seconds > 0 ? r->seconds : 0.1) / 1024;
	vsftpd_head(out, r->end, pid, r->user);
	strbuf_printf(out, "%s %s: Client \"%s\", \"", r->complete ? "OK" : "FAIL", what,
		      r->client);
	add_field(out, r->vpath);
	strbuf_printf(out, "\"");
	if (r->bytes > 0)
		strbuf_printf(out, ", %" PRIu64 " bytes", r->bytes);
	strbuf_printf(out, ", %.2fKbyte/sec\n", rate);
}

void xferlog_vsftpd_session(struct strbuf *out, time_t t, long pid, const char *user,
			    const char *client, const char *password)
{
	vsftpd_head(out, t, pid, user);
	if (!user) {
		strbuf_printf(out, "CONNECT: Client \"%s\"\n", client);
		return;
	}
	strbuf_printf(out, "%s LOGIN: Client \"%s\"", password ? "OK" : "FAIL", client);
	if (password) {
		strbuf_printf(out, ", anon password \"");
		add_field(out, password);
		strbuf_printf(out, "\"");
	}
	strbuf_printf(out, "\n");
}
