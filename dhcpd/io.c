/* libuv glue. One UDP socket on port 67 for every interface (IP_PKTINFO
 * tells which one a request came in on). A loop turn reads what the socket
 * holds (recvmmsg, up to a batch), decides every request, sends the
 * replies that change no lease (OFFER, NAK) at once, writes the lease
 * records and syncs them with one write and one fdatasync, then sends the
 * ACKs: every lease is on disk before its ACK, and one sync serves every
 * ACK held, however many (group commit). The sync runs on the loop
 * thread: requests that arrive meanwhile wait in the socket and form the
 * next turn's batch, which costs no thread hand-off per turn. Replies
 * leave with one sendmmsg per turn; events and log lines with one flush
 * every few milliseconds.
 *
 * Commit delay (PostgreSQL's commit_delay and commit_siblings): at a few
 * thousand requests a second most turns hold one or two REQUESTs, so a
 * sync per turn is most of the CPU. The ACKs of a turn therefore wait up
 * to COMMIT_DELAY_MS for those of later turns, which keep reading and
 * deciding (their OFFERs and NAKs leave at once), and one write, one sync
 * and one sendmmsg serve them all. The rule: a turn opens the window only
 * when its last ACK was decided within COMPANY_MS of the ACK before it
 * (about 500 REQUESTs a second or more, or two in one turn): the window
 * then likely gathers company. A lone client (a PXE boot, a renewal)
 * has none and is synced at once, without the delay. A turn that already
 * holds COMMIT_ENOUGH ACKs (overload) syncs at once too: its sync costs
 * little per ACK, and waiting would only add latency. Later turns join an
 * open window and never extend it. The held batch is committed at once
 * when it is full, before a compaction, and on SIGTERM/SIGINT before the
 * loop stops. Window length: libuv counts whole milliseconds from its
 * cached loop time, so a 1 ms timer fires 0-1 ms later, which at 1000
 * REQUESTs a second rarely caught a second one (bench/README.md).
 *
 * Replies to a client without an address (iPXE and udhcpc leave the
 * broadcast flag clear) go through an AF_PACKET socket straight to the
 * client's MAC, as ISC does; OVMF sets the broadcast flag and gets a
 * broadcast. What that costs in capabilities: see send.h. With a
 * proxy-dhcp subnet a second socket serves port 4011; its requests are
 * answered from it, back to their source port. */
#include "io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "event.h"
#include "events.h"
#include "frame.h"
#include "ifcache.h"
#include "isclog.h"
#include "log.h"
#include "send.h"
#include "server.h"
#include "sock.h"
#include "svc.h"

#define PROXY_BOOT_PORT 4011        /* PXE spec: UEFI firmware asks the proxy here */
#define BATCH 512                   /* datagrams per loop turn: one fdatasync for all */
#define DISCOVER_SLACK 8            /* DISCOVERs answered beyond the REQUESTs of an overloaded turn */
#define OUT_POOL (BATCH * 1024)     /* encoded replies of one turn */
#define MAX_IFS 64
#define COMPACT_INTERVAL_MS 60000
#define FLUSH_MS 10                 /* events and log lines wait at most this long */

#define COMMIT_DELAY_MS 2           /* ACKs wait this for company: 1-2 ms at libuv's resolution */
#define COMPANY_MS COMMIT_DELAY_MS  /* ... when the previous ACK was decided this recently */
#define COMMIT_ENOUGH 64            /* ... and fewer are held: more share a sync well enough */

/* Replies waiting to be sent; their bytes are in pool. */
struct replies {
	struct reply_msg msg[BATCH];
	size_t n;
	uint8_t pool[OUT_POOL];
	size_t pool_used;
};

struct dhcpd_io {
	struct io_config cfg;
	int allowed[MAX_IFS];
	size_t n_allowed;
	struct sender sender;
	struct lease_db *db;
	struct lease_store *store;
	uv_loop_t loop;
	uv_poll_t poll, poll_4011;
	uv_timer_t compact, flush, commit;
	uv_signal_t sigterm, sigint;
	struct ifcache ifs;
	struct replies now;     /* OFFER, NAK: no lease changed, sent at the end of the turn */
	struct replies held;    /* ACKs: sent after the commit that makes their leases durable */
	uint64_t last_ack_ms;   /* loop time when the last ACK was decided */
	bool ack_company;       /* it came within COMPANY_MS of the one before */
	struct sock_rx rx[BATCH];
	size_t discovers[BATCH];   /* rx slots holding a DISCOVER, in arrival order */
	uint8_t rx_pool[BATCH][DHCP_MAX_PACKET];
	uint32_t kernel_dropped[2];   /* SO_RXQ_OVFL count last seen: port 67, 4011 */
	uint64_t n_kernel_dropped;
	struct dhcp_packet pkt;
	struct dhcp_result res;
	struct log_ratelimit bad_rl, drop_rl;
	uint64_t n_bad, n_dropped;
	int status;
};

