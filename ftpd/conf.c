/* The vsftpd.conf key table. Defaults are vsftpd 3.0's code defaults as the
 * CentOS 7 package builds them (background=YES: the stock Type=forking unit
 * relies on it; pam_service_name and list files at Red Hat's paths). */
#include "conf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OFF(f) offsetof(struct ftpd_conf, f)
#define B(n, d) { #n, CFG_BOOL, OFF(n), d, 0, 0, 0 }
#define U(n, d, lo, hi) { #n, CFG_UINT, OFF(n), d, lo, hi, 0 }
#define S(n, d) { #n, CFG_STR, OFF(n), d, 0, 0, 0 }
#define NB(n, i, d) { #n, CFG_BOOL, OFF(ns_bool[i]), d, 0, 0, CFG_NOT_SERVED }
#define NU(n, i, d, fl) { #n, CFG_UINT, OFF(ns_uint[i]), d, 0, 0, CFG_NOT_SERVED | (fl) }
#define NS(n, i, d) { #n, CFG_STR, OFF(ns_str[i]), d, 0, 0, CFG_NOT_SERVED }

static const struct cfg_key ftpd_keys[] = {
	B(anonymous_enable, "YES"), B(no_anon_password, "NO"),
	B(anon_world_readable_only, "YES"), B(listen, "YES"), B(listen_ipv6, "NO"),
	B(background, "YES"), B(pasv_enable, "YES"), B(pasv_promiscuous, "NO"),
	B(port_enable, "YES"), B(port_promiscuous, "NO"),
	B(connect_from_port_20, "NO"), B(dirmessage_enable, "NO"), B(dirlist_enable, "YES"),
	B(download_enable, "YES"), B(hide_ids, "NO"), B(force_dot_files, "NO"),
	B(use_sendfile, "YES"), B(use_localtime, "NO"), B(xferlog_enable, "NO"),
	B(xferlog_std_format, "NO"), B(dual_log_enable, "NO"), B(syslog_enable, "NO"),
	B(log_ftp_protocol, "NO"), B(ascii_download_enable, "NO"),
	{ "local_enable", CFG_BOOL, OFF(local_enable), "NO", 0, 0, CFG_NOT_SERVED },
	U(anon_max_rate, "0", 0, 0), U(listen_port, "21", 1, 65535),
	U(ftp_data_port, "20", 1, 65535), U(pasv_min_port, "5001", 0, 65535),
	U(pasv_max_port, "0", 0, 65535), U(max_clients, "2000", 0, 0),
	U(max_per_ip, "50", 0, 0), U(accept_timeout, "60", 0, 86400),
	U(connect_timeout, "60", 0, 86400), U(idle_session_timeout, "300", 0, 86400),
	U(data_connection_timeout, "300", 0, 86400),
	S(anon_root, NULL), S(ftp_username, "ftp"), S(listen_address, NULL),
	S(listen_address6, NULL), S(pasv_address, NULL), S(ftpd_banner, NULL),
	S(banner_file, NULL), S(message_file, ".message"), S(hide_file, NULL),
	S(deny_file, NULL), S(cmds_allowed, NULL), S(cmds_denied, NULL),
	S(xferlog_file, "/var/log/xferlog"), S(vsftpd_log_file, "/var/log/vsftpd.log"),

	NB(chroot_local_user, 0, "NO"), NB(write_enable, 1, "NO"),
	NB(anon_upload_enable, 2, "NO"), NB(anon_mkdir_write_enable, 3, "NO"),
	NB(anon_other_write_enable, 4, "NO"), NB(chown_uploads, 5, "NO"),
	NB(async_abor_enable, 6, "NO"), NB(ascii_upload_enable, 7, "NO"),
	NB(one_process_model, 9, "NO"),
	NB(deny_email_enable, 10, "NO"), NB(chroot_list_enable, 11, "NO"),
	NB(setproctitle_enable, 12, "NO"), NB(text_userdb_names, 13, "NO"),
	NB(ls_recurse_enable, 14, "NO"), NB(guest_enable, 15, "NO"),
	NB(userlist_enable, 16, "NO"), NB(userlist_deny, 17, "YES"),
	NB(check_shell, 18, "YES"), NB(passwd_chroot_enable, 19, "NO"),
	NB(tcp_wrappers, 20, "NO"), NB(virtual_use_local_privs, 21, "NO"),
	NB(session_support, 22, "NO"), NB(chmod_enable, 23, "YES"),
	NB(secure_email_list_enable, 24, "NO"), NB(run_as_launching_user, 25, "NO"),
	NB(no_log_lock, 26, "NO"), NB(ssl_enable, 27, "NO"), NB(allow_anon_ssl, 28, "NO"),
	NB(force_local_logins_ssl, 29, "YES"), NB(force_local_data_ssl, 30, "YES"),
	NB(ssl_sslv2, 31, "NO"), NB(ssl_sslv3, 32, "NO"), NB(ssl_tlsv1, 33, "YES"),
	NB(ssl_tlsv1_1, 34, "YES"), NB(ssl_tlsv1_2, 35, "YES"),
	NB(tilde_user_enable, 36, "NO"), NB(force_anon_logins_ssl, 37, "NO"),
	NB(force_anon_data_ssl, 38, "NO"), NB(mdtm_write, 39, "YES"),
	NB(lock_upload_files, 40, "YES"), NB(debug_ssl, 41, "NO"),
	NB(require_cert, 42, "NO"), NB(validate_cert, 43, "NO"),
	NB(strict_ssl_read_eof, 44, "NO"), NB(strict_ssl_write_shutdown, 45, "NO"),
	NB(ssl_request_cert, 46, "YES"), NB(delete_failed_uploads, 47, "NO"),
	NB(implicit_ssl, 48, "NO"), NB(ptrace_sandbox, 49, "NO"),
	NB(require_ssl_reuse, 50, "YES"), NB(isolate, 51, "YES"),
	NB(isolate_network, 52, "YES"), NB(ftp_enable, 53, "YES"), NB(http_enable, 54, "NO"),
	NB(seccomp_sandbox, 55, "YES"), NB(allow_writeable_chroot, 56, "NO"),
	NB(reverse_lookup_enable, 57, "YES"), NB(better_stou, 58, "NO"),
	NB(pasv_addr_resolve, 59, "NO"),
	NU(local_umask, 0, "077", CFG_OCTAL), NU(anon_umask, 1, "077", CFG_OCTAL),
	NU(local_max_rate, 2, "0", 0), NU(file_open_mode, 3, "0666", CFG_OCTAL),
	NU(trans_chunk_size, 4, "0", 0), NU(delay_failed_login, 5, "1", 0),
	NU(delay_successful_login, 6, "0", 0), NU(max_login_fails, 7, "3", 0),
	NU(chown_upload_mode, 8, "0600", CFG_OCTAL),
	NS(chown_username, 0, "root"), NS(banned_email_file, 1, "/etc/vsftpd/banned_emails"),
	NS(chroot_list_file, 2, "/etc/vsftpd/chroot_list"), NS(pam_service_name, 3, "vsftpd"),
	NS(guest_username, 4, "ftp"), NS(userlist_file, 5, "/etc/vsftpd/user_list"),
	NS(local_root, 6, NULL), NS(user_config_dir, 7, NULL), NS(user_sub_token, 8, NULL),
	NS(email_password_file, 9, "/etc/vsftpd/email_passwords"),
	NS(rsa_cert_file, 10, "/usr/share/ssl/certs/vsftpd.pem"), NS(dsa_cert_file, 11, NULL),
	NS(ssl_ciphers, 12, "DES-CBC3-SHA"), NS(rsa_private_key_file, 13, NULL),
	NS(dsa_private_key_file, 14, NULL), NS(ca_certs_file, 15, NULL),
	NS(dh_param_file, 16, NULL), NS(ecdh_param_file, 17, NULL),
	/* one process serves every session as ftp_username inside anon_root:
	 * vsftpd's pre-login user and its empty chroot have no role here */
	NS(nopriv_user, 18, "nobody"), NS(secure_chroot_dir, 19, "/usr/share/empty"),
};

