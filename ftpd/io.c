/* All socket I/O of pxe-ftpd.
 *
 * With two or more CPUs the main loop only accepts: each control
 * connection is handed to the loop thread of the CPU its packets arrive
 * on (common/cpuloop.h), and its whole session (control, passive listener,
 * data connection, timers) lives on that loop. Measured with 40 clients of
 * a 256 MB file: one loop for all cost 1.5x the server CPU per GB, the
 * kernel handing every freed segment back to our one CPU. The list of
 * sessions and the limits it counts are shared, under server.lock.
 *
 * Control connections are uv_tcp_t. Data connections are raw non-blocking
 * fds under a uv_poll_t, so RETR can sendfile(2) straight from the file to
 * the socket whenever it is writable. Each handle is freed in its close
 * callback; a connection is freed when its last handle has closed. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "ascii.h"
#include "cpuloop.h"
#include "dataaddr.h"
#include "event.h"
#include "log.h"
#include "sock.h"

#define CTRL_IN_MAX 4096
#define SEND_CHUNK (4 * 1024 * 1024)   /* per sendfile call */
#define SEND_ROUNDS 4                   /* calls per wake-up, then others' turn */
#define ASCII_CHUNK (32 * 1024)
#define CHANGE_LOOK_BYTES (1024 * 1024)   /* a file changing under a RETR is seen within */
#define CORK_MAX (256 * 1024)            /* files sent corked, with their FIN */
#define LISTEN_BACKLOG 4096
#define PASV_BACKLOG 4
#define LISTEN_DRAIN_MAX 8   /* stale connections closed per PASV */
#define KERNEL_EPHEMERAL_MIN 32768   /* Linux's default ip_local_port_range start */
#define REPLY_QUEUE_MAX (64 * 1024)   /* a client that never reads stops being served */

struct server;

/* A data-connection endpoint: a passive listener or a data socket. The
 * poll handle is set up only when the endpoint has to wait: a small file
 * whose connection is waiting at RETR is sent and closed without it. */
struct data_fd {
	uv_poll_t poll;
	bool polled;
	int events;   /* what poll waits for while active */
	int fd;
	struct conn *conn;
};

struct conn {
	struct server *srv;
	uv_loop_t *loop;           /* where its handles are */
	struct conn *prev, *next;  /* srv->conns */
	struct cpuloop_item handed;   /* in a loop thread's inbox, with: */
	int handed_fd;             /* the accepted socket */
	uv_tcp_t ctrl;
	uv_timer_t idle_timer;     /* idle_session_timeout */
	uv_timer_t data_timer;     /* accept, connect and data timeouts */
	uv_timer_t pace_timer;     /* anon_max_rate */
	struct data_fd *pasv;      /* passive listener, kept for the session's next PASV */
	struct sockaddr_storage pasv_bound;   /* its address */
	bool pasv_taken;           /* a transfer took the connection its last PASV announced */
	struct data_fd *data;      /* the data connection of a transfer */
	unsigned open_handles;
	bool closing, reading, counted;
	struct cmd_reader reader;
	uint8_t in[CTRL_IN_MAX];
	size_t in_len;
	struct cmd_line pending;   /* parsed, waiting for a transfer to end */
	bool has_pending;
	struct strbuf sendq;       /* converted bytes not yet written */
	size_t list_off;
	bool prev_cr;
	struct session sess;
};

struct server {
	uv_loop_t loop;
	const struct io_config *cfg;
	uv_tcp_t listeners[4];
	size_t n_listeners;
	uv_signal_t sig_term, sig_int;
	uv_mutex_t lock;
	struct cpuloop_pool pool;  /* no loops: the main loop serves the sessions */
	unsigned next_loop;        /* for a socket that names no CPU */
	/* Under lock: */
	struct conn *conns;
	unsigned n_conns;
	struct log_ratelimit refused_rl;
};

static void conn_close(struct conn *c);
static void conn_unlink(struct conn *c);
static void process_input(struct conn *c);
static void data_send(struct conn *c, bool from_command);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_ctrl_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* ---- handle bookkeeping ---- */

static void on_conn_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;
	if (--c->open_handles > 0)
		return;
	session_free(&c->sess);
	strbuf_free(&c->sendq);
	free(c);
}

static void on_data_fd_closed(uv_handle_t *h)
{
	free(h->data);
}

static void data_fd_unwait(struct data_fd *d)
{
	if (d && d->polled)
		uv_poll_stop(&d->poll);
}

/* The fd is closed at once, so the peer sees the data end before the 226
 * that follows; but after uv_close, which takes it out of epoll: once
 * closed, its number may be reopened by another loop thread at any time. */
static void data_fd_close(struct data_fd **slot)
{
	struct data_fd *d = *slot;
	if (!d)
		return;
	*slot = NULL;
	int fd = d->fd;
	if (d->polled)
		uv_close((uv_handle_t *)&d->poll, on_data_fd_closed);
	else
		free(d);
	close(fd);
}

