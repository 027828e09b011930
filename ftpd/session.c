/* Session life cycle: greeting, transfer outcomes, logs and events. */
#include "session.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "dataaddr.h"
#include "event.h"
#include "log.h"
#include "reply.h"
#include "sock.h"
#include "xferlog.h"

void session_init(struct session *s, const struct ftpd_conf *conf, const struct session_logs *logs,
		  int rootfd, const struct session_ops *ops, void *io,
		  const struct sockaddr *peer, const struct sockaddr *local)
{
	memset(s, 0, sizeof *s);
	s->conf = conf;
	s->logs = logs;
	s->rootfd = rootfd;
	s->ops = ops;
	s->io = io;
	memcpy(&s->peer, peer, sock_addr_len(peer));
	memcpy(&s->local, local, sock_addr_len(local));
	dataaddr_host_str(peer, s->client, sizeof s->client);
	strcpy(s->cwd, "/");
	s->xfer.fd = -1;
	s->sized_fd = -1;
	s->binary = false;   /* RFC 959 default TYPE A */
}

void session_greet(struct session *s, const char *banner_file_text)
{
	const char *line = s->conf->ftpd_banner ? s->conf->ftpd_banner : "(pxe-ftpd " PXE_VERSION ")";
	reply_add_message(&s->out, 220, banner_file_text, line);
	session_log_event(s, NULL, NULL);
}

void session_line_too_long(struct session *s)
{
	reply_add(&s->out, 500, "Input line too long.");
}

void session_xfer_connected(struct session *s)
{
	const struct xfer *x = &s->xfer;
	if (x->kind == XFER_LIST)
		reply_add(&s->out, 150, "Here comes the directory listing.");
	else
		reply_addf(&s->out, 150, "Opening %s mode data connection for %s (%" PRIu64
			   " bytes).", x->ascii ? "ASCII" : "BINARY", x->named ? x->named : x->vpath,
			   x->end);
}

/* Appends one line to a log fd (or syslog with to_syslog), if enabled. */
static void write_log(int fd, bool to_syslog, const struct strbuf *line)
{
	if (line->len == 0)
		return;
	if (to_syslog)
		syslog(LOG_INFO, "%.*s", (int)line->len - 1, line->data);
	else if (fd >= 0 && write(fd, line->data, line->len) < 0)
		log_warn("cannot write a transfer log line: %m");
}

static bool keeps_vsftpd_log(const struct session_logs *logs)
{
	return logs->vsftpd_fd >= 0 || logs->vsftpd_syslog;
}

void session_log_event(struct session *s, const char *user, const char *password)
{
	const struct session_logs *logs = s->logs;
	struct strbuf line = { 0 };
	if (!logs || !keeps_vsftpd_log(logs))
		return;
	xferlog_vsftpd_session(&line, time(NULL), (long)getpid(), user, s->client, password);
	write_log(logs->vsftpd_fd, logs->vsftpd_syslog, &line);
	strbuf_free(&line);
}

/* A RETR's record, in both formats where kept. */
static void log_download(struct session *s, const struct xfer_record *r, const char *what)
{
	const struct session_logs *logs = s->logs;
	struct strbuf line = { 0 };
	if (!logs)
		return;
	if (logs->xferlog_fd >= 0) {
		xferlog_std_line(&line, r);
		write_log(logs->xferlog_fd, false, &line);
		line.len = 0;
	}
	if (keeps_vsftpd_log(logs)) {
		xferlog_vsftpd_line(&line, r, (long)getpid(), what);
		write_log(logs->vsftpd_fd, logs->vsftpd_syslog, &line);
	}
	strbuf_free(&line);
}

static struct xfer_record record_of(const struct session *s, const char *vpath, bool ascii)
{
	return (struct xfer_record){
		.end = time(NULL), .client = s->client, .vpath = vpath, .ascii = ascii,
		.anon_password = s->anon_password, .user = s->conf->ftp_username,
	};
}

static void log_xfer(struct session *s, bool complete, double seconds)
{
	struct xfer_record r = record_of(s, s->xfer.vpath, s->xfer.ascii);
	r.seconds = seconds;
	r.bytes = s->xfer.bytes;
	r.complete = complete;
	if (s->xfer.kind == XFER_RETR)
		log_download(s, &r, s->xfer.what);
}

void session_log_refused_download(struct session *s, const char *vpath)
{
	struct xfer_record r = record_of(s, vpath, !s->binary);
	log_download(s, &r, "DOWNLOAD");
}

static void emit_xfer_event(struct session *s, double seconds, bool complete)
{
	char bytes[24], rate[24];
	snprintf(bytes, sizeof bytes, "%" PRIu64, s->xfer.bytes);
	snprintf(rate, sizeof rate, "%.0f", seconds > 0 ? (double)s->xfer.bytes / seconds : 0.0);
	if (s->xfer.kind == XFER_RETR)
		event_emit("retr", "client", s->client, "file", s->xfer.vpath, "bytes", bytes,
			   "rate", rate, "status", complete ? "ok" : "failed", NULL);
	else
		event_emit("list", "client", s->client, "dir", s->xfer.vpath, "bytes", bytes, NULL);
}

static void reply_outcome(struct session *s, enum xfer_status status)
{
	static const struct { int code; const char *text; } outcomes[] = {
		[XFER_OK] = { 226, NULL },
		[XFER_NO_CONNECTION] = { 425, "Failed to establish connection." },
		[XFER_NET_ERROR] = { 426, "Failure writing network stream." },
		[XFER_FILE_ERROR] = { 451, "Failure reading local file." },
		[XFER_ABORTED] = { 426, "Transfer aborted." },
	};
	const char *ok_text = s->xfer.kind == XFER_LIST ? "Directory send OK." :
			      "Transfer complete.";
	reply_add(&s->out, outcomes[status].code,
		  outcomes[status].text ? outcomes[status].text : ok_text);
}

void session_xfer_done(struct session *s, enum xfer_status status)
{
	struct xfer *x = &s->xfer;
	double seconds = (double)(log_now_us() - x->start_us) / 1e6;
	bool complete = status == XFER_OK;
	reply_outcome(s, status);
	log_xfer(s, complete, seconds);
	emit_xfer_event(s, seconds, complete);
	if (complete && x->kind == XFER_RETR)
		s->files_sent++;
	s->bytes_sent += x->bytes;
	if (x->fd >= 0)
		close(x->fd);
	strbuf_free(&x->listing);
	free(x->named);
	memset(x, 0, sizeof *x);
	x->fd = -1;
	s->data_mode = DATA_NONE;
	s->busy = false;
}

void session_timeout(struct session *s)
{
	reply_add(&s->out, 421, "Timeout.");
	s->quit = true;
}

void session_free(struct session *s)
{
	if (s->xfer.fd >= 0)
		close(s->xfer.fd);
	if (s->sized_fd >= 0)
		close(s->sized_fd);
	strbuf_free(&s->xfer.listing);
	free(s->xfer.named);
	strbuf_free(&s->visited_dirs);
	strbuf_free(&s->out);
}
