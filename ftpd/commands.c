/* The command table (RFC 959, 2389, 2428, 3659): each verb with whether
 * it needs a login and an argument, and its handler. */
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "reply.h"

typedef void cmd_handler(struct session *s, const char *arg);

struct command {
	const char *verb;
	bool needs_login;
	bool needs_arg;
	cmd_handler *handler;
	const char *help;   /* shown by HELP; NULL for aliases and refusals */
};

static void cmd_help(struct session *s, const char *arg);

static const struct command commands[] = {
	{ "USER", false, true, cmd_user, "USER name" },
	{ "PASS", false, false, cmd_pass, "PASS password" },
	{ "ACCT", false, false, cmd_acct, NULL },
	{ "QUIT", false, false, cmd_quit, "QUIT" },
	{ "FEAT", false, false, cmd_feat, "FEAT" },
	{ "OPTS", false, true, cmd_opts, "OPTS UTF8 ON" },
	{ "SYST", false, false, cmd_syst, "SYST" },
	{ "HELP", false, false, cmd_help, "HELP" },
	{ "NOOP", false, false, cmd_noop, "NOOP" },
	{ "CWD", true, true, cmd_cwd, "CWD path" },
	{ "XCWD", true, true, cmd_cwd, NULL },
	{ "CDUP", true, false, cmd_cdup, "CDUP" },
	{ "XCUP", true, false, cmd_cdup, NULL },
	{ "PWD", true, false, cmd_pwd, "PWD" },
	{ "XPWD", true, false, cmd_pwd, NULL },
	{ "TYPE", true, true, cmd_type, "TYPE A|I" },
	{ "MODE", true, true, cmd_mode, "MODE S" },
	{ "STRU", true, true, cmd_stru, "STRU F" },
	{ "PASV", true, false, cmd_pasv, "PASV" },
	{ "EPSV", true, false, cmd_epsv, "EPSV [1|2|ALL]" },
	{ "PORT", true, true, cmd_port, "PORT h1,h2,h3,h4,p1,p2" },
	{ "EPRT", true, true, cmd_eprt, "EPRT |af|addr|port|" },
	{ "REST", true, true, cmd_rest, "REST offset" },
	{ "RETR", true, true, cmd_retr, "RETR file" },
	{ "LIST", true, false, cmd_list, "LIST [path]" },
	{ "NLST", true, false, cmd_nlst, "NLST [path]" },
	{ "MLSD", true, false, cmd_mlsd, "MLSD [path]" },
	{ "MLST", true, false, cmd_mlst, "MLST [path]" },
	{ "SIZE", true, true, cmd_size, "SIZE file" },
	{ "MDTM", true, true, cmd_mdtm, "MDTM file" },
	{ "STAT", true, false, cmd_stat, "STAT" },
	{ "ABOR", true, false, cmd_abor, "ABOR" },
	{ "STOR", true, false, cmd_readonly, NULL },
	{ "STOU", true, false, cmd_readonly, NULL },
	{ "APPE", true, false, cmd_readonly, NULL },
	{ "DELE", true, false, cmd_readonly, NULL },
	{ "MKD", true, false, cmd_readonly, NULL },
	{ "XMKD", true, false, cmd_readonly, NULL },
	{ "RMD", true, false, cmd_readonly, NULL },
	{ "XRMD", true, false, cmd_readonly, NULL },
	{ "RNFR", true, false, cmd_readonly, NULL },
	{ "RNTO", true, false, cmd_readonly, NULL },
	{ "SITE", true, false, cmd_readonly, NULL },
	{ "ALLO", true, false, cmd_readonly, NULL },
};

static void cmd_help(struct session *s, const char *arg)
{
	struct strbuf text = { 0 };
	strbuf_printf(&text, "The following commands are recognized.");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].help)
			strbuf_printf(&text, "\n %s", commands[i].help);
	strbuf_printf(&text, "\nHelp OK.");
	reply_add(&s->out, 214, text.data ? text.data : "Help OK.");
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
	} else if (c->needs_arg && line->arg[0] == '\0') {
		reply_addf(&s->out, 501, "%s needs an argument.", c->verb);
	} else {
		c->handler(s, line->arg);
	}
}
