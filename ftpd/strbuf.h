/* A growable byte buffer for replies and listings (bounded by its user). */
#ifndef FTPD_STRBUF_H
#define FTPD_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;
	size_t len, cap;
	bool oom;      /* sticky: an allocation failed, content is truncated */
};

bool strbuf_append(struct strbuf *b, const void *src, size_t n);
bool strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drops the first n bytes. */
void strbuf_consume(struct strbuf *b, size_t n);
void strbuf_free(struct strbuf *b);

#endif
