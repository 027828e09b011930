/* The command handlers, grouped by concern: cmd_session.c (login,
 * navigation, parameters, information) and cmd_data.c (data connections,
 * transfers, file facts). commands.c holds the table that dispatches to
 * them. Each gets the session and the argument ("" if none). */
#ifndef FTPD_HANDLERS_H
#define FTPD_HANDLERS_H

#include "session.h"

void cmd_user(struct session *s, const char *arg);
void cmd_pass(struct session *s, const char *arg);
void cmd_allo(struct session *s, const char *arg);
void cmd_quit(struct session *s, const char *arg);
void cmd_cwd(struct session *s, const char *arg);
void cmd_cdup(struct session *s, const char *arg);
void cmd_pwd(struct session *s, const char *arg);
void cmd_type(struct session *s, const char *arg);
void cmd_mode(struct session *s, const char *arg);
void cmd_stru(struct session *s, const char *arg);
void cmd_rest(struct session *s, const char *arg);
void cmd_opts(struct session *s, const char *arg);
void cmd_pasv(struct session *s, const char *arg);
void cmd_epsv(struct session *s, const char *arg);
void cmd_port(struct session *s, const char *arg);
void cmd_eprt(struct session *s, const char *arg);
void cmd_retr(struct session *s, const char *arg);
void cmd_list(struct session *s, const char *arg);
void cmd_nlst(struct session *s, const char *arg);
void cmd_mlsd(struct session *s, const char *arg);
void cmd_abor(struct session *s, const char *arg);
void cmd_size(struct session *s, const char *arg);
void cmd_mdtm(struct session *s, const char *arg);
void cmd_mlst(struct session *s, const char *arg);
void cmd_syst(struct session *s, const char *arg);
void cmd_noop(struct session *s, const char *arg);
void cmd_feat(struct session *s, const char *arg);
void cmd_stat(struct session *s, const char *arg);
void cmd_readonly(struct session *s, const char *arg);

#endif
