/* Handlers for login, navigation, transfer parameters and information.
 * Replies follow vsftpd's wording so scripts written against it still
 * match. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "fs.h"
#include "handlers.h"
#include "reply.h"

/* ---- directory messages ---- */

#define VISITED_DIRS_MAX 100   /* vsftpd's VSFTP_MAX_VISIT_REMEMBER */

/* A directory as vsftpd's getcwd() names it: the real one, so that two
 * paths to it (a symlink) share one visit. */
struct dir_id {
	dev_t dev;
	ino_t ino;
};

/* vsftpd shows a directory's message once a session: on the first visit
 * of each of the first VISITED_DIRS_MAX directories (every visit after). */
static bool first_visit(struct session *s, const struct stat *dir)
{
	struct strbuf *seen = &s->visited_dirs;
	struct dir_id id = { dir->st_dev, dir->st_ino }, known;
	size_t at;
	for (at = 0; at + sizeof known <= seen->len; at += sizeof known) {
		memcpy(&known, seen->data + at, sizeof known);
		if (known.dev == id.dev && known.ino == id.ino)
			return false;
	}
	if (at / sizeof known < VISITED_DIRS_MAX)
		strbuf_append(seen, &id, sizeof id);
	return true;
}

/* Adds the final reply with the message_file of directory vpath before
 * it, if due. dir: vpath's stat, or NULL to take it only when needed. */
static void reply_with_dir_message(struct session *s, const char *vpath, const struct stat *dir,
				   int code, const char *text)
{
	char message[2048] = "", message_path[FTPD_PATH_MAX];
	struct stat taken;
	if (s->conf->dirmessage_enable && !dir && fs_stat(s->rootfd, vpath, &taken) == 0)
		dir = &taken;
	if (s->conf->dirmessage_enable && dir && first_visit(s, dir) &&
	    path_resolve(vpath, s->conf->message_file, message_path, sizeof message_path) == 0)
		fs_read_small(s->rootfd, message_path, message, sizeof message);
	reply_add_message(&s->out, code, message, text);
}

/* ---- login ---- */

static bool is_anonymous_name(const char *name)
{
	return strcasecmp(name, "anonymous") == 0 || strcasecmp(name, "ftp") == 0;
}

static void anonymous_logged_in(struct session *s)
{
	s->logged_in = true;
	reply_with_dir_message(s, s->cwd, NULL, 230, "Login successful.");
	event_emit("login", "client", s->client, "user", "anonymous", NULL);
	session_log_event(s, s->conf->ftp_username, s->anon_password);
}

void cmd_user(struct session *s, const char *arg)
{
	if (s->logged_in) {
		reply_add(&s->out, 530, "Can't change from guest user.");
		return;
	}
	snprintf(s->user_name, sizeof s->user_name, "%s", arg);
	s->user_anonymous = is_anonymous_name(arg) && s->conf->anonymous_enable;
	s->user_local = !s->user_anonymous && s->conf->local_enable;
	if (!s->user_anonymous && !s->user_local) {
		reply_add(&s->out, 530, s->conf->anonymous_enable ? "This FTP server is anonymous only." :
			  "Login incorrect.");
		return;
	}
	if (s->user_anonymous && s->conf->no_anon_password) {
		/* what vsftpd logs as the password */
		snprintf(s->anon_password, sizeof s->anon_password, "<no_password>");
		anonymous_logged_in(s);
		return;
	}
	reply_add(&s->out, 331, "Please specify the password.");
}

void cmd_pass(struct session *s, const char *arg)
{
	if (s->logged_in) {
		reply_add(&s->out, 230, "Already logged in.");
		return;
	}
	if (!s->user_anonymous && !s->user_local) {
		reply_add(&s->out, 503, "Login with USER first.");
		return;
	}
	if (s->user_local) {
		reply_add(&s->out, 530, "Login incorrect: local users are not served by this build "
			  "(anonymous read-only).");
		s->user_local = false;
		session_log_event(s, s->user_name, NULL);
		return;
	}
	strncpy(s->anon_password, arg, sizeof s->anon_password - 1);
	anonymous_logged_in(s);
}

/* RFC 959: superfluous here, as for vsftpd */
void cmd_allo(struct session *s, const char *arg)
{
	reply_add(&s->out, 202, "ALLO command ignored.");
}