struct note_relay {
	ftpd_conf_note_fn *fn;
	void *ctx;
};

/* A not-served boolean set to NO asks for nothing this build lacks. */
static void relay_note(const struct cfg_key *key, const char *value, const char *file,
		       int line, void *ctx)
{
	struct note_relay *relay = ctx;
	bool on;
	if (key->type == CFG_BOOL && cfg_parse_bool(value, &on) == 0 && !on)
		return;
	if (relay->fn)
		relay->fn(key->name, file, line, relay->ctx);
}

static int apply_override(const struct cfg_schema *schema, struct ftpd_conf *c,
			  const char *assignment, struct cfg_error *cerr)
{
	char key[64];
	const char *eq = strchr(assignment, '=');
	size_t klen = eq ? (size_t)(eq - assignment) : 0;
	if (!eq || klen == 0 || klen >= sizeof key) {
		memset(cerr, 0, sizeof *cerr);
		snprintf(cerr->key, sizeof cerr->key, "-o%.40s", assignment);
		snprintf(cerr->msg, sizeof cerr->msg, "expected -oKEY=VALUE");
		return -1;
	}
	memcpy(key, assignment, klen);
	key[klen] = '\0';
	return cfg_set(schema, c, key, eq + 1, cerr);
}

static struct cfg_schema schema_with(struct note_relay *relay)
{
	struct cfg_schema schema = {
		ftpd_keys, sizeof ftpd_keys / sizeof ftpd_keys[0], NULL, relay_note, relay,
	};
	return schema;
}

