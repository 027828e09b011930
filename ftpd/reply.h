/* FTP replies (RFC 959 4.2): "CODE text" or a multi-line "CODE-" block. */
#ifndef FTPD_REPLY_H
#define FTPD_REPLY_H

#include "strbuf.h"

/* text may hold '\n' (or "\r\n"): every line but the last becomes
 * "CODE-line" (the first) or the line itself (continuations, padded with a
 * space when they begin with a digit); the last is "CODE line". Control
 * characters in text are replaced, so names cannot end a reply early. */
void reply_add(struct strbuf *out, int code, const char *text);
/* A site message (banner_file, message_file) before a final line: every
 * message line as "CODE-line", then "CODE final". */
void reply_add_message(struct strbuf *out, int code, const char *message, const char *final);
void reply_addf(struct strbuf *out, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
