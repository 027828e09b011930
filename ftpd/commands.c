/* The command table (RFC 959, 2389, 2428, 3659): each verb with whether
 * it needs a login, and its handler. */
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "reply.h"

typedef void cmd_handler(struct session *s, const char *arg);

struct command {
	const char *verb;
	bool needs_login;
	cmd_handler *handler;
};

static void cmd_help(struct session *s, const char *arg);

/* Alphabetical: HELP lists the verbs in this order, as vsftpd's. Only
 * USER, PASS, QUIT, FEAT and OPTS are served before login, as in vsftpd
 * (clients know its 530s). A missing argument is each handler's to refuse,
 * with the reply vsftpd gives for it. No handler: recognised and not
 * implemented (vsftpd's 502). */
static const struct command commands[] = {
	{ "ABOR", true, cmd_abor },
	{ "ACCT", true, NULL },
	{ "ALLO", true, cmd_allo },
	{ "APPE", true, cmd_readonly },
	{ "CDUP", true, cmd_cdup },
	{ "CWD", true, cmd_cwd },
	{ "DELE", true, cmd_readonly },
	{ "EPRT", true, cmd_eprt },
	{ "EPSV", true, cmd_epsv },
	{ "FEAT", false, cmd_feat },
	{ "HELP", true, cmd_help },
	{ "LIST", true, cmd_list },
	{ "MDTM", true, cmd_mdtm },
	{ "MKD", true, cmd_readonly },
	{ "MLSD", true, cmd_mlsd },
	{ "MLST", true, cmd_mlst },
	{ "MODE", true, cmd_mode },
	{ "NLST", true, cmd_nlst },
	{ "NOOP", true, cmd_noop },
	{ "OPTS", false, cmd_opts },
	{ "PASS", false, cmd_pass },
	{ "PASV", true, cmd_pasv },
	{ "PORT", true, cmd_port },
	{ "PWD", true, cmd_pwd },
	{ "QUIT", false, cmd_quit },
	{ "REIN", true, NULL },
	{ "REST", true, cmd_rest },
	{ "RETR", true, cmd_retr },
	{ "RMD", true, cmd_readonly },
	{ "RNFR", true, cmd_readonly },
	{ "RNTO", true, cmd_readonly },
	{ "SITE", true, cmd_readonly },
	{ "SIZE", true, cmd_size },
	{ "SMNT", true, NULL },
	{ "STAT", true, cmd_stat },
	{ "STOR", true, cmd_readonly },
	{ "STOU", true, cmd_readonly },
	{ "STRU", true, cmd_stru },
	{ "SYST", true, cmd_syst },
	{ "TYPE", true, cmd_type },
	{ "USER", false, cmd_user },
	{ "XCUP", true, cmd_cdup },
	{ "XCWD", true, cmd_cwd },
	{ "XMKD", true, cmd_readonly },
	{ "XPWD", true, cmd_pwd },
	{ "XRMD", true, cmd_readonly },
};

#define HELP_PER_LINE 14   /* vsftpd's layout: " ABOR ACCT ..." */

static void cmd_help(struct session *s, const char *arg)
{
	struct strbuf text = { 0 };
	size_t n = sizeof commands / sizeof commands[0];
	strbuf_printf(&text, "The following commands are recognized.");
	for (size_t i = 0; i < n; i++) {
		bool line_ends = i % HELP_PER_LINE == HELP_PER_LINE - 1 || i == n - 1;
		strbuf_printf(&text, "%s %-*s", i % HELP_PER_LINE ? "" : "\n", line_ends ? 0 : 4,
			      commands[i].verb);
	}
	strbuf_printf(&text, "\nHelp OK.");
	reply_add(&s->out, 214, text.oom ? "Help OK." : text.data);
	strbuf_free(&text);
}

static const struct command *find_command(const char *verb)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].verb, verb) == 0)
			return &commands[i];
	return NULL;
}

/* As vsftpd, the lists apply after login only: its man page's own example,
 * cmds_allowed=PASV,RETR,QUIT, lists neither USER nor PASS. */
static bool allowed_by_config(const struct session *s, const char *verb)
{
	const struct ftpd_conf *conf = s->conf;
	if (!s->logged_in)
		return true;
	if (conf->cmds_allowed && !ftpd_conf_list_has(conf->cmds_allowed, verb))
		return false;
	return !ftpd_conf_list_has(conf->cmds_denied, verb);
}

/* log_ftp_protocol: every command, escaped, the password hidden. */
static void log_command(const struct session *s, const struct cmd_line *line)
{
	char arg[256];
	bool secret = strcmp(line->verb, "PASS") == 0;
	log_escape(arg, sizeof arg, line->arg, strlen(line->arg));
	log_info("%s: FTP command: \"%s%s%s\"", s->client, line->verb, *arg ? " " : "",
		 secret ? "<password>" : arg);
}

void session_command(struct session *s, const struct cmd_line *line)
{
	if (s->conf->log_ftp_protocol)
		log_command(s, line);
	const struct command *c = line->bad_verb ? NULL : find_command(line->verb);
	if (!c) {
		reply_add(&s->out, 500, "Unknown command.");
	} else if (!allowed_by_config(s, c->verb)) {
		reply_add(&s->out, 550, "Permission denied.");
	} else if (c->needs_login && !s->logged_in) {
		reply_add(&s->out, 530, "Please login with USER and PASS.");
	} else if (!c->handler) {
		reply_addf(&s->out, 502, "%s not implemented.", c->verb);
	} else {
		c->handler(s, line->arg);
	}
}
