/* libuv glue. One UDP socket on port 67 for every interface (IP_PKTINFO
 * tells which one a request came in on). A batch of datagrams is read per
 * loop turn; replies that change no lease (OFFER, NAK) leave at once; the
 * leases of the others are written and fdatasync'ed on libuv's thread
 * pool while the loop keeps reading, and their replies leave when the
 * sync completes. Replies that become ready meanwhile wait for the next
 * sync: one fdatasync per turn at most, however many leases (group
 * commit).
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

#include "events.h"
#include "frame.h"
#include "ifcache.h"
#include "log.h"
#include "send.h"
#include "server.h"
#include "sock.h"
#include "svc.h"

#define PROXY_BOOT_PORT 4011        /* PXE spec: UEFI firmware asks the proxy here */
#define BATCH 1024                  /* datagrams per loop turn: one fdatasync for all */
#define BACKLOG (BATCH / 8)         /* datagrams found in one turn that mean overload */
#define DISCOVER_SLACK 8            /* DISCOVERs answered beyond the REQUESTs of an overloaded turn */
#define OUT_POOL (BATCH * 1024)     /* encoded replies of one batch */
#define RX_POOL (BATCH * 1024)      /* datagrams of one batch */
#define MAX_IFS 64
#define COMPACT_INTERVAL_MS 60000

struct outgoing {
	size_t off, len;                /* in the reply pool */
	struct reply_dest_info to;
	bool needs_commit;
};

