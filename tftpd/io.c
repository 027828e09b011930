/* The libuv side of tftpd; see io.h. */
#include "io.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cpuloop.h"
#include "mapfile.h"
#include "path.h"
#include "recv.h"
#include "report.h"
#include "sock.h"
#include "wire.h"
#include "xfer.h"

#define RECV_BURST 64                  /* datagrams per readable event */
#define PROGRESS_MS 1000
/* How often a transfer looks for its client's CPU: every 2 ms and 16
 * replies. A loaded machine moves the client between CPUs; each window it
 * then spends apart costs two wake-ups of a halted CPU (w16, pinned apart:
 * ~110 against ~220 MB/s together), and at 1 s a 64 MB transfer (0.3 s)
 * never followed its client. The reply count keeps a slow transfer (one
 * block per 20 ms round trip) from moving at every block. */
#define STEER_MS 2
#define STEER_REPLIES 16

struct transfer;

/* A transfer runs on the loop of the CPU its client's packets come in on
 * (SO_INCOMING_CPU, common/cpuloop.h). Measured with 40 clients: one loop
 * for all cost the clients 30 % more CPU per GB. Each loop thread has its
 * own receive buffer. */
static _Thread_local uint8_t rx[TFTP_PKT_MAX + 1];

/* What differs between sending (RRQ) and receiving (WRQ). */
struct transfer_ops {
	enum tftp_opcode expects;          /* ACK or DATA */
	void (*on_packet)(struct transfer *t, const struct tftp_reply *rep);
	void (*on_timeout)(struct transfer *t);
	uint64_t (*bytes)(const struct transfer *t);
	uint64_t (*retransmits)(const struct transfer *t);
	uint64_t (*timeout_us)(const struct transfer *t);   /* the timer to arm */
};

struct transfer {
	const struct transfer_ops *ops;
	struct tftpd_server *srv;
	struct transfer *next;             /* srv->transfers */
	uv_loop_t *loop;                   /* where its handles are */
	struct cpuloop *moving_to;         /* handles closing, for that loop */
	struct cpuloop_item moving;        /* in its inbox */
	uint64_t steer_ms;
	unsigned steer_replies;            /* since it last looked */
	uv_poll_t poll;                    /* the client's socket */
	uv_poll_t stranger_poll;
	uv_timer_t timer;
	struct wire_peer wp;               /* the transfer's socket and client */
	int open_handles;
	bool ending;
	char peer[INET6_ADDRSTRLEN + 8];
	char name[TFTP_NAME_MAX + 1];      /* as requested */
	struct tftp_params params;
	struct xfer_send xs;               /* RRQ */
	struct xfer_recv xr;               /* WRQ */
	int wfd;                           /* WRQ: the file written */
	bool netascii;
	bool ascii_cr;                     /* WRQ netascii: a CR ended the last block */
	struct tftpd_file *file;           /* RRQ: shared */
	uint8_t *window_buf;               /* RRQ: read-ahead; WRQ: netascii scratch */
	size_t window_cap;                 /* window_buf's size, less the byte for a CR */
	struct source src;                 /* RRQ */
	struct xfer_window unsent;         /* the tail of a window the socket had no room for */
	int poll_events;                   /* what t->poll waits for */
	uint64_t start_ms;
	uint64_t progress_ms;
};

/* ---- bad input ---- */

static void bad_packet(struct tftpd_server *srv, const char *peer, const char *why)
{
	uint64_t suppressed;

	uv_mutex_lock(&srv->lock);
	srv->bad_packets++;
	if (log_ratelimit_allow(&srv->bad_log, log_now_ms(), &suppressed))
		log_notice("dropped packet from %s: %s (%llu dropped in all, %llu not logged)", peer,
			   why, (unsigned long long)srv->bad_packets, (unsigned long long)suppressed);
	uv_mutex_unlock(&srv->lock);
}

/* ---- idle exit (inetd mode), lingering files ---- */

/* uv_now() is each loop's own, cached: the file table's clock is one for all. */
static uint64_t now_ms(void)
{
	return uv_hrtime() / 1000000;
}

static void on_idle(uv_timer_t *timer);

/* On the main loop. */
static void idle_arm(struct tftpd_server *srv)
{
	uv_mutex_lock(&srv->lock);
	bool idle = srv->n_transfers == 0 && !srv->pool.stopped;
	uv_mutex_unlock(&srv->lock);
	if (srv->exit_when_idle && idle)
		uv_timer_start(&srv->idle_timer, on_idle,
			       (uint64_t)srv->conf->idle_secs * 1000, 0);
}

