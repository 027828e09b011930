#include "reply.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void add_line(struct strbuf *out, const char *prefix, const char *line, size_t n)
{
	strbuf_append(out, prefix, strlen(prefix));
	for (size_t i = 0; i < n; i++) {
		char c = line[i];
		/* RFC 959 quoting would double '"'; a CR or LF is never passed */
		strbuf_append(out, (c == '\r' || c == '\0') ? "?" : &c, 1);
	}
	strbuf_append(out, "\r\n", 2);
}

void reply_add(struct strbuf *out, int code, const char *text)
{
	char first[8], last[8];
	snprintf(first, sizeof first, "%03d-", code);
	snprintf(last, sizeof last, "%03d ", code);
	const char *prefix = first;
	for (;;) {
		const char *nl = strchr(text, '\n');
		if (!nl) {
			add_line(out, last, text, strlen(text));
			return;
		}
		size_t n = (size_t)(nl - text);
		add_line(out, prefix, text, n && text[n - 1] == '\r' ? n - 1 : n);
		text = nl + 1;
		/* RFC 959 4.2: an inner line that begins with a digit is padded */
		prefix = isdigit((unsigned char)text[0]) ? " " : "";
	}
}

void reply_add_message(struct strbuf *out, int code, const char *message, const char *final)
{
	char prefix[8];
	snprintf(prefix, sizeof prefix, "%03d-", code);
	while (message && *message) {
		size_t n = strcspn(message, "\n");
		add_line(out, prefix, message, n && message[n - 1] == '\r' ? n - 1 : n);
		message += message[n] ? n + 1 : n;
	}
	reply_add(out, code, final);
}

void reply_addf(struct strbuf *out, int code, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	reply_add(out, code, text);
}