static int resolve_interfaces(struct dhcpd_io *io, char *err, size_t err_size)
{
	for (size_t i = 0; i < io->cfg.n_ifnames; i++) {
		unsigned idx = if_nametoindex(io->cfg.ifnames[i]);
		if (!idx || io->n_allowed == MAX_IFS) {
			snprintf(err, err_size, "interface %s: %s", io->cfg.ifnames[i], idx ? "too many" : "no such interface");
			return -1;
		}
		io->allowed[io->n_allowed++] = (int)idx;
	}
	return 0;
}

static int bind_port(uint16_t port, char *err, size_t err_size)
{
	struct sockaddr_storage ss;
	socklen_t len;
	sock_addr_parse(NULL, port, AF_INET, &ss, &len);
	int fd = sock_udp_bind((struct sockaddr *)&ss, len, SOCK_F_REUSEADDR | SOCK_F_BROADCAST | SOCK_F_PKTINFO |
							    SOCK_F_NONBLOCK | SOCK_F_RXQ_OVFL);
	if (fd < 0) {
		snprintf(err, err_size, "cannot bind UDP port %u: %s", port, strerror(errno));
		return -1;
	}
	int rcvbuf = 1 << 20;  /* bounded: a deeper queue only serves stale requests */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	return fd;
}

struct dhcpd_io *io_open(const struct io_config *cfg, struct lease_db *db, struct lease_store *store,
			 char *err, size_t err_size)
{
	struct dhcpd_io *io = calloc(1, sizeof *io);
	if (!io) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	*io = (struct dhcpd_io){ .cfg = *cfg, .db = db, .store = store,
				 .sender = { .fd = -1, .boot_fd = -1, .pkt_fd = -1, .port = cfg->port, .send_to = cfg->send_to },
				 .ifs.cfg = lease_db_config(db),
				 .bad_rl = LOG_RATELIMIT_INIT(10000, 5), .drop_rl = LOG_RATELIMIT_INIT(10000, 20) };
	for (size_t i = 0; i < BATCH; i++)
		io->rx[i] = (struct sock_rx){ .buf = io->rx_pool[i], .size = sizeof io->rx_pool[i] };
	if (resolve_interfaces(io, err, err_size) < 0) {
		io_free(io);
		return NULL;
	}
	io->sender.fd = bind_port(cfg->port, err, err_size);
	io->sender.boot_fd = lease_db_config(db)->n_proxy_subnets ? bind_port(PROXY_BOOT_PORT, err, err_size) : -1;
	if (io->sender.fd < 0 || (lease_db_config(db)->n_proxy_subnets && io->sender.boot_fd < 0)) {
		io_free(io);
		return NULL;
	}
	io->sender.pkt_fd = sender_open_packet_socket();
	if (io->sender.pkt_fd < 0)
		log_warn("no packet socket (%s): replies to clients without an address will be broadcast",
			 strerror(errno));
	return io;
}

void io_free(struct dhcpd_io *io)
{
	if (!io)
		return;
	if (io->sender.fd >= 0)
		close(io->sender.fd);
	if (io->sender.boot_fd >= 0)
		close(io->sender.boot_fd);
	if (io->sender.pkt_fd >= 0)
		close(io->sender.pkt_fd);
	free(io);
}

static bool interface_allowed(const struct dhcpd_io *io, int ifindex)
{
	for (size_t i = 0; i < io->n_allowed; i++)
		if (io->allowed[i] == ifindex)
			return true;
	return io->n_allowed == 0;
}

