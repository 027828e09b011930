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
	bool downloads;      /* download_enable: MLSx files may show perm=r */
	bool world_readable_only;  /* anon_world_readable_only: perm=r needs o+r */
	const char *deny_file;     /* deny_file patterns: no perm=r, or NULL */
	const char *nlst_prefix;   /* before each NLST name, or NULL */
};

enum listing_kind { LISTING_LIST, LISTING_NLST, LISTING_MLSD };

void listing_add(struct strbuf *out, enum listing_kind kind, const struct listing_entry *e,
		 const struct listing_opts *o);
/* MLSx facts of name followed by "; " (RFC 3659 7.2), without the name. A
 * symlink (one not followed) is type=OS.unix=symlink with no perm: RETR
 * refuses it, as it refuses a name deny_file matches. */
void listing_facts(struct strbuf *out, const struct stat *st, const char *name,
		   const struct listing_opts *o);
/* YYYYMMDDHHMMSS in UTC, or local time (MDTM with use_localtime, as
 * vsftpd 3.0.3; the modify fact is UTC by RFC 3659). Returns buf. */
const char *listing_mdtm(time_t t, bool local, char buf[16]);
/* The prefix of NLST names, as vsftpd writes them: the path the client
 * named, as written ("NLST pub" gives "pub/a.rpm", which mget then
 * fetches), "" for the cwd; a file's own path when it named a file. */
void listing_nlst_prefix(const char *named, bool is_dir, char *buf, size_t size);
/* Whether a name is shown, as by vsftpd: dot files with force_dot_files
 * or LIST -a; "." and ".." with -a only. */
bool listing_shows(const char *name, bool force_dot_files, bool all);

#endif