static struct data_fd *data_fd_new(struct conn *c, int fd)
{
	struct data_fd *d = calloc(1, sizeof *d);
	if (!d) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->conn = c;
	return d;
}

static void set_cork(int fd, int on)
{
	(void)!setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
}

/* Whether the transfer is sent corked: a listing or a small file leaves
 * with its FIN in one segment (one wake-up of the client, not two) when
 * close() sends what is held. A large file gains nothing from it, and a
 * paced one must flow. */
static bool wants_cork(const struct conn *c)
{
	const struct xfer *x = &c->sess.xfer;
	return c->srv->cfg->conf->anon_max_rate == 0 &&
	       (x->kind != XFER_RETR || x->end - x->offset <= CORK_MAX);
}

/* The data connection of the transfer. corked: the fd's cork state now
 * (accepted ones inherit the passive listener's, which is corked so that
 * the usual small file costs no setsockopt). */
static struct data_fd *data_open(struct conn *c, int fd, bool corked)
{
	bool want = wants_cork(c);
	if (want != corked)
		set_cork(fd, want);
	return data_fd_new(c, fd);
}

/* Waits for events on d. Returns 0, or -1 if the fd cannot be polled.
 * A wait already armed for the same events and callback is left as it is
 * (a big file refilling its socket at each wake-up): uv_poll_start would
 * take the fd out of epoll and put it back, two epoll_ctl per wake-up. */
static int data_fd_wait(struct data_fd *d, int events, uv_poll_cb ready)
{
	if (!d->polled) {
		if (uv_poll_init(d->conn->loop, &d->poll, d->fd) != 0)
			return -1;
		d->polled = true;
		d->poll.data = d;
	} else if (uv_is_active((uv_handle_t *)&d->poll) && d->events == events &&
		   d->poll.poll_cb == ready) {
		return 0;
	}
	d->events = events;
	return uv_poll_start(&d->poll, events, ready) == 0 ? 0 : -1;
}

/* ---- replies ---- */

static void on_reply_written(uv_write_t *req, int status)
{
	struct conn *c = req->handle->data;
	free(req);
	if (status == 0 && c->has_pending && !c->sess.busy)
		process_input(c);   /* resumes commands held back by the queue */
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct conn *c = req->data;
	free(req);
	conn_close(c);
}

static void flush_replies(struct conn *c)
{
	struct strbuf *out = &c->sess.out;
	if (out->len > 0 && !c->closing) {
		/* mostly the kernel takes it all at once; the rest is queued */
		uv_buf_t all = uv_buf_init(out->data, (unsigned)out->len);
		int sent = uv_try_write((uv_stream_t *)&c->ctrl, &all, 1);
		size_t left = out->len - (sent > 0 ? (size_t)sent : 0);
		uv_write_t *req = left ? malloc(sizeof *req + left) : NULL;
		if (req) {
			char *copy = (char *)(req + 1);
			memcpy(copy, out->data + (out->len - left), left);
			uv_buf_t buf = uv_buf_init(copy, (unsigned)left);
			if (uv_write(req, (uv_stream_t *)&c->ctrl, &buf, 1, on_reply_written) != 0)
				free(req);
		}
	}
	out->len = 0;
	if (c->sess.quit && !c->closing) {
		c->closing = true;   /* no more commands; close once replies are out */
		conn_unlink(c);      /* and no longer counted against the limits */
		uv_shutdown_t *req = malloc(sizeof *req);
		if (req)
			req->data = c;
		if (!req || uv_shutdown(req, (uv_stream_t *)&c->ctrl, on_shutdown) != 0) {
			free(req);
			conn_close(c);
		}
	}
}

/* ---- timers ---- */

static void on_idle_timeout(uv_timer_t *t)
{
	struct conn *c = t->data;
	session_timeout(&c->sess);
	flush_replies(c);
}

static void idle_timer_restart(struct conn *c)
{
	uint64_t secs = c->srv->cfg->conf->idle_session_timeout;
	uv_timer_stop(&c->idle_timer);
	if (secs > 0 && !c->sess.busy)
		uv_timer_start(&c->idle_timer, on_idle_timeout, secs * 1000, 0);
}

/* ---- transfers ---- */

static void xfer_finish(struct conn *c, enum xfer_status status)
{
	uv_timer_stop(&c->data_timer);
	uv_timer_stop(&c->pace_timer);
	data_fd_close(&c->data);
	data_fd_unwait(c->pasv);
	c->sendq.len = 0;
	c->list_off = 0;
	c->prev_cr = false;
	session_xfer_done(&c->sess, status);
	flush_replies(c);
	idle_timer_restart(c);
}

/* data_connection_timeout: the connection stalled. */
static void on_data_timeout(uv_timer_t *t)
{
	struct conn *c = t->data;
	xfer_finish(c, XFER_NET_ERROR);
	process_input(c);
}