/* Prefers an address inside a declared subnet, as the server identifier. */
static void count_drop(struct log_ratelimit *rl, uint64_t *counter, const struct sock_pktinfo *info,
		       const char *why)
{
	uint64_t suppressed;
	char peer[64] = "?";
	(*counter)++;
	if (!log_ratelimit_allow(rl, log_now_ms(), &suppressed))
		return;
	if (info)
		sock_addr_str((const struct sockaddr *)&info->peer, 1, peer, sizeof peer);
	log_info("dropped request from %s: %s (%llu total, %llu not logged)", peer, why,
		 (unsigned long long)*counter, (unsigned long long)suppressed);
}

typedef size_t isclog_fn(char *buf, size_t size, const struct dhcp_packet *pkt, const struct dhcp_result *res,
			 const char *ifname);

/* ISC dhcpd's line (isclog.h), formatted only when LOG_INFO is logged. */
static void log_isc(isclog_fn *format, const struct dhcpd_io *io, const struct ifaddr_entry *ifa)
{
	char line[512];
	if (log_get_level() >= LOG_INFO && format(line, sizeof line, &io->pkt, &io->res, ifa->name))
		log_info("%s", line);
}

static void note_ack(struct dhcpd_io *io)
{
	uint64_t now = uv_now(&io->loop);
	io->ack_company = now - io->last_ack_ms <= COMPANY_MS;
	io->last_ack_ms = now;
}

/* The lease an ACK binds, and those it released (one-lease-per-client). */
static int append_records(struct lease_store *store, const struct dhcp_result *res)
{
	int rc = store_append(store, res->commit);
	for (size_t i = 0; rc == 0 && i < res->n_freed; i++)
		rc = store_append(store, res->freed[i]);
	return rc;
}

static void queue_reply(struct dhcpd_io *io, const struct sock_pktinfo *info, const struct ifaddr_entry *ifa)
{
	struct dhcp_result *res = &io->res;
	struct replies *t = res->commit ? &io->held : &io->now;
	struct reply_msg *m = &t->msg[t->n];
	size_t max = DHCP_MAX_PACKET;
	uint16_t asked;
	if (dhcp_opt_u16(&io->pkt, OPT_MAX_SIZE, &asked))
		max = asked < DHCP_MIN_MAX_SIZE ? DHCP_MIN_MAX_SIZE : asked;
	if (ifa->mtu > FRAME_HDR_LEN && max > (size_t)ifa->mtu - FRAME_HDR_LEN)
		max = (size_t)ifa->mtu - FRAME_HDR_LEN;
	if (max > OUT_POOL - t->pool_used)
		max = OUT_POOL - t->pool_used;
	m->data = t->pool + t->pool_used;
	m->len = dhcp_encode(&res->out, t->pool + t->pool_used, max);
	if (!m->len)
		return;
	t->pool_used += m->len;
	m->to = (struct reply_dest_info){ .dest = res->dest, .dest_addr = res->dest_addr,
					  .dest_port = res->dest_port, .src_addr = ifa->addr,
					  .ifindex = info->ifindex,
					  .mac_ok = io->pkt.h.htype == 1 && io->pkt.h.hlen == 6 };
	memcpy(m->to.mac, io->pkt.h.chaddr, 6);
	if (res->commit && append_records(io->store, res) < 0) {
		log_err("cannot queue lease record for %s", ip_str(res->commit->addr));
		return;
	}
	t->n++;
	if (res->commit)
		note_ack(io);
	events_reply(&io->pkt, res);
	log_isc(isclog_reply, io, ifa);
}

static void handle_request(struct dhcpd_io *io, const struct sock_pktinfo *info, bool boot_port)
{
	const struct ifaddr_entry *ifa = ifcache_get(&io->ifs, info->ifindex);
	const struct sockaddr_in *peer = (const struct sockaddr_in *)&info->peer;
	bool inet = peer->sin_family == AF_INET;
	struct dhcp_request rq = { .pkt = &io->pkt, .if_addr = ifa->addr, .now = (int64_t)time(NULL),
				   .peer_addr = inet ? ntohl(peer->sin_addr.s_addr) : 0,
				   .peer_port = inet ? ntohs(peer->sin_port) : 0, .boot_port = boot_port };
	events_request(&io->pkt);
	dhcp_handle(io->db, &rq, &io->res);
	log_isc(isclog_request, io, ifa);
	if (io->res.dest != DEST_NONE) {
		queue_reply(io, info, ifa);
	} else if (io->res.commit) {
		if (store_append(io->store, io->res.commit) < 0)
			log_err("cannot queue lease record");
	} else if (io->res.why) {
		count_drop(&io->drop_rl, &io->n_dropped, info, io->res.why);
	}
}

