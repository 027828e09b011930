/* Handlers for data connections (RFC 959, RFC 2428), transfers and file
 * facts (RFC 3659). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dataaddr.h"
#include "fs.h"
#include "handlers.h"
#include "listarg.h"
#include "listing.h"
#include "log.h"
#include "reply.h"
#include "sock.h"

/* ---- data connection set-up ---- */

static bool data_setup_allowed(struct session *s, bool enabled, bool extended_passive)
{
	if (!enabled) {
		reply_add(&s->out, 500, "Command disabled by configuration.");
		return false;
	}
	if (s->epsv_all && !extended_passive) {
		reply_add(&s->out, 550, "Permission denied.");   /* vsftpd's */
		return false;
	}
	s->ops->data_reset(s->io);
	s->data_mode = DATA_NONE;
	return true;
}

static bool open_passive(struct session *s, struct sockaddr_storage *bound)
{
	if (s->ops->pasv_listen(s->io, bound) != 0) {
		reply_add(&s->out, 425, "Could not listen for a passive connection.");
		return false;
	}
	s->data_mode = DATA_PASV;
	return true;
}

void cmd_pasv(struct session *s, const char *arg)
{
	struct sockaddr_storage bound;
	char hp[32];
	if (!data_setup_allowed(s, s->conf->pasv_enable, false))
		return;
	if (dataaddr_format_pasv((struct sockaddr *)&s->local, s->conf->pasv_address, hp,
				 sizeof hp) != 0) {
		reply_add(&s->out, 425, "PASV needs IPv4: use EPSV.");
		return;
	}
	if (!open_passive(s, &bound))
		return;
	dataaddr_format_pasv((struct sockaddr *)&bound, s->conf->pasv_address, hp, sizeof hp);
	reply_addf(&s->out, 227, "Entering Passive Mode (%s).", hp);
}

void cmd_epsv(struct session *s, const char *arg)
{
	struct sockaddr_storage bound;
	if (strcasecmp(arg, "ALL") == 0) {
		s->epsv_all = true;
		reply_add(&s->out, 200, "EPSV ALL ok.");
		return;
	}
	/* RFC 2428: a protocol number names the control connection's own */
	const char *own = dataaddr_is_ipv4((struct sockaddr *)&s->local) ? "1" : "2";
	if (*arg && strcmp(arg, own) != 0) {
		reply_add(&s->out, 522, "Bad network protocol.");
		return;
	}
	if (!data_setup_allowed(s, s->conf->pasv_enable, true) || !open_passive(s, &bound))
		return;
	reply_addf(&s->out, 229, "Entering Extended Passive Mode (|||%u|)",
		   (unsigned)sock_addr_port((struct sockaddr *)&bound));
}

/* No bounce (RFC 2577): only to the control peer, never a privileged
 * port. The replies are vsftpd's, EPRT's (extended) its own. */
static void set_active(struct session *s, int parsed, const struct sockaddr_storage *target,
		       bool extended)
{
	const struct sockaddr *t = (const struct sockaddr *)target;
	if (parsed != 0) {
		reply_add(&s->out, 500, extended ? "Bad EPRT command." : "Illegal PORT command.");
		return;
	}
	if (!s->conf->port_promiscuous &&
	    (!dataaddr_same_host(t, (struct sockaddr *)&s->peer) || sock_addr_port(t) < 1024)) {
		reply_add(&s->out, 500, "Illegal PORT command.");
		return;
	}
	s->port_addr = *target;
	s->data_mode = DATA_PORT;
	reply_add(&s->out, 200, extended ? "EPRT command successful. Consider using EPSV." :
		  "PORT command successful. Consider using PASV.");
}

void cmd_port(struct session *s, const char *arg)
{
	struct sockaddr_storage target;
	if (data_setup_allowed(s, s->conf->port_enable, false))
		set_active(s, dataaddr_parse_port(arg, &target), &target, false);
}

void cmd_eprt(struct session *s, const char *arg)
{
	struct sockaddr_storage target;
	if (data_setup_allowed(s, s->conf->port_enable, false))
		set_active(s, dataaddr_parse_eprt(arg, &target), &target, true);
}

/* ---- transfers ---- */

static bool data_ready(struct session *s)
{
	if (s->data_mode == DATA_NONE) {
		reply_add(&s->out, 425, "Use PORT or PASV first.");
		return false;
	}
	return true;
}

/* As vsftpd: a file goes as it is, TYPE A or not, unless ascii_download_enable */
static bool converts_download(const struct session *s)
{
	return !s->binary && s->conf->ascii_download_enable;
}