static void on_linger(uv_timer_t *timer);

/* On the main loop. */
static void linger_arm(struct tftpd_server *srv)
{
	uv_mutex_lock(&srv->lock);
	uint64_t next = files_expire(&srv->files, now_ms());
	uv_mutex_unlock(&srv->lock);
	if (next > 0)
		uv_timer_start(&srv->linger_timer, on_linger, next, 0);
}

static void on_linger(uv_timer_t *timer)
{
	linger_arm(timer->data);
}

static void on_idle_wake(uv_async_t *async)
{
	idle_arm(async->data);
	linger_arm(async->data);
}

/* ---- transfer lifetime ---- */

/* The file table is shared: any loop may end the last transfer of a file.
 * The main loop's linger timer then closes the file if no transfer takes
 * it up again. */
static void release_file(struct tftpd_server *srv, struct tftpd_file *f)
{
	uv_mutex_lock(&srv->lock);
	if (files_release(&srv->files, f, now_ms()) > 0 && !srv->pool.stopped)
		uv_async_send(&srv->idle_wake);
	uv_mutex_unlock(&srv->lock);
}

static void transfer_free(struct transfer *t)
{
	if (t->wp.fd >= 0)
		close(t->wp.fd);
	if (t->wp.stranger_fd >= 0)
		close(t->wp.stranger_fd);
	if (t->wfd >= 0)
		close(t->wfd);
	if (t->file)
		release_file(t->srv, t->file);
	source_free(&t->src);
	free(t->window_buf);
	free(t);
}