void cmd_quit(struct session *s, const char *arg)
{
	reply_add(&s->out, 221, "Goodbye.");
	s->quit = true;
}

/* ---- navigation ---- */

static void change_dir(struct session *s, const char *arg)
{
	char vpath[FTPD_PATH_MAX];
	struct stat st;
	bool resolved = *arg && path_resolve(s->cwd, arg, vpath, sizeof vpath) == 0;
	if (resolved && fs_denied(s->rootfd, vpath, s->conf->deny_file)) {
		reply_add(&s->out, 550, "Permission denied.");
		return;
	}
	if (!resolved || fs_stat(s->rootfd, vpath, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    (st.st_mode & S_IXOTH) == 0) {
		reply_add(&s->out, 550, "Failed to change directory.");
		return;
	}
	strcpy(s->cwd, vpath);
	reply_with_dir_message(s, vpath, &st, 250, "Directory successfully changed.");
}

void cmd_cwd(struct session *s, const char *arg)
{
	change_dir(s, arg);
}

void cmd_cdup(struct session *s, const char *arg)
{
	change_dir(s, "..");
}

void cmd_pwd(struct session *s, const char *arg)
{
	reply_addf(&s->out, 257, "\"%s\" is the current directory", s->cwd);
}

/* ---- parameters ---- */

void cmd_type(struct session *s, const char *arg)
{
	if (strcasecmp(arg, "I") == 0 || strcasecmp(arg, "L 8") == 0 ||
	    strcasecmp(arg, "L8") == 0) {
		s->binary = true;
		reply_add(&s->out, 200, "Switching to Binary mode.");
	} else if (strcasecmp(arg, "A") == 0 || strcasecmp(arg, "A N") == 0) {
		s->binary = false;
		reply_add(&s->out, 200, "Switching to ASCII mode.");
	} else {
		reply_add(&s->out, 500, "Unrecognised TYPE command.");
	}
}

void cmd_mode(struct session *s, const char *arg)
{
	if (strcasecmp(arg, "S") == 0)
		reply_add(&s->out, 200, "Mode set to S.");
	else
		reply_add(&s->out, 504, "Bad MODE command.");
}

void cmd_stru(struct session *s, const char *arg)
{
	if (strcasecmp(arg, "F") == 0)
		reply_add(&s->out, 200, "Structure set to F.");
	else
		reply_add(&s->out, 504, "Bad STRU command.");
}

void cmd_rest(struct session *s, const char *arg)
{
	char *end;
	errno = 0;
	unsigned long long pos = strtoull(arg, &end, 10);
	if (*end || end == arg || arg[0] == '-' || errno) {
		reply_add(&s->out, 501, "REST requires a value greater than or equal to 0.");
		return;
	}
	s->rest = pos;
	reply_addf(&s->out, 350, "Restart position accepted (%llu).", pos);
}

void cmd_opts(struct session *s, const char *arg)
{
	if (strcasecmp(arg, "UTF8 ON") == 0)
		reply_add(&s->out, 200, "Always in UTF8 mode.");
	else if (strncasecmp(arg, "MLST", 4) == 0 && (arg[4] == ' ' || arg[4] == '\0'))
		/* RFC 3659 7.9: the facts stay fixed, so say which ones */
		reply_add(&s->out, 200, "MLST OPTS type;size;modify;perm;UNIX.mode;");
	else
		reply_add(&s->out, 501, "Option not understood.");
}

/* ---- information ---- */

void cmd_syst(struct session *s, const char *arg)
{
	reply_add(&s->out, 215, "UNIX Type: L8");
}

void cmd_noop(struct session *s, const char *arg)
{
	reply_add(&s->out, 200, "NOOP ok.");
}

void cmd_feat(struct session *s, const char *arg)
{
	reply_add(&s->out, 211, "Features:\n EPRT\n EPSV\n MDTM\n MLST type*;size*;modify*;"
		  "perm*;UNIX.mode*;\n PASV\n REST STREAM\n SIZE\n TVFS\n UTF8\nEnd");
}

void cmd_readonly(struct session *s, const char *arg)
{
	reply_add(&s->out, 550, "Permission denied.");
}

