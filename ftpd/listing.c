#include "listing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "path.h"

#define SIX_MONTHS (182L * 24 * 3600)

static char type_char(mode_t m)
{
	static const struct { mode_t type; char c; } types[] = {
		{ S_IFDIR, 'd' }, { S_IFLNK, 'l' }, { S_IFCHR, 'c' }, { S_IFBLK, 'b' },
		{ S_IFIFO, 'p' }, { S_IFSOCK, 's' },
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if ((m & S_IFMT) == types[i].type)
			return types[i].c;
	return '-';
}

static void mode_string(mode_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	out[0] = type_char(m);
	for (int i = 0; i < 9; i++)
		out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = (m & S_IXOTH) ? 't' : 'T';
	out[10] = '\0';
}

static void date_string(time_t t, const struct listing_opts *o, char *buf, size_t size)
{
	struct tm tm;
	if (o->use_localtime)
		localtime_r(&t, &tm);
	else
		gmtime_r(&t, &tm);
	bool recent = t <= o->now && o->now - t < SIX_MONTHS;
	strftime(buf, size, recent ? "%b %d %H:%M" : "%b %d  %Y", &tm);
}

static void add_list_line(struct strbuf *out, const struct listing_entry *e,
			  const struct listing_opts *o)
{
	char mode[11], date[32], owner[16], group[16];
	mode_string(e->st.st_mode, mode);
	date_string(e->st.st_mtime, o, date, sizeof date);
	if (o->hide_ids) {
		strcpy(owner, "ftp");
		strcpy(group, "ftp");
	} else {
		snprintf(owner, sizeof owner, "%u", (unsigned)e->st.st_uid);
		snprintf(group, sizeof group, "%u", (unsigned)e->st.st_gid);
	}
	strbuf_printf(out, "%s %4u %-8s %-8s %8" PRIdMAX " %s %s", mode,
		      (unsigned)e->st.st_nlink, owner, group, (intmax_t)e->st.st_size, date,
		      e->name);
	if (S_ISLNK(e->st.st_mode) && e->link_target)
		strbuf_printf(out, " -> %s", e->link_target);
	strbuf_append(out, "\r\n", 2);
}

const char *listing_mdtm(time_t t, bool local, char buf[16])
{
	struct tm tm;
	if (local)
		localtime_r(&t, &tm);
	else
		gmtime_r(&t, &tm);
	strftime(buf, 16, "%Y%m%d%H%M%S", &tm);
	return buf;
}

/* perm=r only for what RETR would open: a file deny_file does not name,
 * world-readable when the configuration demands it. */
static const char *perm_fact(const struct stat *st, const char *name,
			     const struct listing_opts *o)
{
	if (S_ISDIR(st->st_mode))
		return "el";
	bool readable = S_ISREG(st->st_mode) && o->downloads &&
			(!o->world_readable_only || (st->st_mode & S_IROTH)) &&
			!path_matches_list(o->deny_file, name);
	return readable ? "r" : "";
}

void listing_facts(struct strbuf *out, const struct stat *st, const char *name,
		   const struct listing_opts *o)
{
	char mdtm[16];
	bool dir = S_ISDIR(st->st_mode), link = S_ISLNK(st->st_mode);
	/* a symlink here is one that could not be followed below the root */
	strbuf_printf(out, "type=%s;", dir ? "dir" : link ? "OS.unix=symlink" : "file");
	if (!dir && !link)
		strbuf_printf(out, "size=%" PRIdMAX ";", (intmax_t)st->st_size);
	strbuf_printf(out, "modify=%s;perm=%s;UNIX.mode=0%o; ",
		      listing_mdtm(st->st_mtime, false, mdtm), perm_fact(st, name, o),
		      (unsigned)(st->st_mode & 07777));
}

void listing_add(struct strbuf *out, enum listing_kind kind, const struct listing_entry *e,
		 const struct listing_opts *o)
{
	switch (kind) {
	case LISTING_LIST:
		add_list_line(out, e, o);
		break;
	case LISTING_NLST:
		strbuf_printf(out, "%s%s\r\n", o->nlst_prefix ? o->nlst_prefix : "", e->name);
		break;
	case LISTING_MLSD:
		listing_facts(out, &e->st, e->name, o);
		strbuf_printf(out, "%s\r\n", e->name);
		break;
	}
}

void listing_nlst_prefix(const char *named, bool is_dir, char *buf, size_t size)
{
	const char *slash = strrchr(named, '/');
	size_t len = is_dir ? strlen(named) : slash ? (size_t)(slash - named) + 1 : 0;
	if (is_dir && strcmp(named, ".") == 0)
		len = 0;
	bool add_slash = is_dir && len > 0 && named[len - 1] != '/';
	snprintf(buf, size, "%.*s%s", (int)len, named, add_slash ? "/" : "");
}

bool listing_shows(const char *name, bool force_dot_files, bool all)
{
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return all;
	return name[0] != '.' || force_dot_files || all;
}