/* accept_timeout / connect_timeout: there never was a connection. */
static void on_no_connection(uv_timer_t *t)
{
	struct conn *c = t->data;
	xfer_finish(c, XFER_NO_CONNECTION);
	process_input(c);
}

static void timer_restart(struct conn *c, unsigned long secs, uv_timer_cb fired)
{
	uv_timer_stop(&c->data_timer);
	if (secs > 0)
		uv_timer_start(&c->data_timer, fired, secs * 1000, 0);
}

static void data_timer_restart(struct conn *c, unsigned long secs)
{
	timer_restart(c, secs, on_data_timeout);
}

static void xfer_end(struct conn *c, enum xfer_status status)
{
	xfer_finish(c, status);
	process_input(c);
}

/* Bytes the rate limit allows now (anon_max_rate bytes/s); 0 means wait. */
static size_t rate_budget(struct conn *c, size_t want)
{
	uint64_t rate = c->srv->cfg->conf->anon_max_rate;
	if (rate == 0)
		return want;
	uint64_t elapsed = (log_now_us() - c->sess.xfer.start_us) / 1000;
	uint64_t allowed = rate * elapsed / 1000 + rate / 10;
	uint64_t sent = c->sess.xfer.bytes;
	if (allowed <= sent)
		return 0;
	return allowed - sent < want ? (size_t)(allowed - sent) : want;
}

static void on_pace(uv_timer_t *t)
{
	data_send(t->data, false);
}

static void on_data_writable(uv_poll_t *p, int status, int events)
{
	struct data_fd *d = p->data;
	if (status < 0) {
		xfer_end(d->conn, XFER_NET_ERROR);
		return;
	}
	data_send(d->conn, false);
}

/* After a read that took x->offset on from before: false when a look
 * finds the file no longer as RETR opened it. cp over it truncates and
 * rewrites the same inode, so bytes read after that would be the new
 * file's, sent as if the old one's. A write changes the size or mtime,
 * mtime before it copies its bytes, so a look after the last read finds
 * any write that a read could have seen; a look once a MiB on the way
 * stops a changed file early. (A look after every 32 KiB read cost 6 %
 * more CPU.) */
static bool no_change_seen(const struct xfer *x, uint64_t before)
{
	struct stat st;
	if (x->offset < x->end && before / CHANGE_LOOK_BYTES == x->offset / CHANGE_LOOK_BYTES)
		return true;
	return fstat(x->fd, &st) == 0 && (uint64_t)st.st_size == x->end &&
	       st.st_mtim.tv_sec == x->mtime.tv_sec && st.st_mtim.tv_nsec == x->mtime.tv_nsec;
}

/* Refills sendq from the file (TYPE A: LF -> CRLF), which has bytes left
 * to send. Returns bytes added, or -1 on a read error or when the file
 * shrank or changed under us. */
static ssize_t fill_from_file(struct conn *c)
{
	struct xfer *x = &c->sess.xfer;
	char raw[ASCII_CHUNK], cooked[2 * ASCII_CHUNK];
	uint64_t left = x->end - x->offset;
	ssize_t n = pread(x->fd, raw, left < sizeof raw ? (size_t)left : sizeof raw,
			  (off_t)x->offset);
	if (n <= 0)
		return -1;
	x->offset += (uint64_t)n;
	if (!no_change_seen(x, x->offset - (uint64_t)n))
		return -1;
	size_t len = x->ascii ? ascii_to_crlf(raw, (size_t)n, cooked, &c->prev_cr) : (size_t)n;
	strbuf_append(&c->sendq, x->ascii ? cooked : raw, len);
	return c->sendq.oom ? -1 : (ssize_t)len;
}

/* The next bytes to write: the listing, or sendq refilled from the file.
 * Returns their length, 0 when all is sent, -1 on a file error. */
static ssize_t next_chunk(struct conn *c, const char **data)
{
	struct xfer *x = &c->sess.xfer;
	if (x->kind == XFER_LIST) {
		*data = x->listing.data + c->list_off;
		return (ssize_t)(x->listing.len - c->list_off);
	}
	if (c->sendq.len == 0 && x->offset < x->end && fill_from_file(c) < 0)
		return -1;
	*data = c->sendq.data;
	return (ssize_t)c->sendq.len;
}

static void consume(struct conn *c, size_t n)
{
	c->sess.xfer.bytes += n;
	if (c->sess.xfer.kind == XFER_LIST)
		c->list_off += n;
	else
		strbuf_consume(&c->sendq, n);
}

static bool sendfile_mode(const struct conn *c)
{
	const struct xfer *x = &c->sess.xfer;
	return x->kind == XFER_RETR && !x->ascii && c->srv->cfg->conf->use_sendfile;
}

/* One write step of at most budget bytes (*asked: how many it tried).
 * Returns bytes moved, 0 when finished, -1 with errno. */