static void start_xfer(struct session *s, enum xfer_kind kind, const char *vpath, const char *what)
{
	s->xfer.kind = kind;
	s->xfer.ascii = kind == XFER_RETR ? converts_download(s) : !s->binary;
	s->xfer.what = what;
	s->xfer.bytes = 0;
	s->xfer.start_us = log_now_us();
	strcpy(s->xfer.vpath, vpath);
	s->busy = true;
	s->ops->xfer_start(s->io);
}

/* Why open_download refused, for vsftpd's reply and log: it logs a
 * refused download, but not a directory (browsers RETR those) nor one
 * with downloads off. */
enum refusal { REFUSAL_NOT_FILE, REFUSAL_FAILED, REFUSAL_DENIED, REFUSAL_DOWNLOADS_OFF };

/* Opens a file for RETR, applying download_enable, deny_file and
 * anon_world_readable_only. Returns an fd, or -1 with *why. */
static int open_download(struct session *s, const char *vpath, struct stat *st,
			 enum refusal *why)
{
	*why = REFUSAL_DOWNLOADS_OFF;
	if (!s->conf->download_enable)
		return -1;
	*why = REFUSAL_DENIED;
	if (fs_denied(s->rootfd, vpath, s->conf->deny_file))
		return -1;
	*why = REFUSAL_FAILED;
	int fd = fs_open(s->rootfd, vpath, false);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		*why = REFUSAL_NOT_FILE;
		close(fd);
		return -1;
	}
	if (s->conf->anon_world_readable_only && !(st->st_mode & S_IROTH)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void drop_sized(struct session *s)
{
	if (s->sized_fd >= 0)
		close(s->sized_fd);
	s->sized_fd = -1;
}

/* Takes the file SIZE kept open if it is vpath, else drops it. Returns
 * the fd (its length and mtime then in x) or -1. */
static int take_sized(struct session *s, const char *vpath, struct xfer *x)
{
	int fd = s->sized_fd;
	if (fd < 0 || strcmp(s->sized_vpath, vpath) != 0) {
		drop_sized(s);
		return -1;
	}
	s->sized_fd = -1;
	x->end = s->sized_len;
	x->mtime = s->sized_mtime;
	return fd;
}

/* The file to send: the one SIZE opened, else opened now. Its length and
 * mtime go to x, for io.c to see whether it changes while it is sent. */
static int open_retr(struct session *s, const char *vpath, struct xfer *x, enum refusal *why)
{
	struct stat st;
	int fd = take_sized(s, vpath, x);
	if (fd >= 0)
		return fd;
	fd = open_download(s, vpath, &st, why);
	if (fd >= 0) {
		x->end = (uint64_t)st.st_size;
		x->mtime = st.st_mtim;
	}
	return fd;
}

/* vsftpd's replies, and its FAIL DOWNLOAD line */
static void refuse_download(struct session *s, const char *vpath, enum refusal why)
{
	reply_add(&s->out, 550, why >= REFUSAL_DENIED ? "Permission denied." :
		  "Failed to open file.");
	if (why == REFUSAL_FAILED || why == REFUSAL_DENIED)
		session_log_refused_download(s, vpath);
}

void cmd_retr(struct session *s, const char *arg)
{
	char vpath[FTPD_PATH_MAX];
	uint64_t rest = s->rest;
	enum refusal why = REFUSAL_NOT_FILE;
	s->rest = 0;
	if (!data_ready(s))
		return;
	if (rest && converts_download(s)) {   /* an offset in converted bytes has no file offset */
		reply_add(&s->out, 550, "No support for resume of ASCII transfer.");
		return;
	}
	int fd = path_resolve(s->cwd, arg, vpath, sizeof vpath) == 0 ?
		 open_retr(s, vpath, &s->xfer, &why) : -1;
	if (fd < 0) {
		refuse_download(s, vpath, why);
		return;
	}
	s->xfer.fd = fd;
	s->xfer.offset = rest < s->xfer.end ? rest : s->xfer.end;
	s->xfer.named = strdup(arg);   /* the 150 names it so, as vsftpd's */
	start_xfer(s, XFER_RETR, vpath, "DOWNLOAD");
}

static struct listing_opts listing_opts_of(const struct session *s)
{
	return (struct listing_opts){
		.hide_ids = s->conf->hide_ids, .use_localtime = s->conf->use_localtime,
		.now = time(NULL), .downloads = s->conf->download_enable,
		.world_readable_only = s->conf->anon_world_readable_only,
		.deny_file = s->conf->deny_file,
	};
}

/* Whether a path named by a command may be looked at: vsftpd refuses a
 * deny_file name (or a symlink to one) with "550 Permission denied."
 * whatever the command. */
enum lookup { LOOKUP_OK, LOOKUP_MISSING, LOOKUP_DENIED };

static enum lookup resolve_visible(struct session *s, const char *arg, char *vpath)
{
	if (path_resolve(s->cwd, arg, vpath, FTPD_PATH_MAX) != 0)
		return LOOKUP_MISSING;
	return fs_denied(s->rootfd, vpath, s->conf->deny_file) ? LOOKUP_DENIED : LOOKUP_OK;
}

/* The 550 for a failed lookup: vsftpd's for a denied one, else text. */
static void refuse_lookup(struct session *s, enum lookup found, const char *text)
{
	reply_add(&s->out, 550, found == LOOKUP_DENIED ? "Permission denied." : text);
}

/* MLSD's argument is a path alone (RFC 3659 7.1); LIST's and NLST's may
 * bring options and a glob. */
static int list_arg_of(const char *arg, enum listing_kind kind, struct list_arg *la)
{
	if (kind != LISTING_MLSD)
		return listarg_parse(arg, la);
	memset(la, 0, sizeof *la);
	return snprintf(la->dir, sizeof la->dir, "%s", arg) < (int)sizeof la->dir ? 0 : -1;
}

/* Resolves a LIST, NLST, MLSD or STAT argument into vpath (the cwd when
 * it cannot) and appends its listing to out; all as "-a" does. */
static enum lookup list_into(struct session *s, const char *arg, enum listing_kind kind, bool all,
			     char *vpath, struct strbuf *out)
{
	struct list_arg la;
	strcpy(vpath, s->cwd);
	if (list_arg_of(arg, kind, &la) != 0)
		return LOOKUP_MISSING;
	struct fs_list_opts o = {
		.kind = kind == LISTING_NLST && la.long_format ? LISTING_LIST : kind,
		.fmt = listing_opts_of(s),
		.force_dot_files = s->conf->force_dot_files,
		.all = la.all || all,
		.hide_file = s->conf->hide_file,
		.pattern = la.pattern[0] ? la.pattern : NULL,
		.named = la.dir,
	};
	enum lookup found = resolve_visible(s, la.dir, vpath);
	if (found != LOOKUP_OK)
		return found;
	return fs_list(s->rootfd, vpath, &o, out) == 0 ? LOOKUP_OK : LOOKUP_MISSING;
}

static void list_dir(struct session *s, const char *arg, enum listing_kind kind)
{
	char vpath[FTPD_PATH_MAX];
	if (!data_ready(s))
		return;
	if (!s->conf->dirlist_enable) {
		reply_add(&s->out, 550, "Permission denied.");
		return;
	}
	enum lookup found = list_into(s, arg, kind, false, vpath, &s->xfer.listing);
	if (found != LOOKUP_OK) {
		strbuf_free(&s->xfer.listing);
		/* as vsftpd's, LIST and NLST of a missing path list nothing */
		if (found == LOOKUP_DENIED || kind == LISTING_MLSD) {
			refuse_lookup(s, found, "Failed to list directory.");
			return;
		}
	}
	s->xfer.fd = -1;
	start_xfer(s, XFER_LIST, vpath, "LIST");
}

void cmd_list(struct session *s, const char *arg)
{
	list_dir(s, arg, LISTING_LIST);
}

void cmd_nlst(struct session *s, const char *arg)
{
	list_dir(s, arg, LISTING_NLST);
}

void cmd_mlsd(struct session *s, const char *arg)
{
	list_dir(s, arg, LISTING_MLSD);
}

void cmd_abor(struct session *s, const char *arg)
{
	if (!s->busy) {
		reply_add(&s->out, 225, "No transfer to ABOR.");
		return;
	}
	s->ops->xfer_abort(s->io);
	reply_add(&s->out, 226, "ABOR successful.");
}

/* STAT alone: the session, in vsftpd's lines (its version line names
 * this server, as the greeting does). */
static void stat_session(struct session *s)
{
	const struct ftpd_conf *conf = s->conf;
	struct strbuf text = { 0 };
	strbuf_printf(&text, "FTP server status:\n     Connected to %s\n     Logged in as %s\n"
		      "     TYPE: %s\n", s->client, conf->ftp_username, s->binary ? "BINARY" : "ASCII");
	if (conf->anon_max_rate)
		strbuf_printf(&text, "     Session bandwidth limit in byte/s is %lu\n",
			      conf->anon_max_rate);
	else
		strbuf_printf(&text, "     No session bandwidth limit\n");
	if (conf->idle_session_timeout)
		strbuf_printf(&text, "     Session timeout in seconds is %lu\n",
			      conf->idle_session_timeout);
	else
		strbuf_printf(&text, "     No session timeout\n");
	strbuf_printf(&text, "     Control connection is plain text\n"
		      "     Data connections will be plain text\n");
	if (s->clients_at_start)
		strbuf_printf(&text, "     At session startup, client count was %u\n",
			      s->clients_at_start);
	strbuf_printf(&text, "     pxe-ftpd " PXE_VERSION "\nEnd of status");
	reply_add(&s->out, 211, text.oom ? "End of status" : text.data);
	strbuf_free(&text);
}

/* STAT path: its listing on the control connection (RFC 959 4.1.3), as
 * vsftpd's: dot files, "." and "..", the lines unprefixed between "213-"
 * and "213 " (RFC 959 4.2); a path that is not there, an empty block. */
void cmd_stat(struct session *s, const char *arg)
{
	char vpath[FTPD_PATH_MAX];
	struct strbuf text = { 0 };
	if (!*arg) {
		stat_session(s);
		return;
	}
	strbuf_printf(&text, "Status follows:\n");
	enum lookup found = s->conf->dirlist_enable ?
			    list_into(s, arg, LISTING_LIST, true, vpath, &text) : LOOKUP_DENIED;
	if (found == LOOKUP_DENIED) {
		refuse_lookup(s, found, NULL);
	} else {
		strbuf_printf(&text, "End of status");
		reply_add(&s->out, 213, text.oom ? "End of status" : text.data);
	}
	strbuf_free(&text);
}

/* ---- file facts ---- */

/* stat of a path the session may see. */
static enum lookup stat_visible(struct session *s, const char *arg, char *vpath, struct stat *st)
{
	enum lookup found = resolve_visible(s, arg, vpath);
	if (found == LOOKUP_OK && fs_stat(s->rootfd, vpath, st) != 0)
		return LOOKUP_MISSING;
	return found;
}

/* A downloadable file is opened, not only stat'ed, and kept for the RETR
 * that usually follows (curl: SIZE, then RETR): one open instead of two. */
static bool size_by_open(struct session *s, const char *arg, struct stat *st)
{
	enum refusal why;
	drop_sized(s);
	if (path_resolve(s->cwd, arg, s->sized_vpath, sizeof s->sized_vpath) != 0)
		return false;
	s->sized_fd = open_download(s, s->sized_vpath, st, &why);
	if (s->sized_fd >= 0) {
		s->sized_len = (uint64_t)st->st_size;
		s->sized_mtime = st->st_mtim;
	}
	return s->sized_fd >= 0;
}

void cmd_size(struct session *s, const char *arg)
{
	char vpath[FTPD_PATH_MAX];
	struct stat st;
	if (size_by_open(s, arg, &st)) {
		reply_addf(&s->out, 213, "%" PRIdMAX, (intmax_t)st.st_size);
		return;
	}
	enum lookup found = stat_visible(s, arg, vpath, &st);
	if (found != LOOKUP_OK || !S_ISREG(st.st_mode)) {
		refuse_lookup(s, found, "Could not get file size.");
		return;
	}
	reply_addf(&s->out, 213, "%" PRIdMAX, (intmax_t)st.st_size);
}

void cmd_mdtm(struct session *s, const char *arg)
{
	char vpath[FTPD_PATH_MAX], mdtm[16];
	struct stat st;
	enum lookup found = stat_visible(s, arg, vpath, &st);
	if (found != LOOKUP_OK || !S_ISREG(st.st_mode)) {
		refuse_lookup(s, found, "Could not get file modification time.");
		return;
	}
	reply_addf(&s->out, 213, "%s", listing_mdtm(st.st_mtime, s->conf->use_localtime, mdtm));
}

void cmd_mlst(struct session *s, const char *arg)
{
	char vpath[FTPD_PATH_MAX];
	struct stat st;
	struct strbuf facts = { 0 };
	struct listing_opts o = listing_opts_of(s);
	enum lookup found = stat_visible(s, arg, vpath, &st);
	if (found != LOOKUP_OK) {
		refuse_lookup(s, found, "Could not get file status.");
		return;
	}
	listing_facts(&facts, &st, path_basename(vpath), &o);
	reply_addf(&s->out, 250, "Listing %s\n %s%s\nEnd", vpath, facts.data ? facts.data : "",
		   vpath);
	strbuf_free(&facts);
}

