/* One FTP session's state and the command handlers' contract with io.c.
 * The handlers decide; io.c moves bytes. No libuv here. */
#ifndef FTPD_SESSION_H
#define FTPD_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "cmdline.h"
#include "conf.h"
#include "path.h"
#include "strbuf.h"

enum xfer_kind { XFER_NONE, XFER_RETR, XFER_LIST };
enum data_mode { DATA_NONE, DATA_PASV, DATA_PORT };
enum xfer_status { XFER_OK, XFER_NO_CONNECTION, XFER_NET_ERROR, XFER_FILE_ERROR, XFER_ABORTED };

struct session_ops {
	/* A passive listener on the control connection's local address, in
	 * pasv_min/max_port; *bound gets its address. 0, or -1. */
	int (*pasv_listen)(void *io, struct sockaddr_storage *bound);
	/* Drops any passive listener and data connection. */
	void (*data_reset)(void *io);
	/* Opens the data connection (accept or connect), then calls
	 * session_xfer_connected, moves s->xfer, and calls session_xfer_done. */
	void (*xfer_start)(void *io);
	/* Stops a transfer in progress; io then calls session_xfer_done. */
	void (*xfer_abort)(void *io);
};

struct xfer {
	enum xfer_kind kind;
	int fd;                 /* RETR: the open file, else -1 */
	uint64_t offset, end;   /* RETR: where to start and stop (end: its size as opened) */
	struct timespec mtime;  /* RETR: as opened; a write changes it or the size */
	struct strbuf listing;  /* LIST, NLST, MLSD: the text to send */
	bool ascii;
	const char *what;       /* "DOWNLOAD" or "LIST", for logs */
	char vpath[FTPD_PATH_MAX];
	char *named;            /* RETR: the path as the client gave it (malloc'd, may be NULL) */
	uint64_t bytes;         /* moved so far (io.c counts) */
	uint64_t start_us;
};

/* Where log lines go: fds opened by main.c before the chroot, -1 if off. */
struct session_logs {
	int xferlog_fd;      /* xferlog_std_format lines */
	int vsftpd_fd;       /* vsftpd format lines */
	bool vsftpd_syslog;  /* vsftpd format lines to syslog instead */
};

struct session {
	const struct ftpd_conf *conf;
	const struct session_logs *logs;
	int rootfd;
	const struct session_ops *ops;
	void *io;
	struct strbuf out;           /* replies not yet written */
	struct sockaddr_storage peer, local;
	char client[64];             /* peer address, numeric */
	bool user_anonymous, user_local, logged_in;
	bool binary, epsv_all, quit, busy;
	char anon_password[64];
	char user_name[64];          /* as USER gave it, for a FAIL LOGIN line */
	char cwd[FTPD_PATH_MAX];
	struct strbuf visited_dirs;  /* dirmessage_enable: the directories shown (device, inode) */
	uint64_t rest;
	enum data_mode data_mode;
	struct sockaddr_storage port_addr;
	struct xfer xfer;
	/* The file SIZE opened, kept for the RETR that follows it in curl's
	 * sequence so that it is not opened twice; -1 if none. */
	int sized_fd;
	uint64_t sized_len;
	struct timespec sized_mtime;
	char sized_vpath[FTPD_PATH_MAX];
	uint64_t files_sent, bytes_sent;
	unsigned clients_at_start;   /* sessions counted when this one began (STAT), 0 if none */
};

void session_init(struct session *s, const struct ftpd_conf *conf, const struct session_logs *logs,
		  int rootfd, const struct session_ops *ops, void *io,
		  const struct sockaddr *peer, const struct sockaddr *local);
/* The 220 greeting: banner_file's text (read by main.c, may be NULL) as
 * "220-" lines, then ftpd_banner or the default. */
void session_greet(struct session *s, const char *banner_file_text);
/* Runs one command through the table (commands.c). */
void session_command(struct session *s, const struct cmd_line *line);
void session_line_too_long(struct session *s);
/* A line in vsftpd's own log, if kept: CONNECT (user NULL), OK LOGIN (with
 * the anonymous password), FAIL LOGIN (password NULL), as vsftpd writes
 * them (fail2ban's vsftpd filter reads FAIL LOGIN). */
void session_log_event(struct session *s, const char *user, const char *password);
/* A RETR refused at open (missing, denied, unreadable): a failed download
 * of 0 bytes in both logs, as vsftpd logs it. */
void session_log_refused_download(struct session *s, const char *vpath);
void session_xfer_connected(struct session *s);
void session_xfer_done(struct session *s, enum xfer_status status);
/* Replies "421 Timeout." and marks the session to end. */
void session_timeout(struct session *s);
void session_free(struct session *s);

#endif