struct rx_slot {
	size_t off, len;                /* in the receive pool */
	struct sock_pktinfo info;
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
	uv_timer_t compact;
	uv_signal_t sigterm, sigint;
	struct ifcache ifs;
	struct batch {
		struct outgoing out[BATCH];
		size_t n_out;
		uint8_t pool[OUT_POOL];
		size_t pool_used;
	} batches[2];
	struct batch *filling;     /* replies of the loop turns since the last sync started */
	struct batch *syncing;     /* replies waiting for the sync in flight; NULL if none */
	uv_fs_t sync_req;
	bool polling;
	struct rx_slot rx[BATCH];
	size_t discovers[BATCH];   /* slots holding a DISCOVER, in arrival order */
	uint8_t rx_pool[RX_POOL];
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
	int fd = sock_udp_bind((struct sockaddr *)&ss, len,
			       SOCK_F_REUSEADDR | SOCK_F_BROADCAST | SOCK_F_PKTINFO | SOCK_F_NONBLOCK);
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
	io->filling = &io->batches[0];
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

static void queue_reply(struct dhcpd_io *io, const struct sock_pktinfo *info, const struct ifaddr_entry *ifa)
{
	struct dhcp_result *res = &io->res;
	struct batch *b = io->filling;
	struct outgoing *o = &b->out[b->n_out];
	uint32_t server_addr = ifa->addr;
	size_t max = DHCP_MAX_PACKET;
	uint16_t asked;
	if (dhcp_opt_u16(&io->pkt, OPT_MAX_SIZE, &asked))
		max = asked < DHCP_MIN_MAX_SIZE ? DHCP_MIN_MAX_SIZE : asked;
	if (ifa->mtu > FRAME_HDR_LEN && max > (size_t)ifa->mtu - FRAME_HDR_LEN)
		max = (size_t)ifa->mtu - FRAME_HDR_LEN;
	if (max > OUT_POOL - b->pool_used)
		max = OUT_POOL - b->pool_used;
	o->off = b->pool_used;
	o->len = dhcp_encode(&res->out, b->pool + o->off, max);
	if (!o->len)
		return;
	b->pool_used += o->len;
	o->to = (struct reply_dest_info){ .dest = res->dest, .dest_addr = res->dest_addr,
					  .dest_port = res->dest_port, .src_addr = server_addr,
					  .ifindex = info->ifindex,
					  .mac_ok = io->pkt.h.htype == 1 && io->pkt.h.hlen == 6 };
	memcpy(o->to.mac, io->pkt.h.chaddr, 6);
	o->needs_commit = res->commit != NULL;
	if (res->commit && store_append(io->store, res->commit) < 0) {
		log_err("cannot queue lease record for %s", ip_str(res->commit->addr));
		return;
	}
	b->n_out++;
	events_reply(&io->pkt, res);
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
	if (io->res.dest != DEST_NONE) {
		queue_reply(io, info, ifa);
	} else if (io->res.commit) {
		if (store_append(io->store, io->res.commit) < 0)
			log_err("cannot queue lease record");
	} else if (io->res.why) {
		count_drop(&io->drop_rl, &io->n_dropped, info, io->res.why);
	}
}

static void send_reply(struct dhcpd_io *io, const struct batch *b, const struct outgoing *o)
{
	sender_send(&io->sender, &o->to, b->pool + o->off, o->len);
}

/* Sends the replies that need no lease on disk; keeps the others, and
 * the pool bytes they use. */
static void send_undurable(struct dhcpd_io *io, struct batch *b)
{
	size_t kept = 0;
	for (size_t i = 0; i < b->n_out; i++) {
		if (b->out[i].needs_commit)
			b->out[kept++] = b->out[i];
		else
			send_reply(io, b, &b->out[i]);
	}
	b->n_out = kept;
	if (!kept)
		b->pool_used = 0;
}

static void on_synced(uv_fs_t *req);
static void on_readable(uv_poll_t *h, int status, int events);

static bool batch_full(const struct batch *b)
{
	return b->n_out == BATCH || OUT_POOL - b->pool_used < DHCP_MAX_PACKET;
}

static void set_polling(struct dhcpd_io *io, bool on)
{
	if (on == io->polling || uv_is_closing((uv_handle_t *)&io->poll))
		return;
	io->polling = on;
	uv_poll_t *polls[] = { &io->poll, io->sender.boot_fd >= 0 ? &io->poll_4011 : NULL };
	for (size_t i = 0; i < 2 && polls[i]; i++) {
		if (on)
			uv_poll_start(polls[i], UV_READABLE, on_readable);
		else
			uv_poll_stop(polls[i]);
	}
}

/* Writes the queued lease records and syncs them on the thread pool; the
 * filling batch becomes the syncing one. */
static void start_sync(struct dhcpd_io *io)
{
	if (io->syncing || (!store_pending(io->store) && !io->filling->n_out))
		return;
	if (store_write(io->store) < 0) {
		log_err("leases file write failed: %s; ACKs held back", strerror(errno));
		io->filling->n_out = 0;
		io->filling->pool_used = 0;
		return;
	}
	io->syncing = io->filling;
	io->filling = io->syncing == &io->batches[0] ? &io->batches[1] : &io->batches[0];
	io->sync_req.data = io;
	if (uv_fs_fdatasync(&io->loop, &io->sync_req, io->store->fd, on_synced) < 0) {
		log_err("cannot start fdatasync; ACKs held back");
		io->syncing->n_out = io->syncing->pool_used = 0;
		io->syncing = NULL;
	}
}

static void on_synced(uv_fs_t *req)
{
	struct dhcpd_io *io = req->data;
	struct batch *b = io->syncing;
	bool durable = req->result >= 0;
	uv_fs_req_cleanup(req);
	if (!durable)
		log_err("fdatasync of the leases file failed; ACKs held back");
	for (size_t i = 0; durable && i < b->n_out; i++)
		send_reply(io, b, &b->out[i]);
	b->n_out = b->pool_used = 0;
	io->syncing = NULL;
	start_sync(io);
	set_polling(io, !batch_full(io->filling));
}

/* Reads what the socket holds, up to a batch. */
static size_t read_batch(struct dhcpd_io *io, int fd)
{
	size_t n = 0, used = 0;
	size_t room = BATCH - io->filling->n_out;
	while (n < room && RX_POOL - used >= DHCP_MAX_PACKET) {
		struct rx_slot *slot = &io->rx[n];
		ssize_t len = sock_recv(fd, io->rx_pool + used, DHCP_MAX_PACKET, &slot->info);
		if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (len < 0) {
			if (errno == EMSGSIZE)
				count_drop(&io->bad_rl, &io->n_bad, NULL, "datagram too long");
			continue;
		}
		slot->off = used;
		slot->len = (size_t)len;
		used += (size_t)len;
		n += interface_allowed(io, slot->info.ifindex);
	}
	return n;
}

static void handle_slot(struct dhcpd_io *io, const struct rx_slot *slot, bool boot_port)
{
	const char *bad = dhcp_parse(&io->pkt, io->rx_pool + slot->off, slot->len);
	if (bad)
		count_drop(&io->bad_rl, &io->n_bad, &slot->info, bad);
	else if (!batch_full(io->filling))
		handle_request(io, &slot->info, boot_port);
}

/* Overload: a turn that finds a backlog answers every REQUEST (a client
 * holding an offer) first, and only as many DISCOVERs as there were
 * REQUESTs, plus a few; the rest are shed before parsing. Offers then
 * follow the rate at which clients complete exchanges, instead of piling
 * up offers nobody completes (real clients time out on them; a load
 * generator loses them, and the ACKs with them, in its socket buffer).
 * Below the backlog mark nothing is shed: a burst of fewer than BACKLOG
 * PXE clients powered on together is answered whole. */
static void on_readable(uv_poll_t *h, int status, int events)
{
	struct dhcpd_io *io = h->data;
	uv_os_fd_t fd;
	uv_fileno((uv_handle_t *)h, &fd);
	size_t n = read_batch(io, fd), n_discover = 0;
	bool boot_port = h == &io->poll_4011;
	for (size_t i = 0; i < n; i++) {
		const struct rx_slot *slot = &io->rx[i];
		if (dhcp_peek_type(io->rx_pool + slot->off, slot->len) == DHCPDISCOVER)
			io->discovers[n_discover++] = i;
		else
			handle_slot(io, slot, boot_port);
	}
	size_t budget = n >= BACKLOG ? n - n_discover + DISCOVER_SLACK : n;
	for (size_t i = 0; i < n_discover; i++) {
		const struct rx_slot *slot = &io->rx[io->discovers[i]];
		if (i < budget)
			handle_slot(io, slot, boot_port);
		else
			count_drop(&io->drop_rl, &io->n_dropped, &slot->info, "overload: DISCOVER shed");
	}
	send_undurable(io, io->filling);
	start_sync(io);
	set_polling(io, !batch_full(io->filling));
}

static void on_compact(uv_timer_t *t)
{
	struct dhcpd_io *io = t->data;
	if (io->syncing || io->store->file_records < 4096)
		return;
	if (store_compact(io->store, io->db) < 0)
		log_warn("leases file compaction failed: %s", strerror(errno));
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
	uv_close((uv_handle_t *)&io->poll, on_close);
	if (io->sender.boot_fd >= 0)
		uv_close((uv_handle_t *)&io->poll_4011, on_close);
	uv_close((uv_handle_t *)&io->compact, on_close);
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
	uv_signal_init(&io->loop, &io->sigterm);
	uv_signal_init(&io->loop, &io->sigint);
	io->poll.data = io->compact.data = io->sigterm.data = io->sigint.data = io;
	set_polling(io, true);
	uv_timer_start(&io->compact, on_compact, COMPACT_INTERVAL_MS, COMPACT_INTERVAL_MS);
	uv_signal_start(&io->sigterm, on_signal, SIGTERM);
	uv_signal_start(&io->sigint, on_signal, SIGINT);
	svc_notify("READY=1\nSTATUS=serving DHCP");
	uv_run(&io->loop, UV_RUN_DEFAULT);
	uv_loop_close(&io->loop);
	return io->status;
}
