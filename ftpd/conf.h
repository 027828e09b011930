/* vsftpd.conf: every key vsftpd 3.0 documents, with the defaults its code
 * sets (not its man page). Keys this build does not serve (local users,
 * uploads, PAM, TLS, tcp_wrappers) are accepted and reported once. */
#ifndef FTPD_CONF_H
#define FTPD_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define FTPD_DEFAULT_CONF "/etc/vsftpd/vsftpd.conf"

struct ftpd_conf {
	/* served */
	bool anonymous_enable, no_anon_password, anon_world_readable_only;
	bool listen, listen_ipv6, background;
	bool pasv_enable, pasv_promiscuous;
	bool port_enable, port_promiscuous, connect_from_port_20;
	bool dirmessage_enable, dirlist_enable, download_enable;
	bool hide_ids, force_dot_files, use_sendfile, use_localtime;
	bool xferlog_enable, xferlog_std_format, dual_log_enable, syslog_enable;
	bool log_ftp_protocol, local_enable, ascii_download_enable;
	unsigned long anon_max_rate, listen_port, ftp_data_port;
	unsigned long pasv_min_port, pasv_max_port;
	unsigned long max_clients, max_per_ip;
	unsigned long accept_timeout, connect_timeout;
	unsigned long idle_session_timeout, data_connection_timeout;
	char *anon_root, *ftp_username;
	char *listen_address, *listen_address6, *pasv_address;
	char *ftpd_banner, *banner_file, *message_file;
	char *hide_file, *deny_file, *cmds_allowed, *cmds_denied;
	char *xferlog_file, *vsftpd_log_file;
	/* accepted, not served: storage only, so the table stays uniform */
	bool ns_bool[64];
	unsigned long ns_uint[16];
	char *ns_str[32];
};

/* Called once per set CFG_NOT_SERVED key (for the start-up report). */
typedef void ftpd_conf_note_fn(const char *key, const char *file, int line, void *ctx);

/* Defaults, then the file (path may be NULL), then "KEY=VALUE" overrides.
 * Returns 0, or -1 with a "file:line: key: message" text in err (and
 * nothing left to free). */
int ftpd_conf_load(struct ftpd_conf *c, const char *path, char *const *overrides,
		   size_t n_overrides, ftpd_conf_note_fn *note, void *note_ctx,
		   char *err, size_t err_size);
/* The same over text in memory (name stands for the file in errors). */
int ftpd_conf_load_text(struct ftpd_conf *c, const char *text, const char *name,
			char *err, size_t err_size);
void ftpd_conf_free(struct ftpd_conf *c);

/* Whether a comma-separated vsftpd command list holds verb (case-blind). */
bool ftpd_conf_list_has(const char *list, const char *verb);

#endif