static ssize_t send_step(struct conn *c, size_t budget, size_t *asked)
{
	struct xfer *x = &c->sess.xfer;
	if (sendfile_mode(c)) {
		uint64_t left = x->end - x->offset;
		if (left == 0)
			return 0;
		off_t off = (off_t)x->offset;
		*asked = left < budget ? (size_t)left : budget;
		ssize_t n = sendfile(c->data->fd, x->fd, &off, *asked);
		if (n == 0)
			return errno = EIO, -1;   /* the file shrank under us */
		if (n > 0) {
			x->offset = (uint64_t)off;
			x->bytes += (uint64_t)n;
			if (!no_change_seen(x, x->offset - (uint64_t)n))
				return errno = EIO, -1;
		}
		return n;
	}
	const char *data;
	ssize_t avail = next_chunk(c, &data);
	if (avail <= 0)
		return avail < 0 ? (errno = EIO, -1) : 0;
	*asked = (size_t)avail < budget ? (size_t)avail : budget;
	ssize_t n = send(c->data->fd, data, *asked, MSG_NOSIGNAL);
	if (n > 0)
		consume(c, (size_t)n);
	return n;
}

/* Sends what the socket takes now, then waits for it to drain.
 * from_command: called inside a command's handler, whose input loop goes
 * on afterwards, so an ended transfer must not run that loop itself. */
static void data_send(struct conn *c, bool from_command)
{
	void (*end)(struct conn *, enum xfer_status) = from_command ? xfer_finish : xfer_end;
	for (int rounds = 0; rounds < SEND_ROUNDS; rounds++) {
		size_t budget = rate_budget(c, SEND_CHUNK);
		if (budget == 0) {
			data_fd_unwait(c->data);
			uv_timer_start(&c->pace_timer, on_pace, 50, 0);
			return;
		}
		size_t asked = 0;
		ssize_t n = send_step(c, budget, &asked);
		if (n == 0) {
			end(c, XFER_OK);
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0) {
			end(c, errno == EIO ? XFER_FILE_ERROR : XFER_NET_ERROR);
			return;
		}
		data_timer_restart(c, c->srv->cfg->conf->data_connection_timeout);
		if ((size_t)n < asked)
			break;   /* the socket buffer is full: no EAGAIN probe, wait */
	}
	if (data_fd_wait(c->data, UV_WRITABLE, on_data_writable) != 0)
		end(c, XFER_NET_ERROR);
}

/* c->data is connected: announce it and start sending. */
static void data_connected(struct conn *c)
{
	session_xfer_connected(&c->sess);
	flush_replies(c);
	data_timer_restart(c, c->srv->cfg->conf->data_connection_timeout);
	data_send(c, false);
}

/* Accepts the data connection from the control peer (any peer with
 * pasv_promiscuous). Returns its fd; -1 with errno EAGAIN when none is
 * waiting yet; -1 otherwise (refused or failed). */
static int accept_data(struct conn *c, int listen_fd)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof peer;
	int fd = accept4(listen_fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	if (c->srv->cfg->conf->pasv_promiscuous ||
	    dataaddr_same_host((struct sockaddr *)&peer, (struct sockaddr *)&c->sess.peer)) {
		c->pasv_taken = true;
		return fd;
	}
	char who[64];
	log_warn("%s: passive data connection from %s refused", c->sess.client,
		 sock_addr_str((struct sockaddr *)&peer, 0, who, sizeof who));
	close(fd);
	return errno = EPERM, -1;
}

