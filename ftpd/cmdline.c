/* Command-line splitting. Pure: bytes in, lines out. */
#include "cmdline.h"

#include <string.h>

enum {
	TN_IAC = 255, TN_DONT = 254, TN_WILL = 251,
	TS_DATA = 0, TS_IAC, TS_OPTION,
};

void cmd_reader_init(struct cmd_reader *r)
{
	memset(r, 0, sizeof *r);
}

/* Returns true if the byte is command text (not part of a Telnet command). */
static bool telnet_filter(struct cmd_reader *r, uint8_t c)
{
	switch (r->telnet) {
	case TS_IAC:
		if (c == TN_IAC) {          /* IAC IAC: a literal 0xff */
			r->telnet = TS_DATA;
			return true;
		}
		r->telnet = (c >= TN_WILL && c <= TN_DONT) ? TS_OPTION : TS_DATA;
		return false;
	case TS_OPTION:
		r->telnet = TS_DATA;
		return false;
	default:
		if (c == TN_IAC) {
			r->telnet = TS_IAC;
			return false;
		}
		return true;
	}
}

static void split_line(struct cmd_reader *r, struct cmd_line *out)
{
	size_t n = r->len;
	if (n > 0 && r->line[n - 1] == '\r')
		n--;
	r->line[n] = '\0';
	char *text = (char *)r->line;
	size_t vlen = strcspn(text, " ");
	memset(out, 0, sizeof *out);
	out->arg = text[vlen] ? text + vlen + 1 : text + vlen;
	if (vlen > FTPD_VERB_MAX) {
		out->bad_verb = true;
		return;
	}
	for (size_t i = 0; i < vlen; i++) {
		char c = text[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			out->bad_verb = true;
		out->verb[i] = c;
	}
}

enum cmd_result cmd_next(struct cmd_reader *r, const uint8_t *data, size_t len, size_t *used,
			 struct cmd_line *out)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = data[i];
		if (!telnet_filter(r, c))
			continue;
		if (c == '\n') {
			*used = i + 1;
			bool overlong = r->overlong;
			if (!overlong)
				split_line(r, out);
			r->len = 0;
			r->overlong = false;
			return overlong ? CMD_TOO_LONG : CMD_LINE;
		}
		if (c == '\0')   /* CR NUL stands for CR (RFC 959); NUL alone is noise */
			continue;
		if (r->len < FTPD_LINE_MAX)
			r->line[r->len++] = c;
		else
			r->overlong = true;
	}
	*used = len;
	return CMD_MORE;
}