/* Defaults, then a file (path) or text in memory (text, named name), then
 * the overrides. */
static int load(struct ftpd_conf *c, const char *path, const char *text, const char *name,
		char *const *overrides, size_t n_overrides, struct note_relay *relay,
		char *err, size_t err_size)
{
	const struct cfg_schema schema = schema_with(relay);
	struct cfg_error cerr;
	memset(c, 0, sizeof *c);
	cfg_defaults(&schema, c);
	int rc = path ? cfg_load_file(&schema, c, path, &cerr) :
		 text ? cfg_load_string(&schema, c, text, name, &cerr) : 0;
	for (size_t i = 0; rc == 0 && i < n_overrides; i++)
		rc = apply_override(&schema, c, overrides[i], &cerr);
	if (rc != 0) {
		cfg_format_error(&cerr, err, err_size);
		cfg_free(&schema, c);
	}
	return rc;
}

int ftpd_conf_load(struct ftpd_conf *c, const char *path, char *const *overrides,
		   size_t n_overrides, ftpd_conf_note_fn *note, void *note_ctx,
		   char *err, size_t err_size)
{
	struct note_relay relay = { note, note_ctx };
	return load(c, path, NULL, NULL, overrides, n_overrides, &relay, err, err_size);
}

int ftpd_conf_load_text(struct ftpd_conf *c, const char *text, const char *name,
			char *err, size_t err_size)
{
	struct note_relay relay = { NULL, NULL };
	return load(c, NULL, text, name, NULL, 0, &relay, err, err_size);
}

void ftpd_conf_free(struct ftpd_conf *c)
{
	struct note_relay relay = { NULL, NULL };
	const struct cfg_schema schema = schema_with(&relay);
	cfg_free(&schema, c);
}

bool ftpd_conf_list_has(const char *list, const char *verb)
{
	size_t vlen = strlen(verb);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == vlen && strncasecmp(p, verb, len) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}
