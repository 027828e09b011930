/* Directory listings: LIST lines as vsftpd prints them, NLST names, and
 * RFC 3659 MLSx facts. Pure: a stat and a name in, text out. */
#ifndef FTPD_LISTING_H
#define FTPD_LISTING_H

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "strbuf.h"

struct listing_entry {
	const char *name;
	struct stat st;
	const char *link_target;   /* for symlinks in LIST, else NULL */
};

struct listing_opts {
	bool hide_ids;       /* owner and group shown as "ftp" */
	bool use_localtime;  /* dates in local time (default UTC) */
	time_t now;          /* decides "Mon dd HH:MM" against "Mon dd  YYYY" */
	const char *nlst_prefix;   /* before each NLST name, or NULL */
};

enum listing_kind { LISTING_LIST, LISTING_NLST, LISTING_MLSD };

void listing_add(struct strbuf *out, enum listing_kind kind, const struct listing_entry *e,
		 const struct listing_opts *o);
/* MLSx facts followed by "; " (RFC 3659 7.2), without the name. */
void listing_facts(struct strbuf *out, const struct stat *st, const char *type_override);
/* YYYYMMDDHHMMSS in UTC (MDTM and the modify fact). Returns buf. */
const char *listing_mdtm(time_t t, char buf[16]);
/* The prefix of NLST names, as vsftpd writes them: the path the client
 * named, as written ("NLST pub" gives "pub/a.rpm", which mget then
 * fetches), "" for the cwd; a file's own path when it named a file. */
void listing_nlst_prefix(const char *named, bool is_dir, char *buf, size_t size);
/* Whether a name is shown: dot files only with force_dot_files (and never
 * "." and ".."). */
bool listing_shows(const char *name, bool force_dot_files);

#endif