static void on_flush(uv_timer_t *t);

/* Events and log lines wait at most FLUSH_MS and leave together, one
 * flush for the turns of that time (stamped when made, so the timeline
 * is exact); events a collector had no room for wait for the next. */
static void schedule_flush(struct dhcpd_io *io)
{
	if (!uv_is_active((uv_handle_t *)&io->flush) && !uv_is_closing((uv_handle_t *)&io->flush))
		uv_timer_start(&io->flush, on_flush, FLUSH_MS, 0);
}

static void on_flush(uv_timer_t *t)
{
	event_flush();
	if (event_pending())
		schedule_flush(t->data);
}

static bool has_room(const struct replies *r)
{
	return r->n < BATCH && OUT_POOL - r->pool_used >= DHCP_MAX_PACKET;
}

static void send_replies(const struct sender *sender, struct replies *r)
{
	if (r->n)
		sender_send(sender, r->msg, r->n);
	r->n = r->pool_used = 0;
}

/* Makes the queued lease records durable with one write and one sync,
 * then sends the ACKs held for them. */
static void commit_held(struct dhcpd_io *io)
{
	uv_timer_stop(&io->commit);
	if (store_pending(io->store) && store_commit(io->store) < 0) {
		log_err("leases file write or sync failed: %s; %zu ACKs held back", strerror(errno), io->held.n);
		io->held.n = 0;
	}
	send_replies(&io->sender, &io->held);
}

static void on_commit(uv_timer_t *t)
{
	commit_held(t->data);
	schedule_flush(t->data);
}

/* Sends what needs no lease on disk; commits the held ACKs now, or opens
 * the commit window for them (see the top of the file), or lets them join
 * the window already open. */
static void finish_turn(struct dhcpd_io *io)
{
	send_replies(&io->sender, &io->now);
	bool window_open = uv_is_active((uv_handle_t *)&io->commit);
	if (!window_open && io->held.n && io->held.n < COMMIT_ENOUGH && io->ack_company)
		uv_timer_start(&io->commit, on_commit, COMMIT_DELAY_MS, 0);
	else if (!window_open)
		commit_held(io);
	schedule_flush(io);
}

/* SO_RXQ_OVFL: requests the kernel dropped, its receive queue full.
 * dropped: the socket's count (0 when nothing was read). Returns whether
 * it grew since the last turn. */
static bool note_kernel_drops(struct dhcpd_io *io, bool boot_port, uint32_t dropped)
{
	uint32_t more = dropped - io->kernel_dropped[boot_port];
	uint64_t suppressed;
	if (!dropped || !more)
		return false;
	io->kernel_dropped[boot_port] = dropped;
	io->n_kernel_dropped += more;
	if (log_ratelimit_allow(&io->drop_rl, log_now_ms(), &suppressed))
		log_info("receive queue full: the kernel dropped %u requests (%llu in all, %llu not logged)", more,
			 (unsigned long long)io->n_kernel_dropped, (unsigned long long)suppressed);
	return true;
}

/* Reads what the socket holds, up to a batch. */
static size_t read_batch(struct dhcpd_io *io, int fd)
{
	ssize_t n = sock_recv_batch(fd, io->rx, BATCH);
	if (n < 0) {
		count_drop(&io->bad_rl, &io->n_bad, NULL, strerror(errno));
		return 0;
	}
	return (size_t)n;
}

static void handle_slot(struct dhcpd_io *io, const struct sock_rx *rx, bool boot_port)
{
	const char *bad = rx->truncated ? "datagram too long" : dhcp_parse(&io->pkt, rx->buf, rx->len);
	if (bad) {
		count_drop(&io->bad_rl, &io->n_bad, &rx->info, bad);
		return;
	}
	if (!has_room(&io->held))
		commit_held(io);  /* the held batch is full: at once, window or not */
	if (has_room(&io->now))
		handle_request(io, &rx->info, boot_port);
}

/* Overload: the kernel dropped requests since the last turn (its queue
 * overflowed), or a whole batch was waiting. Such a turn answers every
 * REQUEST (a client holding an offer) first, and only as many DISCOVERs
 * as there were REQUESTs, plus a few; the rest are shed before parsing.
 * Offers then follow the rate at which clients complete exchanges,
 * instead of piling up offers nobody completes (real clients time out on
 * them; a load generator loses them, and the ACKs with them, in its
 * socket buffer). A backlog alone is no overload: it is what arrived
 * during the last turn's sync, and the next turn serves it whole, with
 * one sync for all (a burst of PXE clients powered on together). */
