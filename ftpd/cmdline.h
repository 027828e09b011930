/* Control-connection command lines (RFC 959 4.1.3, RFC 854): Telnet IAC
 * sequences are dropped, a line ends at LF (CR before it is dropped), and a
 * line longer than FTPD_LINE_MAX is swallowed whole and reported once. */
#ifndef FTPD_CMDLINE_H
#define FTPD_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FTPD_LINE_MAX 512
#define FTPD_VERB_MAX 8

enum cmd_result {
	CMD_MORE,      /* all input consumed, no complete line yet */
	CMD_LINE,      /* *out holds a line */
	CMD_TOO_LONG,  /* a line over FTPD_LINE_MAX ended; it was discarded */
};

struct cmd_reader {
	uint8_t line[FTPD_LINE_MAX + 1];
	size_t len;
	uint8_t telnet;     /* state of an IAC sequence in progress */
	bool overlong;
};

struct cmd_line {
	char verb[FTPD_VERB_MAX + 1];   /* upper case; "" for an empty line */
	const char *arg;                /* NUL-terminated, "" if none */
	bool bad_verb;                  /* verb too long or not letters */
};

void cmd_reader_init(struct cmd_reader *r);
/* Consumes input up to and including the end of one line; *used says how
 * much. out->arg points into r and stays valid until the next call. */
enum cmd_result cmd_next(struct cmd_reader *r, const uint8_t *data, size_t len, size_t *used,
			 struct cmd_line *out);

#endif
