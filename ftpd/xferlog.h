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
	bool use_localtime;
};

void xferlog_std_line(struct strbuf *out, const struct xfer_record *r);
/* vsftpd format: "<date> [pid N] [ftp] OK DOWNLOAD: Client ..." */
void xferlog_vsftpd_line(struct strbuf *out, const struct xfer_record *r, long pid,
			 const char *what);

#endif