static void on_pasv_readable(uv_poll_t *p, int status, int events)
{
	struct conn *c = ((struct data_fd *)p->data)->conn;
	int fd = status < 0 ? -1 : accept_data(c, c->pasv->fd);
	if (fd < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	data_fd_unwait(c->pasv);
	c->data = fd >= 0 ? data_open(c, fd, true) : NULL;
	if (c->data)
		data_connected(c);
	else
		xfer_end(c, XFER_NO_CONNECTION);
}

/* PASV at RETR/LIST time: clients connect right after the 227/229, so the
 * connection is usually waiting; it is taken at once and sending starts
 * (a small file is done before the handler returns). Otherwise the
 * listener is polled until accept_timeout. */
static int pasv_start(struct conn *c)
{
	int fd = accept_data(c, c->pasv->fd);
	if (fd < 0 && errno != EAGAIN)
		return -1;
	if (fd < 0) {
		if (data_fd_wait(c->pasv, UV_READABLE, on_pasv_readable) != 0)
			return -1;
		timer_restart(c, c->srv->cfg->conf->accept_timeout, on_no_connection);
		return 0;
	}
	if (!(c->data = data_open(c, fd, true)))
		return -1;
	session_xfer_connected(&c->sess);   /* flushed by the caller's loop */
	data_timer_restart(c, c->srv->cfg->conf->data_connection_timeout);
	data_send(c, true);
	return 0;
}

static void on_port_connected(uv_poll_t *p, int status, int events)
{
	struct data_fd *d = p->data;
	int err = 0;
	socklen_t len = sizeof err;
	if (status < 0 || getsockopt(d->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err)
		xfer_end(d->conn, XFER_NO_CONNECTION);
	else
		data_connected(d->conn);
}

/* Active mode, from the control connection's local address (and from
 * ftp_data_port with connect_from_port_20, when the kernel still lets this
 * unprivileged process bind it; otherwise from any port). */
static int port_connect_start(struct conn *c)
{
	const struct ftpd_conf *conf = c->srv->cfg->conf;
	struct sockaddr_storage from = c->sess.local, to;
	if (dataaddr_for_family(&c->sess.port_addr, from.ss_family, &to) != 0)
		return -1;
	int fd = socket(from.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	socklen_t from_len = sock_addr_len((struct sockaddr *)&from);
	sock_addr_set_port((struct sockaddr *)&from,
			   conf->connect_from_port_20 ? (uint16_t)conf->ftp_data_port : 0);
	if (bind(fd, (struct sockaddr *)&from, from_len) != 0) {
		sock_addr_set_port((struct sockaddr *)&from, 0);
		if (bind(fd, (struct sockaddr *)&from, from_len) != 0)
			log_debug("%s: active mode from any address: %m", c->sess.client);
	}
	if (connect(fd, (struct sockaddr *)&to, sock_addr_len((struct sockaddr *)&to)) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	c->data = data_open(c, fd, false);
	if (!c->data)
		return -1;
	if (data_fd_wait(c->data, UV_WRITABLE, on_port_connected) != 0)
		return -1;
	timer_restart(c, conf->connect_timeout, on_no_connection);
	return 0;
}

/* ---- session_ops ---- */

/* The passive port range: [0, 0] lets the kernel choose when the range is
 * vsftpd's default (5001 and up holds the kernel's ephemeral range), which
 * never lands on a port whose old connection still lingers in TIME_WAIT;
 * else [pasv_min_port, pasv_max_port], tried from a random port, as vsftpd. */
static void pasv_range(const struct ftpd_conf *conf, uint16_t *lo, uint16_t *hi)
{
	unsigned min = conf->pasv_min_port > 1024 ? (unsigned)conf->pasv_min_port : 1024;
	unsigned max = conf->pasv_max_port >= min && conf->pasv_max_port < 65535 ?
		       (unsigned)conf->pasv_max_port : 65535;
	bool kernel = conf->pasv_max_port == 0 && min <= KERNEL_EPHEMERAL_MIN;
	*lo = kernel ? 0 : (uint16_t)min;
	*hi = kernel ? 0 : (uint16_t)max;
}

/* Closes connections queued on a kept listener whose last PASV was not
 * followed by a transfer (a client that connected, then got a 550 for its
 * RETR): the next transfer must take the client's next connection. */
static void pasv_drain(struct conn *c)
{
	for (int i = 0; !c->pasv_taken && i < LISTEN_DRAIN_MAX; i++) {
		int fd = accept4(c->pasv->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			return;
		close(fd);
	}
}

/* A session reuses its passive listener: a new one per file costs five
 * system calls (socket, bind, listen, getsockname, close) on top of the
 * transfer. Only the control peer's connections are taken from it. */
static int op_pasv_listen(void *io, struct sockaddr_storage *bound)
{
	struct conn *c = io;
	if (c->pasv) {
		pasv_drain(c);
		c->pasv_taken = false;
		*bound = c->pasv_bound;
		return 0;
	}
	uint16_t lo, hi;
	pasv_range(c->srv->cfg->conf, &lo, &hi);
	int fd = sock_tcp_listen_range((struct sockaddr *)&c->sess.local, lo, hi, PASV_BACKLOG,
				       SOCK_F_NONBLOCK);
	socklen_t blen = sizeof c->pasv_bound;
	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&c->pasv_bound, &blen) != 0) {
		close(fd);
		return -1;
	}
	if (fd >= 0)
		set_cork(fd, 1);   /* inherited by every data connection it accepts */
	c->pasv = fd >= 0 ? data_fd_new(c, fd) : NULL;
	*bound = c->pasv_bound;
	return c->pasv ? 0 : -1;
}

static void op_data_reset(void *io)
{
	struct conn *c = io;
	data_fd_unwait(c->pasv);
	data_fd_close(&c->data);
}

static void op_xfer_start(void *io)
{
	struct conn *c = io;
	uv_timer_stop(&c->idle_timer);
	int rc = c->sess.data_mode == DATA_PASV && c->pasv ? pasv_start(c) :
		 c->sess.data_mode == DATA_PORT ? port_connect_start(c) : -1;
	if (rc != 0)
		xfer_finish(c, XFER_NO_CONNECTION);
}

static void op_xfer_abort(void *io)
{
	xfer_finish(io, XFER_ABORTED);
}

static const struct session_ops conn_ops = {
	op_pasv_listen, op_data_reset, op_xfer_start, op_xfer_abort,
};

/* ---- control connection ---- */

/* Reads while there is room for input: a full buffer (commands held back
 * behind a transfer) pushes back on the client through TCP. */
static void update_reading(struct conn *c)
{
	bool want = !c->closing && c->in_len < sizeof c->in;
	if (want == c->reading)
		return;
	c->reading = want;
	if (want)
		uv_read_start((uv_stream_t *)&c->ctrl, on_alloc, on_ctrl_read);
	else
		uv_read_stop((uv_stream_t *)&c->ctrl);
}

static bool may_run_now(struct conn *c)
{
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->ctrl) > REPLY_QUEUE_MAX)
		return false;
	return !c->sess.busy || strcmp(c->pending.verb, "ABOR") == 0 ||
	       strcmp(c->pending.verb, "STAT") == 0;
}

/* Runs complete command lines in order; a transfer holds the ones after
 * it (pipelining) until it ends, but for ABOR and STAT; so does a client
 * that leaves its replies unread. */
static void process_input(struct conn *c)
{
	while (!c->closing && !c->sess.quit) {
		if (!c->has_pending) {
			size_t used;
			enum cmd_result r = cmd_next(&c->reader, c->in, c->in_len, &used, &c->pending);
			memmove(c->in, c->in + used, c->in_len - used);
			c->in_len -= used;
			if (r == CMD_MORE)
				break;
			if (r == CMD_TOO_LONG) {
				session_line_too_long(&c->sess);
				continue;
			}
			c->has_pending = true;
		}
		if (!may_run_now(c))
			break;
		c->has_pending = false;
		session_command(&c->sess, &c->pending);
		idle_timer_restart(c);
	}
	flush_replies(c);
	update_reading(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;
	*buf = uv_buf_init((char *)c->in + c->in_len, (unsigned)(sizeof c->in - c->in_len));
}

static void on_ctrl_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = s->data;
	if (nread < 0 && nread != UV_ENOBUFS) {
		conn_close(c);
		return;
	}
	if (nread > 0)
		c->in_len += (size_t)nread;
	process_input(c);
}

/* ---- accepting ---- */

static unsigned count_from(const struct server *srv, const struct sockaddr *peer)
{
	unsigned n = 0;
	for (const struct conn *c = srv->conns; c; c = c->next)
		if (c->counted && dataaddr_same_host((struct sockaddr *)&c->sess.peer, peer))
			n++;
	return n;
}

/* The 421 a new connection gets when a limit is reached, or NULL. */
static const char *limit_reached(const struct server *srv, const struct sockaddr *peer)
{
	const struct ftpd_conf *conf = srv->cfg->conf;
	if (conf->max_clients && srv->n_conns >= conf->max_clients)
		return "421 There are too many connected users, please try later.\r\n";
	if (conf->max_per_ip && count_from(srv, peer) >= conf->max_per_ip)
		return "421 There are too many connections from your internet address.\r\n";
	return NULL;
}

/* Under srv->lock. */
static void conn_link(struct server *srv, struct conn *c)
{
	c->prev = NULL;
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
	c->counted = true;
	srv->n_conns++;
	/* as vsftpd's STAT, which counts none in inetd mode */
	c->sess.clients_at_start = srv->cfg->inetd_fd >= 0 ? 0 : srv->n_conns;
}

static void conn_unlink(struct conn *c)
{
	struct server *srv = c->srv;
	if (!c->counted)
		return;
	uv_mutex_lock(&srv->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->n_conns--;
	uv_mutex_unlock(&srv->lock);
	c->counted = false;
	event_emit("disconnect", "client", c->sess.client, NULL);
}

static void conn_close(struct conn *c)
{
	if (c->open_handles == 0 || uv_is_closing((uv_handle_t *)&c->ctrl))
		return;
	c->closing = true;
	conn_unlink(c);
	if (c->sess.busy)
		xfer_finish(c, XFER_NET_ERROR);
	data_fd_close(&c->pasv);
	data_fd_close(&c->data);
	uv_close((uv_handle_t *)&c->ctrl, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->idle_timer, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->data_timer, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->pace_timer, on_conn_handle_closed);
}

static int conn_addresses(struct conn *c, struct sockaddr_storage *peer,
			  struct sockaddr_storage *local)
{
	int plen = sizeof *peer, llen = sizeof *local;
	if (uv_tcp_getpeername(&c->ctrl, (struct sockaddr *)peer, &plen) != 0 ||
	    uv_tcp_getsockname(&c->ctrl, (struct sockaddr *)local, &llen) != 0)
		return -1;
	return 0;
}

/* A connection with no handles yet (one accepted on the main loop for a
 * worker's, see hand_over). */
static struct conn *conn_alloc(struct server *srv)
{
	struct conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->srv = srv;
	c->sess.xfer.fd = -1;
	c->sess.sized_fd = -1;
	cmd_reader_init(&c->reader);
	return c;
}

/* Its handles on loop; from now on it is freed when they have closed. */
static void conn_attach(struct conn *c, uv_loop_t *loop)
{
	c->loop = loop;
	uv_tcp_init(loop, &c->ctrl);
	uv_timer_init(loop, &c->idle_timer);
	uv_timer_init(loop, &c->data_timer);
	uv_timer_init(loop, &c->pace_timer);
	c->ctrl.data = c->idle_timer.data = c->data_timer.data = c->pace_timer.data = c;
	c->open_handles = 4;
}

static struct conn *conn_new(struct server *srv, uv_loop_t *loop)
{
	struct conn *c = conn_alloc(srv);
	if (c)
		conn_attach(c, loop);
	return c;
}

static void refuse(struct conn *c, const char *why)
{
	uint64_t suppressed;
	uv_mutex_lock(&c->srv->lock);
	bool log = log_ratelimit_allow(&c->srv->refused_rl, log_now_ms(), &suppressed);
	uv_mutex_unlock(&c->srv->lock);
	if (log)
		log_notice("%s: refused: %.*s (%llu more refused)", c->sess.client,
			   (int)strlen(why) - 2, why, (unsigned long long)suppressed);
	strbuf_append(&c->sess.out, why, strlen(why));
	c->sess.quit = true;
	flush_replies(c);
}

/* c->ctrl is connected: greet the client, or refuse it over a limit. */
static void conn_start(struct conn *c)
{
	struct server *srv = c->srv;
	struct sockaddr_storage peer, local;
	if (conn_addresses(c, &peer, &local) != 0) {
		conn_close(c);
		return;
	}
	const struct io_config *cfg = srv->cfg;
	session_init(&c->sess, cfg->conf, cfg->logs, cfg->rootfd, &conn_ops, c,
		     (struct sockaddr *)&peer, (struct sockaddr *)&local);
	uv_tcp_nodelay(&c->ctrl, 1);
	uv_mutex_lock(&srv->lock);
	const char *why = limit_reached(srv, (struct sockaddr *)&peer);
	if (!why)
		conn_link(srv, c);   /* counted at once: every loop checks the limits */
	uv_mutex_unlock(&srv->lock);
	if (why) {
		refuse(c, why);
		return;
	}
	event_emit("connect", "client", c->sess.client, NULL);
	session_greet(&c->sess, cfg->banner_file_text);
	flush_replies(c);
	idle_timer_restart(c);
	update_reading(c);
}

/* ---- loop threads ---- */

/* The loop thread of the CPU the client's packets arrive on; for a socket
 * that names none, the next in turn. */
static struct cpuloop *loop_for(struct server *srv, int fd)
{
	int cpu = -1;
	socklen_t len = sizeof cpu;
	struct cpuloop *l = NULL;
	if (getsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &cpu, &len) == 0)
		l = cpuloop_of_cpu(&srv->pool, cpu);
	return l ? l : &srv->pool.loops[srv->next_loop++ % srv->pool.n_loops];
}

/* One never attached to a loop. */
static void close_handed(struct conn *c)
{
	close(c->handed_fd);
	free(c);
}

/* On the main loop: the accepted socket to its loop thread's inbox. libuv has
 * no way to move a handle between loops, so the socket is taken from the
 * main loop's handle by dup and opened again on the worker's. */
static void hand_over(struct server *srv, uv_tcp_t *accepted)
{
	uv_os_fd_t fd;
	struct conn *c = conn_alloc(srv);
	if (!c || uv_fileno((uv_handle_t *)accepted, &fd) != 0 ||
	    (c->handed_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		free(c);
		return;
	}
	if (!cpuloop_hand(loop_for(srv, c->handed_fd), &c->handed))
		close_handed(c);
}

static void on_accepted_closed(uv_handle_t *h)
{
	free(h);
}

/* Without loop threads the session is served on the main loop. */
static void serve_here(struct server *srv, uv_stream_t *listener)
{
	struct conn *c = conn_new(srv, &srv->loop);
	if (!c)
		return;
	if (uv_accept(listener, (uv_stream_t *)&c->ctrl) != 0)
		conn_close(c);
	else
		conn_start(c);
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct server *srv = listener->data;
	if (status != 0)
		return;
	if (srv->pool.n_loops == 0) {
		serve_here(srv, listener);
		return;
	}
	uv_tcp_t *accepted = malloc(sizeof *accepted);
	if (!accepted)
		return;
	uv_tcp_init(&srv->loop, accepted);
	if (uv_accept(listener, (uv_stream_t *)accepted) == 0)
		hand_over(srv, accepted);
	uv_close((uv_handle_t *)accepted, on_accepted_closed);
}

/* On a loop thread: a handed connection starts its session there. */
static void loop_adopt(struct cpuloop *l, struct conn *c)
{
	conn_attach(c, &l->loop);
	int rc = uv_tcp_open(&c->ctrl, c->handed_fd);
	if (rc != 0) {
		log_warn("cannot serve a connection: %s", uv_strerror(rc));
		close(c->handed_fd);
		conn_close(c);
		return;
	}
	conn_start(c);
}

/* A counted session whose handles are on loop. */
static struct conn *first_on(struct server *srv, const uv_loop_t *loop)
{
	struct conn *c;
	uv_mutex_lock(&srv->lock);
	for (c = srv->conns; c && c->loop != loop; c = c->next)
		;
	uv_mutex_unlock(&srv->lock);
	return c;
}

static void close_any(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Every session on loop ends and every handle closes, so uv_run returns. */
static void close_loop(struct server *srv, uv_loop_t *loop)
{
	struct conn *c;
	while ((c = first_on(srv, loop)) != NULL)
		conn_close(c);
	uv_walk(loop, close_any, NULL);
}

static void loop_take(struct cpuloop *l, struct cpuloop_item *items, bool stop)
{
	while (items) {
		struct conn *c = CPULOOP_OWNER(items, struct conn, handed);
		items = items->next;
		if (stop)
			close_handed(c);
		else
			loop_adopt(l, c);
	}
	if (stop)
		close_loop(l->pool->data, &l->loop);
}

/* One per CPU we may run on; none on one CPU or in inetd mode. */
static int start_loops(struct server *srv)
{
	srv->pool = (struct cpuloop_pool){ .lock = &srv->lock, .take = loop_take, .data = srv };
	if (srv->cfg->inetd_fd >= 0 || cpuloop_pool_start(&srv->pool, "ftpd-loop") == 0)
		return 0;
	log_err("cannot start a loop thread");
	return -1;
}

/* ---- the loop ---- */

static void on_signal(uv_signal_t *sig, int signum)
{
	struct server *srv = sig->data;
	log_notice("signal %d: stopping", signum);
	uv_stop(&srv->loop);
}

static int start_listeners(struct server *srv)
{
	const struct io_config *cfg = srv->cfg;
	for (size_t i = 0; i < cfg->n_listen_fds && i < 4; i++) {
		uv_tcp_t *l = &srv->listeners[i];
		int rc = uv_tcp_init(&srv->loop, l);
		if (rc == 0)
			rc = uv_tcp_open(l, cfg->listen_fds[i]);
		l->data = srv;
		srv->n_listeners++;
		if (rc == 0)
			rc = uv_listen((uv_stream_t *)l, LISTEN_BACKLOG, on_connection);
		if (rc != 0) {
			log_err("cannot listen: %s", uv_strerror(rc));
			return -1;
		}
	}
	return 0;
}

/* inetd mode: the one session on an inherited connected socket. The
 * signal handles are unreferenced, so the loop ends with the session. */
static int start_inetd(struct server *srv)
{
	struct conn *c = conn_new(srv, &srv->loop);
	int rc = c ? uv_tcp_open(&c->ctrl, srv->cfg->inetd_fd) : UV_ENOMEM;
	if (rc != 0) {
		log_err("inetd mode: cannot use fd %d: %s", srv->cfg->inetd_fd, uv_strerror(rc));
		if (c)
			conn_close(c);
		return -1;
	}
	uv_unref((uv_handle_t *)&srv->sig_term);
	uv_unref((uv_handle_t *)&srv->sig_int);
	conn_start(c);
	return 0;
}

static void shutdown_loop(struct server *srv)
{
	cpuloop_pool_stop(&srv->pool);    /* each loop thread ends its sessions */
	cpuloop_pool_join(&srv->pool);
	close_loop(srv, &srv->loop);
	uv_run(&srv->loop, UV_RUN_DEFAULT);
	uv_loop_close(&srv->loop);
	uv_mutex_destroy(&srv->lock);
}

int io_run(const struct io_config *cfg)
{
	struct server srv = { .cfg = cfg, .refused_rl = LOG_RATELIMIT_INIT(10000, 5) };
	if (uv_mutex_init(&srv.lock) != 0)
		return -1;
	if (uv_loop_init(&srv.loop) != 0) {
		log_err("cannot start the event loop");
		uv_mutex_destroy(&srv.lock);
		return -1;
	}
	uv_signal_init(&srv.loop, &srv.sig_term);
	uv_signal_init(&srv.loop, &srv.sig_int);
	srv.sig_term.data = srv.sig_int.data = &srv;
	uv_signal_start(&srv.sig_term, on_signal, SIGTERM);
	uv_signal_start(&srv.sig_int, on_signal, SIGINT);
	int rc = start_loops(&srv);
	if (rc == 0)
		rc = cfg->inetd_fd >= 0 ? start_inetd(&srv) : start_listeners(&srv);
	if (rc == 0)
		uv_run(&srv.loop, UV_RUN_DEFAULT);
	shutdown_loop(&srv);
	return rc;
}
