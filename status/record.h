/* One boot-timeline event record, parsed from a line that holds
 * "event=DAEMON.NAME key=value key="quoted value" ..." somewhere (a bare
 * datagram, or a journal/syslog/stderr line with a prefix before it).
 * The format is documented in status/EVENTS.md. Pure: no syscalls. */
#ifndef STATUS_RECORD_H
#define STATUS_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#define RECORD_MAX_KV 32
#define RECORD_MAX_TEXT 2048

struct record_kv {
	const char *key;
	const char *value;   /* unescaped; may hold any byte but NUL */
};

struct record {
	const char *daemon;  /* "dhcpd", "tftpd", "ftpd", ... */
	const char *name;    /* "ack", "rrq", ... */
	struct record_kv kv[RECORD_MAX_KV];
	size_t n_kv;
	size_t prefix_len;   /* bytes of the line before "event=" */
	char text[RECORD_MAX_TEXT];  /* storage the pointers above point into */
};

/* Parses one line (no NUL needed; a trailing newline is fine). Returns
 * false, leaving *rec unusable, when the line holds no well-formed
 * record: then it is not an event line, or a damaged one. */
bool record_parse(struct record *rec, const char *line, size_t len);

/* The value of key, or NULL when the record lacks it. */
const char *record_get(const struct record *rec, const char *key);

#endif