/* Out of srv->transfers; the main loop hears when none is left. */
static void transfer_unlist(struct transfer *t)
{
	struct tftpd_server *srv = t->srv;

	uv_mutex_lock(&srv->lock);
	for (struct transfer **pp = &srv->transfers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	if (--srv->n_transfers == 0 && !srv->pool.stopped)
		uv_async_send(&srv->idle_wake);
	uv_mutex_unlock(&srv->lock);
}

static void transfer_moved(struct transfer *t);

static void transfer_closed(uv_handle_t *h)
{
	struct transfer *t = h->data;

	if (--t->open_handles > 0)
		return;
	if (t->moving_to)
		transfer_moved(t);
	else
		transfer_free(t);
}

static void transfer_close_handles(struct transfer *t)
{
	uv_close((uv_handle_t *)&t->poll, transfer_closed);
	uv_close((uv_handle_t *)&t->stranger_poll, transfer_closed);
	uv_close((uv_handle_t *)&t->timer, transfer_closed);
}

static void on_transfer_event(uv_poll_t *poll, int status, int events);
static void on_stranger_event(uv_poll_t *poll, int status, int events);

/* Its sockets and timer on loop. On failure t is freed once the handles
 * opened so far are closed. */
static int transfer_watch(struct transfer *t, uv_loop_t *loop)
{
	uv_poll_t *polls[] = { &t->poll, &t->stranger_poll };
	const int fds[] = { t->wp.fd, t->wp.stranger_fd };

	uv_timer_init(loop, &t->timer);
	t->timer.data = t;
	t->open_handles = 1;
	for (unsigned i = 0; i < 2; i++) {
		if (uv_poll_init(loop, polls[i], fds[i]) != 0) {
			for (unsigned k = 0; k < i; k++)
				uv_close((uv_handle_t *)polls[k], transfer_closed);
			uv_close((uv_handle_t *)&t->timer, transfer_closed);
			return -1;
		}
		polls[i]->data = t;
		t->open_handles++;
	}
	uv_poll_start(&t->poll, t->poll_events, on_transfer_event);
	uv_poll_start(&t->stranger_poll, UV_READABLE, on_stranger_event);
	return 0;
}

static void transfer_end(struct transfer *t)
{
	if (t->ending)
		return;
	t->ending = true;
	transfer_unlist(t);
	transfer_close_handles(t);
}

static struct xfer_report transfer_report(const struct transfer *t)
{
	return (struct xfer_report){
		.peer = t->peer,
		.file = t->name,
		.bytes = t->ops->bytes(t),
		.blksize = t->params.blksize,
		.windowsize = t->params.windowsize,
		.retransmits = t->ops->retransmits(t),
		.duration_ms = uv_now(t->loop) - t->start_ms,
	};
}

static void transfer_fail(struct transfer *t, const char *reason)
{
	struct xfer_report r = transfer_report(t);

	report_fail(&r, reason);
	transfer_end(t);
}

static void transfer_send_error(struct transfer *t, enum tftp_errcode code, const char *msg)
{
	if (wire_send_error(&t->wp, code, msg) != 0)
		log_debug("error to %s not sent: %s", t->peer, strerror(errno));
}

/* ---- sending ---- */

/* netascii: the conversion reaching the end of the file before the end of
 * window w gives the size, and w stops at the last block. */
static int bound_window(struct transfer *t, struct xfer_window *w)
{
	uint64_t keep = xfer_block_offset(&t->xs, t->xs.acked + 1), size;
	int end = source_ascii_end(&t->src, keep, xfer_block_offset(&t->xs, w->first + w->count),
				   &size);

	if (end > 0)
		xfer_set_size(&t->xs, size, w);
	return end < 0 ? -1 : 0;
}

/* The socket may take only part of the window: the rest waits in
 * t->unsent until it is writable again. Blocks that extend the window
 * (xfer.h: an answer to a duplicate) go out after that rest. */
static int send_window(struct transfer *t, const struct xfer_window *blocks)
{
	struct xfer_window w = *blocks;

	if (t->unsent.count > 0 && t->unsent.first + t->unsent.count == w.first &&
	    t->unsent.count + w.count <= t->xs.window)
		w = (struct xfer_window){ t->unsent.first, t->unsent.count + w.count };
	if (t->xs.size == XFER_SIZE_UNKNOWN && bound_window(t, &w) != 0)
		return -1;
	int sent = wire_send_window(&t->wp, &t->xs, &t->src, &w);

	if (sent < 0)
		return -1;
	t->unsent = (struct xfer_window){ w.first + (unsigned)sent, w.count - (unsigned)sent };
	int events = UV_READABLE | (t->unsent.count ? UV_WRITABLE : 0);
	if (events != t->poll_events) {   /* uv_poll_start costs epoll_ctl calls */
		t->poll_events = events;
		uv_poll_start(&t->poll, events, on_transfer_event);
	}
	return 0;
}

static int send_oack(struct transfer *t)
{
	return wire_send_oack(&t->wp, &t->params);
}

static void on_timer(uv_timer_t *timer);

/* For round-trip times: uv_now() counts milliseconds, a LAN's are shorter. */
static uint64_t now_us(void)
{
	return uv_hrtime() / 1000;
}

static void arm_timer(struct transfer *t)
{
	uint64_t ms = (t->ops->timeout_us(t) + 999) / 1000;

	uv_timer_start(&t->timer, on_timer, ms ? ms : 1, 0);
}

static void finish(struct transfer *t)
{
	struct xfer_report r = transfer_report(t);

	report_done(&r);
	transfer_end(t);
}

static void act(struct transfer *t, enum xfer_action a, const struct xfer_window *w)
{
	switch (a) {
	case XFER_IGNORE:
		return;
	case XFER_DONE:
		finish(t);
		return;
	case XFER_GIVE_UP:
		transfer_fail(t, "timeout");
		return;
	case XFER_SEND_OACK:
		if (send_oack(t) != 0)
			goto send_failed;
		break;
	case XFER_SEND_DATA:
		if (send_window(t, w) != 0) {
			int err = errno;
			transfer_send_error(t, TFTP_EUNDEF, "Read error");
			errno = err;
			goto send_failed;
		}
		break;
	}
	arm_timer(t);
	return;
send_failed:   /* ESTALE: files_read found the file written since it was opened */
	transfer_fail(t, errno == ESTALE ? "the file changed while it was sent" : strerror(errno ? errno : EIO));
}

static void on_timer(uv_timer_t *timer)
{
	struct transfer *t = timer->data;

	t->ops->on_timeout(t);
}

/* ---- receiving on the transfer's port ---- */

static void maybe_progress(struct transfer *t)
{
	uint64_t now = uv_now(t->loop);

	if (now - t->progress_ms < PROGRESS_MS)
		return;
	t->progress_ms = now;
	struct xfer_report r = transfer_report(t);
	report_progress(&r);
}

/* ---- moving a transfer to its client's CPU ---- */

/* A transfer's handles belong to one loop: they are closed here, and
 * opened again on the worker's loop when it takes the transfer from its
 * inbox (transfer_moved, loop_adopt). Also for a lone client: left on
 * the main loop or sent to the other CPU, it measured no faster and more
 * CPU per GB (bench/README.md, TFTP, 2026-11-26). */
static void maybe_steer(struct transfer *t)
{
	uint64_t now = uv_now(t->loop);

	if (t->srv->pool.n_loops == 0 || ++t->steer_replies < STEER_REPLIES ||
	    now - t->steer_ms < STEER_MS)
		return;
	t->steer_ms = now;
	t->steer_replies = 0;
	struct cpuloop *l = cpuloop_of_cpu(&t->srv->pool, wire_client_cpu(&t->wp));
	if (!l || &l->loop == t->loop)
		return;
	uv_mutex_lock(&t->srv->lock);
	t->moving_to = l;
	uv_mutex_unlock(&t->srv->lock);
	transfer_close_handles(t);
}

/* Its handles are closed: into the loop's inbox, or, when the loops have
 * stopped (shutdown), to its end. */
static void transfer_moved(struct transfer *t)
{
	if (cpuloop_hand(t->moving_to, &t->moving))
		return;
	struct xfer_report r = transfer_report(t);
	report_fail(&r, "server shutting down");
	transfer_unlist(t);
	transfer_free(t);
}

static void client_error(struct transfer *t, const struct tftp_reply *rep)
{
	char msg[128], reason[192];

	log_escape(msg, sizeof msg, rep->data, rep->data_len);
	if (rep->errcode == TFTP_EOPTNEG)
		snprintf(reason, sizeof reason, "client declined the options (error 8: %s)", msg);
	else
		snprintf(reason, sizeof reason, "client error %u: %s", rep->errcode, msg);
	transfer_fail(t, reason);
}

static void on_reply(struct transfer *t, const uint8_t *pkt, size_t len)
{
	struct tftp_reply rep;

	if (!tftp_parse_reply(pkt, len, &rep) || (rep.op != t->ops->expects && rep.op != TFTP_ERROR)) {
		bad_packet(t->srv, t->peer, "unexpected packet on a transfer port");
		return;
	}
	if (rep.op == TFTP_ERROR) {
		client_error(t, &rep);
		return;
	}
	t->ops->on_packet(t, &rep);
	if (t->ending)
		return;
	maybe_progress(t);
	maybe_steer(t);
}

/* RFC 1350: a packet from another address or port than the client's gets
 * ERROR 5 and leaves the transfer alone. */
static void on_stranger_event(uv_poll_t *poll, int status, int events)
{
	struct transfer *t = poll->data;
	struct wire_peer from;
	char who[INET6_ADDRSTRLEN + 8];

	if (wire_recv_stranger(&t->wp, rx, sizeof rx, &from) < 0)
		return;
	sock_addr_str((const struct sockaddr *)&from.sa, 1, who, sizeof who);
	if (wire_send_error(&from, TFTP_EBADID, "Unknown transfer ID") != 0)
		log_debug("error to %s not sent: %s", who, strerror(errno));
	bad_packet(t->srv, who, "unknown transfer ID");
}

static void on_transfer_event(uv_poll_t *poll, int status, int events)
{
	struct transfer *t = poll->data;

	if ((events & UV_WRITABLE) && t->unsent.count > 0) {
		struct xfer_window w = t->unsent;
		if (send_window(t, &w) != 0) {
			transfer_fail(t, strerror(errno));
			return;
		}
	}
	if (!(events & UV_READABLE))
		return;
	/* One datagram per event: the poll is level-triggered, and a client
	 * sends one ACK per window, so a second recv would mostly say EAGAIN. */
	ssize_t n = wire_recv(&t->wp, rx, sizeof rx);
	if (n >= 0)
		on_reply(t, rx, (size_t)n);
	else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		transfer_fail(t, strerror(errno));
}

/* ---- new requests ---- */

static bool transfer_exists(struct tftpd_server *srv, const struct sock_pktinfo *pi)
{
	bool found = false;

	uv_mutex_lock(&srv->lock);
	for (const struct transfer *t = srv->transfers; t && !found; t = t->next)
		found = wire_same_addr(&t->wp.sa, &pi->peer);
	uv_mutex_unlock(&srv->lock);
	return found;
}

/* ---- RRQ and WRQ specifics ---- */

static void read_on_packet(struct transfer *t, const struct tftp_reply *rep)
{
	struct xfer_window w;

	act(t, xfer_on_ack(&t->xs, rep->block, now_us(), &w), &w);
}

static void read_on_timeout(struct transfer *t)
{
	struct xfer_window w;

	act(t, xfer_on_timeout(&t->xs, &w), &w);
}

static uint64_t read_bytes(const struct transfer *t) { return xfer_bytes_acked(&t->xs); }
static uint64_t read_retransmits(const struct transfer *t) { return t->xs.resent_blocks; }
static uint64_t read_timeout_us(const struct transfer *t) { return xfer_timeout_us(&t->xs); }

static const struct transfer_ops read_ops = {
	TFTP_ACK, read_on_packet, read_on_timeout, read_bytes, read_retransmits, read_timeout_us,
};

static int send_ack(struct transfer *t)
{
	return wire_send_ack(&t->wp, (uint16_t)t->xr.received);
}

static void write_on_packet(struct transfer *t, const struct tftp_reply *rep)
{
	if (rep->data_len > t->params.blksize) {
		bad_packet(t->srv, t->peer, "DATA larger than the block size");
		return;
	}
	struct recv_step step = xrecv_on_data(&t->xr, rep->block, rep->data_len);

	if (step.store && wire_store(t->wfd, t->netascii, &t->ascii_cr, t->window_buf, rep->data,
					 rep->data_len) != 0) {
		transfer_send_error(t, TFTP_ENOSPACE, "Disk full or allocation exceeded");
		transfer_fail(t, strerror(errno ? errno : EIO));
		return;
	}
	if (step.send_ack && send_ack(t) != 0) {
		transfer_fail(t, strerror(errno));
		return;
	}
	if (step.done) {
		/* Done, but stay one timeout longer: if our last ACK is lost the
		 * client sends the last block again and gets it re-acknowledged. */
		struct xfer_report r = transfer_report(t);
		report_done(&r);
		close(t->wfd);
		t->wfd = -1;
	}
	if (step.store)
		arm_timer(t);
}

static void write_on_timeout(struct transfer *t)
{
	int rc = 0;

	switch (xrecv_on_timeout(&t->xr)) {
	case RECV_GIVE_UP:
		if (t->xr.done)
			transfer_end(t);    /* reported when the last block came */
		else
			transfer_fail(t, "timeout");
		return;
	case RECV_DALLY:
		break;
	case RECV_RESEND_OACK:
		rc = send_oack(t);
		break;
	case RECV_RESEND_ACK:
		rc = send_ack(t);
		break;
	}
	if (rc == 0)
		arm_timer(t);
	else
		transfer_fail(t, strerror(errno));
}

static uint64_t write_bytes(const struct transfer *t) { return xrecv_bytes(&t->xr); }
static uint64_t write_retransmits(const struct transfer *t) { return t->xr.dup_blocks; }
/* The client sends: our ACK is resent on the configured timeout, backed off. */
static uint64_t write_timeout_us(const struct transfer *t)
{
	return rto_backoff_us(t->params.timeout_us, t->params.timeout_us, t->xr.retries);
}

static const struct transfer_ops write_ops = {
	TFTP_DATA, write_on_packet, write_on_timeout, write_bytes, write_retransmits, write_timeout_us,
};

/* ---- new requests ---- */

struct request_ctx {
	struct tftpd_listener *l;
	const struct sock_pktinfo *pi;
	const struct tftp_request *req;
	char peer[INET6_ADDRSTRLEN + 8];
	const char *name;                  /* as requested */
	char mapped[REMAP_OUT_MAX];
	int root;                          /* the served directory it names, or -1 */
};

static void refuse(const struct request_ctx *rc, enum tftp_errcode code, const char *msg)
{
	wire_reply_error(rc->l->fd, rc->pi, code, msg);
	report_refused(rc->peer, rc->name, msg);
	idle_arm(rc->l->srv);
}

/* From the request's name to a path inside a served directory. */
static const char *resolve_name(struct request_ctx *rc)
{
	const struct tftpd_server *srv = rc->l->srv;
	const struct tftpd_conf *c = srv->conf;
	struct remap_client client;
	const char *rel;

	remap_client_set(&client, (const struct sockaddr *)&rc->pi->peer);
	if (remap_apply(srv->remap, rc->req->filename, rc->req->op == TFTP_WRQ, &client,
			rc->mapped, sizeof rc->mapped) != REMAP_OK) {
		refuse(rc, TFTP_EACCESS, "Access denied");    /* in.tftpd's words */
		return NULL;
	}
	rc->root = -1;
	enum path_verdict v = c->secure ? path_resolve_in_root(rc->mapped, &rel)
					: path_resolve(rc->mapped, c->dirs, c->n_dirs, &rel, &rc->root);
	if (v != PATH_OK) {
		refuse(rc, TFTP_EACCESS, path_verdict_str(v));
		return NULL;
	}
	return rel;
}

static struct transfer *transfer_new(struct tftpd_server *srv, const struct request_ctx *rc,
				     const struct transfer_ops *ops)
{
	struct transfer *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->ops = ops;
	t->srv = srv;
	t->loop = srv->loop;
	t->wp = (struct wire_peer){ -1, -1, rc->pi->peer, rc->pi->peer_len, false };
	t->wfd = -1;
	t->netascii = rc->req->mode == TFTP_MODE_NETASCII;
	memcpy(t->peer, rc->peer, sizeof t->peer);
	snprintf(t->name, sizeof t->name, "%s", rc->name);
	t->start_ms = t->progress_ms = uv_now(srv->loop);
	t->steer_ms = t->start_ms - STEER_MS;    /* the first reply looks */
	t->steer_replies = STEER_REPLIES - 1;
	return t;
}

/* Negotiation, sockets, handles and buffers; on failure t is freed (now
 * or once its handles are closed). */
static int transfer_setup(struct transfer *t, const struct request_ctx *rc, uint64_t size)
{
	struct tftpd_server *srv = t->srv;
	struct tftp_policy pol = srv->policy;

	pol.mtu_blksize = wire_mtu_blksize(rc->pi);
	tftp_negotiate(rc->req, &pol, size, &t->params);
	size_t window_bytes = (size_t)t->params.windowsize * t->params.blksize;
	t->window_cap = window_bytes > SOURCE_READAHEAD ? window_bytes : SOURCE_READAHEAD;
	t->window_buf = malloc(t->window_cap + 1);
	if (t->window_buf)
		t->wp.fd = wire_transfer_socket(rc->pi, srv->conf->port_lo, srv->conf->port_hi,
						window_bytes, &t->wp.stranger_fd);
	if (t->wp.fd < 0) {
		transfer_free(t);
		return -1;
	}
	t->poll_events = UV_READABLE;
	if (transfer_watch(t, srv->loop) != 0)
		return -1;
	uv_mutex_lock(&srv->lock);
	t->next = srv->transfers;
	srv->transfers = t;
	srv->n_transfers++;
	uv_mutex_unlock(&srv->lock);
	uv_timer_stop(&srv->idle_timer);
	return 0;
}

static void start_read(struct request_ctx *rc, const char *rel)
{
	struct tftpd_server *srv = rc->l->srv;
	struct xfer_window w;
	uint64_t size;
	enum tftp_errcode code;
	const char *msg;
	struct tftpd_file *file;

	uv_mutex_lock(&srv->lock);
	int failed = files_open_read(&srv->files, rc->root, rel, &file, &size, &code, &msg);
	uv_mutex_unlock(&srv->lock);
	if (failed) {
		refuse(rc, code, msg);
		return;
	}
	struct transfer *t = transfer_new(srv, rc, &read_ops);
	if (!t) {
		release_file(srv, file);
		refuse(rc, TFTP_EUNDEF, "Out of memory");
		return;
	}
	t->file = file;
	if (transfer_setup(t, rc, size) != 0) {
		refuse(rc, TFTP_EUNDEF, "Out of resources");
		return;
	}
	if (source_init(&t->src, file, t->netascii, t->window_buf, t->window_cap, size) != 0) {
		transfer_send_error(t, TFTP_EUNDEF, "Read error");
		transfer_fail(t, strerror(errno ? errno : EIO));
		return;
	}
	/* netascii's converted size is learnt at the end (send_window) */
	xfer_init(&t->xs, t->netascii ? XFER_SIZE_UNKNOWN : size, t->params.blksize,
		  t->params.windowsize, t->params.timeout_us, TFTPD_MAX_RETRIES);
	act(t, xfer_start(&t->xs, t->params.n_oack > 0, now_us(), &w), &w);
}

static void start_write(struct request_ctx *rc, const char *rel)
{
	struct tftpd_server *srv = rc->l->srv;
	enum tftp_errcode code;
	const char *msg;
	int wfd = files_open_write(&srv->files, rc->root, rel, &code, &msg);

	if (wfd < 0) {
		refuse(rc, code, msg);
		return;
	}
	struct transfer *t = transfer_new(srv, rc, &write_ops);
	if (!t || (t->wfd = wfd, transfer_setup(t, rc, 0)) != 0) {
		if (!t)
			close(wfd);
		refuse(rc, TFTP_EUNDEF, "Out of resources");
		return;
	}
	xrecv_init(&t->xr, t->params.blksize, t->params.windowsize, TFTPD_MAX_RETRIES,
		   t->params.n_oack > 0);
	if ((t->params.n_oack > 0 ? send_oack(t) : send_ack(t)) != 0) {
		transfer_fail(t, strerror(errno));
		return;
	}
	arm_timer(t);
}

static void on_request(struct tftpd_listener *l, const uint8_t *pkt, size_t len,
		       const struct sock_pktinfo *pi)
{
	struct tftp_request req;
	struct request_ctx rc = { .l = l, .pi = pi, .req = &req };
	char opts[512];
	const char *rel;
	enum tftp_parse_status st = tftp_parse_request(pkt, len, &req);

	sock_addr_str((const struct sockaddr *)&pi->peer, 0, rc.peer, sizeof rc.peer);
	if (st == TFTP_PARSE_SHORT || st == TFTP_PARSE_BADOP) {
		bad_packet(l->srv, rc.peer, tftp_parse_status_str(st));
		return;
	}
	if (transfer_exists(l->srv, pi))
		return;     /* a retried request: the running transfer answers it */
	rc.name = req.filename;
	tftp_options_str(&req, opts, sizeof opts);
	report_request(req.op == TFTP_RRQ ? "RRQ" : "WRQ", rc.peer, rc.name, opts);
	if (st != TFTP_PARSE_OK)
		refuse(&rc, tftp_parse_refusal_code(st), tftp_parse_status_str(st));
	else if (!tftp_options_valid(&req, &l->srv->policy))   /* before a WRQ truncates */
		refuse(&rc, TFTP_EOPTNEG, "Unsupported option(s) requested");
	else if ((rel = resolve_name(&rc)) != NULL)
		(req.op == TFTP_WRQ ? start_write : start_read)(&rc, rel);
}

static void on_listener_readable(uv_poll_t *poll, int status, int events)
{
	struct tftpd_listener *l = poll->data;
	struct sock_pktinfo pi;

	for (int i = 0; i < RECV_BURST; i++) {
		ssize_t n = sock_recv(l->fd, rx, sizeof rx, &pi);
		if (n < 0 && errno == EMSGSIZE) {
			bad_packet(l->srv, "?", "oversized datagram");
			continue;
		}
		if (n < 0)
			return;
		on_request(l, rx, (size_t)n, &pi);
	}
}

/* ---- ending every transfer of a loop ---- */

/* A transfer whose handles are on loop (one moving away has none). */
static struct transfer *first_on(struct tftpd_server *srv, const uv_loop_t *loop)
{
	struct transfer *t;

	uv_mutex_lock(&srv->lock);
	for (t = srv->transfers; t && (t->loop != loop || t->moving_to); t = t->next)
		;
	uv_mutex_unlock(&srv->lock);
	return t;
}

static void close_transfers(struct tftpd_server *srv, const uv_loop_t *loop)
{
	struct transfer *t;

	while ((t = first_on(srv, loop)) != NULL)
		transfer_fail(t, "server shutting down");
}

/* ---- loop threads ---- */

/* Its handles on l's loop, as they were on the last one. */
static void loop_adopt(struct cpuloop *l, struct transfer *t)
{
	uv_mutex_lock(&t->srv->lock);
	t->loop = &l->loop;
	t->moving_to = NULL;
	uv_mutex_unlock(&t->srv->lock);
	if (transfer_watch(t, &l->loop) == 0) {
		arm_timer(t);
		return;
	}
	struct xfer_report r = transfer_report(t);
	report_fail(&r, "cannot watch its sockets");
	transfer_unlist(t);
}

static void loop_take(struct cpuloop *l, struct cpuloop_item *items, bool stop)
{
	while (items) {
		struct transfer *t = CPULOOP_OWNER(items, struct transfer, moving);
		items = items->next;
		loop_adopt(l, t);
	}
	if (stop)
		close_transfers(l->pool->data, &l->loop);
}

/* ---- shutdown, signals, start ---- */

static void shutdown_server(struct tftpd_server *srv)
{
	cpuloop_pool_stop(&srv->pool);
	close_transfers(srv, srv->loop);
	for (unsigned i = 0; i < srv->n_listeners; i++)
		uv_close((uv_handle_t *)&srv->listeners[i].poll, NULL);
	for (unsigned i = 0; i < sizeof srv->signals / sizeof srv->signals[0]; i++)
		uv_close((uv_handle_t *)&srv->signals[i], NULL);
	uv_close((uv_handle_t *)&srv->idle_timer, NULL);
	uv_close((uv_handle_t *)&srv->linger_timer, NULL);
	uv_close((uv_handle_t *)&srv->idle_wake, NULL);
}

static bool request_waiting(const struct tftpd_server *srv)
{
	char byte;

	for (unsigned i = 0; i < srv->n_listeners; i++)
		if (recv(srv->listeners[i].fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) >= 0)
			return true;
	return false;
}

/* A request already waiting is served first: with -t 0 the timer fires
 * before the loop has read the one inetd started us for, and exiting
 * then would have the superserver start us again for it, in a loop. */
static void on_idle(uv_timer_t *timer)
{
	struct tftpd_server *srv = timer->data;

	if (request_waiting(srv)) {
		uv_timer_start(timer, on_idle, 1, 0);   /* 0 would run it again at once */
		return;
	}
	log_info("idle for %u s, exiting", srv->conf->idle_secs);
	shutdown_server(srv);
}

static void reload_remap(struct tftpd_server *srv)
{
	char err[256];
	struct remap *rm;

	if (!srv->conf->remap_file || !srv->conf->listen)
		return;
	rm = srv->remap_fd >= 0 ? mapfile_read(srv->remap_fd, srv->conf->remap_file, err, sizeof err)
				: mapfile_load(srv->conf->remap_file, err, sizeof err);
	if (!rm) {
		log_err("SIGHUP: keeping the old remap rules: %s", err);
		return;
	}
	remap_free(srv->remap);
	srv->remap = rm;
	log_notice("SIGHUP: %zu remap rules loaded", remap_count(rm));
}

static void on_signal(uv_signal_t *sig, int signum)
{
	struct tftpd_server *srv = sig->data;

	if (signum == SIGHUP) {
		reload_remap(srv);
		return;
	}
	log_notice("signal %d, exiting", signum);
	shutdown_server(srv);
}

int tftpd_io_start(struct tftpd_server *srv, uv_loop_t *loop)
{
	static const int signums[] = { SIGTERM, SIGINT, SIGHUP };

	/* Window buffers (>= SOURCE_READAHEAD) mapped and unmapped with their
	 * transfer. glibc's sliding threshold put them in the heap, where
	 * chunks that outlive them (such as libuv's fd-indexed watcher array,
	 * regrown as 40 transfers' sockets take fds past 62) kept it from
	 * shrinking: ~4 MB stayed resident after the run. */
	mallopt(M_MMAP_THRESHOLD, SOURCE_READAHEAD);
	srv->loop = loop;
	srv->bad_log = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000, 10);
	if (uv_mutex_init(&srv->lock) != 0)
		return -1;
	uv_timer_init(loop, &srv->idle_timer);
	srv->idle_timer.data = srv;
	uv_timer_init(loop, &srv->linger_timer);
	srv->linger_timer.data = srv;
	uv_async_init(loop, &srv->idle_wake, on_idle_wake);
	srv->idle_wake.data = srv;
	for (unsigned i = 0; i < sizeof signums / sizeof signums[0]; i++) {
		uv_signal_init(loop, &srv->signals[i]);
		srv->signals[i].data = srv;
		uv_signal_start(&srv->signals[i], on_signal, signums[i]);
	}
	for (unsigned i = 0; i < srv->n_listeners; i++) {
		struct tftpd_listener *l = &srv->listeners[i];
		l->srv = srv;
		l->poll.data = l;
		if (uv_poll_init(loop, &l->poll, l->fd) != 0)
			return -1;
		uv_poll_start(&l->poll, UV_READABLE, on_listener_readable);
	}
	idle_arm(srv);
	srv->pool = (struct cpuloop_pool){ .lock = &srv->lock, .take = loop_take, .data = srv };
	return cpuloop_pool_start(&srv->pool, "tftpd-loop");
}

void tftpd_io_run(struct tftpd_server *srv)
{
	uv_run(srv->loop, UV_RUN_DEFAULT);
	cpuloop_pool_join(&srv->pool);
	files_expire(&srv->files, UINT64_MAX);
	uv_mutex_destroy(&srv->lock);
}