static void on_readable(uv_poll_t *h, int status, int events)
{
	struct dhcpd_io *io = h->data;
	uv_os_fd_t fd;
	uv_fileno((uv_handle_t *)h, &fd);
	bool boot_port = h == &io->poll_4011;
	size_t n = read_batch(io, fd), n_discover = 0, n_other = 0;
	bool kernel_dropped = note_kernel_drops(io, boot_port, n ? io->rx[n - 1].info.rxq_dropped : 0);
	bool overloaded = kernel_dropped || n == BATCH;
	for (size_t i = 0; i < n; i++) {
		const struct sock_rx *rx = &io->rx[i];
		if (!interface_allowed(io, rx->info.ifindex))
			continue;
		if (!rx->truncated && dhcp_peek_type(rx->buf, rx->len) == DHCPDISCOVER) {
			io->discovers[n_discover++] = i;
		} else {
			handle_slot(io, rx, boot_port);
			n_other++;
		}
	}
	size_t budget = overloaded ? n_other + DISCOVER_SLACK : n_discover;
	for (size_t i = 0; i < n_discover; i++) {
		const struct sock_rx *rx = &io->rx[io->discovers[i]];
		if (i < budget)
			handle_slot(io, rx, boot_port);
		else
			count_drop(&io->drop_rl, &io->n_dropped, &rx->info, "overload: DISCOVER shed");
	}
	finish_turn(io);
}

static void on_compact(uv_timer_t *t)
{
	struct dhcpd_io *io = t->data;
	if (io->store->file_records < 4096)
		return;
	commit_held(io);  /* a failed compaction must not lose the held ACKs' records */
	if (store_compact(io->store, io->db) < 0)
		log_warn("leases file compaction failed: %s", strerror(errno));
	schedule_flush(io);
}

static void on_close(uv_handle_t *h)
{
	(void)h;
}

static void on_signal(uv_signal_t *s, int signum)
{
	struct dhcpd_io *io = s->data;
	log_notice("signal %d: stopping", signum);
	svc_notify("STOPPING=1");
	commit_held(io);
	uv_close((uv_handle_t *)&io->poll, on_close);
	if (io->sender.boot_fd >= 0)
		uv_close((uv_handle_t *)&io->poll_4011, on_close);
	uv_close((uv_handle_t *)&io->compact, on_close);
	uv_close((uv_handle_t *)&io->flush, on_close);
	uv_close((uv_handle_t *)&io->commit, on_close);
	uv_close((uv_handle_t *)&io->sigterm, on_close);
	uv_close((uv_handle_t *)&io->sigint, on_close);
}

int io_run(struct dhcpd_io *io)
{
	if (uv_loop_init(&io->loop) < 0)
		return 1;
	uv_poll_init(&io->loop, &io->poll, io->sender.fd);
	if (io->sender.boot_fd >= 0)
		uv_poll_init(&io->loop, &io->poll_4011, io->sender.boot_fd);
	io->poll_4011.data = io;
	uv_timer_init(&io->loop, &io->compact);
	uv_timer_init(&io->loop, &io->flush);
	uv_timer_init(&io->loop, &io->commit);
	uv_signal_init(&io->loop, &io->sigterm);
	uv_signal_init(&io->loop, &io->sigint);
	io->poll.data = io->compact.data = io->flush.data = io->commit.data = io;
	io->sigterm.data = io->sigint.data = io;
	uv_poll_start(&io->poll, UV_READABLE, on_readable);
	if (io->sender.boot_fd >= 0)
		uv_poll_start(&io->poll_4011, UV_READABLE, on_readable);
	log_set_batching(true);
	event_set_batching(true);
	uv_timer_start(&io->compact, on_compact, COMPACT_INTERVAL_MS, COMPACT_INTERVAL_MS);
	uv_signal_start(&io->sigterm, on_signal, SIGTERM);
	uv_signal_start(&io->sigint, on_signal, SIGINT);
	svc_notify("READY=1\nSTATUS=serving DHCP");
	uv_run(&io->loop, UV_RUN_DEFAULT);
	event_set_batching(false);
	log_set_batching(false);
	uv_loop_close(&io->loop);
	return io->status;
}
