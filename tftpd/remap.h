/* tftp-hpa's file-name remapping (-m): one rule per line,
 * "FLAGS REGEX [REPLACEMENT]", POSIX extended regexes.
 * Flags: r rewrite, g repeat until no match, i ignore case, e end on
 * match, s restart from the first rule on match, a abort (refuse) on match,
 * G only RRQ, P only WRQ, ~ invert the match. Replacement escapes: \0-\9 sub-matches, \i the
 * client's address, \x the address in hex, \c the character c.
 * Pure: no file or network access. */
#ifndef TFTPD_REMAP_H
#define TFTPD_REMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define REMAP_OUT_MAX 4096
#define REMAP_DEADMAN 1000      /* rule applications before giving up ("s" loops, "g" repeats) */

struct remap;

struct remap_client {
	char ip[64];            /* \i */
	char hex[40];           /* \x */
};

enum remap_result {
	REMAP_OK,
	REMAP_ABORT,            /* an "a" rule matched, or a loop never ended */
	REMAP_TOOLONG,
};

/* Returns the rules, or NULL with "line N: why" in err. An empty text
 * gives an empty rule set. */
struct remap *remap_parse(const char *text, char *err, size_t err_size);
void remap_free(struct remap *rm);
size_t remap_count(const struct remap *rm);

void remap_client_set(struct remap_client *c, const struct sockaddr *sa);
/* Applies the rules to name; out gets the result (REMAP_OUT_MAX bytes). */
enum remap_result remap_apply(const struct remap *rm, const char *name, bool is_put,
			      const struct remap_client *client, char *out, size_t out_size);

#endif
