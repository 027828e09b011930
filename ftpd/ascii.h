/* TYPE A downloads: bare LF becomes CRLF (RFC 959 3.1.1.1). Pure. */
#ifndef FTPD_ASCII_H
#define FTPD_ASCII_H

#include <stdbool.h>
#include <stddef.h>

/* Converts n bytes of in into out (room for 2*n); *prev_cr carries whether
 * the previous chunk ended with CR. Returns the bytes written. */
size_t ascii_to_crlf(const char *in, size_t n, char *out, bool *prev_cr);

#endif
