/* Transfer and login log lines: the wu-ftpd xferlog format
 * (xferlog_std_format) and vsftpd's own format. Pure formatting. */
#ifndef FTPD_XFERLOG_H
#define FTPD_XFERLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "strbuf.h"

struct xfer_record {
	time_t end;              /* when the transfer finished */
	double seconds;          /* its duration */
	const char *client;      /* numeric address */
	const char *vpath;
	uint64_t bytes;
	bool ascii, complete;
	const char *anon_password;
	const char *user;        /* the vsftpd line's [user]: ftp_username */
};

void xferlog_std_line(struct strbuf *out, const struct xfer_record *r);
/* vsftpd format: "<date> [pid N] [ftp] OK DOWNLOAD: Client ..." */
void xferlog_vsftpd_line(struct strbuf *out, const struct xfer_record *r, long pid,
			 const char *what);
/* vsftpd's session lines: CONNECT (user NULL), OK LOGIN (with the
 * anonymous password), FAIL LOGIN (password NULL). */
void xferlog_vsftpd_session(struct strbuf *out, time_t t, long pid, const char *user,
			    const char *client, const char *password);

#endif
