/*
 * tftpfloor: the least CPU a TFTP sender can spend per block.
 * A bench reference, not a server: bench/tftp.sh runs it beside the real
 * ones and compiles it with `cc -O2 -pthread -o tftpfloor tftpfloor.c`.
 *
 *   tftpfloor [-e | -t] ADDR PORT DIR FILE...
 *
 * FILE... (names inside DIR) are read into memory at start-up, so a
 * transfer does no file I/O. Octet only, blksize OACKed (windowsize too,
 * see below; every other option left out), a connected UDP socket per
 * transfer, one send per ACK, a block unacknowledged for a second (with -e,
 * one to two) sent again, TRIES sends at most; a duplicate ACK is never
 * answered. No logging: per block the kernel work any lock-step server
 * needs (recv the ACK, send the DATA, sleep, wake) and next to nothing in
 * user space. Three designs:
 *   (none) one transfer at a time, blocking recv (SO_RCVTIMEO its timer);
 *   -t     the same in a thread per transfer, any number at once (in.tftpd's
 *          process or atftpd's thread per client, minus their work);
 *   -e     one thread: epoll over the listening socket, a 1 s timerfd and
 *          every transfer's socket; per ready socket one recv and one send
 *          (dnsmasq's design, minus its work). With one client, per block
 *          the plain design's calls plus an epoll_wait: what the readiness
 *          model itself costs, as an event loop pays it.
 * Without -e a windowsize asked (RFC 7440, up to WINDOW_MAX) is OACKed
 * (-e leaves it out: lock-step): each window goes out with one sendmmsg
 * straight from memory (no UDP GSO: one trip down the stack per block),
 * then the ACK of its last block is awaited; the ACK of an earlier one (a
 * gap) sends the window again from the block after it; the timer as above.
 * No windowsize asked: exactly the lock-step above.
 */
#define _GNU_SOURCE		/* sendmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

enum { RRQ = 1, DATA = 3, ACK = 4, ERROR = 5, OACK = 6 };
enum { BLKSIZE_MIN = 8, BLKSIZE_MAX = 65464, PACKET_MAX = 65536 };
enum { RETRY_SECS = 1, TRIES = 5 };	/* sends of a block before giving up */
enum { FLOWS_MAX = 256, EVENTS = 64 };	/* -e: transfers at once; events per wait */
enum { WINDOW_MAX = 64 };
enum { ASKED_BLKSIZE = 1, ASKED_WINDOW = 2 };	/* the options the OACK names */

struct file {
	const char *name;
	char *bytes;
	size_t size;
};

/* One transfer. */
struct flow {
	int fd;			/* connected to the client; -1: a free slot (-e) */
	const struct file *file;
	unsigned blksize;
	unsigned window;	/* blocks sent per ACK */
	unsigned asked;		/* ASKED_*; 0: no OACK */
	size_t block;		/* the (first) one sent and not yet ACKed; 0 = the OACK */
	size_t last;		/* a short (maybe empty) block ends it */
	int tries;		/* timeouts of this block */
	size_t ticked;		/* -e: block at the last tick */
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void load(struct file *file, int dir_fd, const char *name)
{
	struct stat st;
	int fd = openat(dir_fd, name, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		die(name);
	file->name = name;
	file->size = (size_t)st.st_size;
	file->bytes = malloc(file->size + 1);
	if (!file->bytes)
		die("malloc");
	for (size_t got = 0; got < file->size;) {
		ssize_t n = read(fd, file->bytes + got, file->size - got);
		if (n <= 0)
			die(name);
		got += (size_t)n;
	}
	close(fd);
}

/* The next NUL-terminated string in [*at, end), or NULL. */
static const char *next_string(const char **at, const char *end)
{
	const char *s = *at, *nul = memchr(s, 0, (size_t)(end - s));

	if (!nul)
		return NULL;
	*at = nul + 1;
	return s;
}

/* Parses an octet RRQ: its file, the blksize and windowsize asked (0: none). */
static const struct file *parse_rrq(const char *pkt, size_t len, const struct file *files,
				    int nfiles, unsigned *blksize, unsigned *window)
{
	const char *at = pkt + 2, *end = pkt + len, *name, *mode, *key, *value;

	if (len < 4 || pkt[0] != 0 || pkt[1] != RRQ)
		return NULL;
	name = next_string(&at, end);
	mode = next_string(&at, end);
	if (!name || !mode || strcasecmp(mode, "octet") != 0)
		return NULL;
	*blksize = *window = 0;
	while ((key = next_string(&at, end)) && (value = next_string(&at, end)))
		if (strcasecmp(key, "blksize") == 0)
			*blksize = (unsigned)strtoul(value, NULL, 10);
		else if (strcasecmp(key, "windowsize") == 0)
			*window = (unsigned)strtoul(value, NULL, 10);
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

/* The OACK of the options the flow's client asked. */
static int send_oack(const struct flow *f)
{
	char pkt[48] = { 0, OACK };
	int len = 2;

	if (f->asked & ASKED_BLKSIZE)
		len += snprintf(pkt + len, sizeof(pkt) - (size_t)len, "blksize%c%u", 0,
				f->blksize) + 1;
	if (f->asked & ASKED_WINDOW)
		len += snprintf(pkt + len, sizeof(pkt) - (size_t)len, "windowsize%c%u", 0,
				f->window) + 1;
	return send(f->fd, pkt, (size_t)len, 0) < 0 ? -1 : 0;
}

/* Points HDR and IOV at block BLOCK (1-based, not wrapped) of FILE, in memory. */
static void block_iov(const struct file *file, unsigned blksize, size_t block, uint16_t hdr[2],
		      struct iovec iov[2])
{
	size_t off = (block - 1) * blksize;
	size_t len = file->size - off < blksize ? file->size - off : blksize;

	hdr[0] = htons(DATA);
	hdr[1] = htons((uint16_t)block);
	iov[0] = (struct iovec){ hdr, 2 * sizeof(*hdr) };
	iov[1] = (struct iovec){ file->bytes + off, len };
}

/* Sends block BLOCK of FILE, straight from memory. */
static int send_block(int fd, const struct file *file, unsigned blksize, size_t block)
{
	uint16_t hdr[2];
	struct iovec iov[2];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	block_iov(file, blksize, block, hdr, iov);
	return sendmsg(fd, &msg, 0) < 0 ? -1 : 0;
}

/* Sends the flow's current block (or its OACK). */
static int send_current(const struct flow *f)
{
	return f->block == 0 ? send_oack(f) : send_block(f->fd, f->file, f->blksize, f->block);
}

/* What a received datagram (N bytes, or N < 0 with errno) means for BLOCK:
 * 1 = its ACK, 0 = nothing (recv timed out, or another packet), -1 = end.
 * Any other ACK is ignored: answering a duplicate would double every block
 * from then on (Sorcerer's Apprentice). */
static int ack_of(const uint16_t *pkt, ssize_t n, size_t block)
{
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (n >= 2 && ntohs(pkt[0]) == ERROR)
		return -1;
	return n >= 4 && ntohs(pkt[0]) == ACK && ntohs(pkt[1]) == (uint16_t)block;
}

/* The flow's block is ACKed: 1 = the next one is sent, 0 = the end. */
static int advance(struct flow *f)
{
	f->tries = 0;
	if (f->block++ == f->last)
		return 0;
	return send_current(f) == 0;
}

/* Blocking, until the ACK of BLOCK: 1 = acked, 0 = timed out, -1 = end. */
static int wait_ack(int fd, size_t block)
{
	uint16_t pkt[2];

	for (;;) {
		ssize_t n = recv(fd, pkt, sizeof(pkt), 0);
		int acked = ack_of(pkt, n, block);
		if (acked != 0 || n < 0)
			return acked;
	}
}

/* Lock-step, blocking: the first block (or the OACK) until the last one is
 * ACKed; a block unacknowledged for RETRY_SECS is sent again. */
static void transfer_lockstep(struct flow *f)
{
	int more = send_current(f) == 0;

	while (more) {
		int acked = wait_ack(f->fd, f->block);
		if (acked > 0)
			more = advance(f);
		else
			more = acked == 0 && ++f->tries < TRIES && send_current(f) == 0;
	}
	close(f->fd);
}

/* The last block of the window from the flow's block (the OACK alone). */
static size_t window_end(const struct flow *f)
{
	size_t end = f->block + f->window - 1;

	return f->block == 0 ? 0 : end < f->last ? end : f->last;
}

/* Sends the window from the flow's block with one sendmmsg (or the OACK).
 * A partial send is as a loss: the client's ACK names the gap. */
static int send_window(const struct flow *f)
{
	struct mmsghdr msgs[WINDOW_MAX];
	struct iovec iovs[WINDOW_MAX][2];
	uint16_t hdrs[WINDOW_MAX][2];
	unsigned n = (unsigned)(window_end(f) - f->block + 1);

	if (f->block == 0)
		return send_oack(f);
	for (unsigned i = 0; i < n; i++) {
		block_iov(f->file, f->blksize, f->block + i, hdrs[i], iovs[i]);
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = iovs[i], .msg_iovlen = 2 } };
	}
	return sendmmsg(f->fd, msgs, n, 0) < 0 ? -1 : 0;
}

/* Blocking, until an ACK of a block from the one before the flow's window
 * to END (*acked, not wrapped): 1; 0 = timed out, -1 = end. */
static int wait_window_ack(const struct flow *f, size_t end, size_t *acked)
{
	size_t oldest = f->block == 0 ? 0 : f->block - 1;
	uint16_t pkt[2];

	for (;;) {
		ssize_t n = recv(f->fd, pkt, sizeof(pkt), 0);
		size_t back = n >= 4 ? (uint16_t)(end - ntohs(pkt[1])) : 0;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		if (n >= 2 && ntohs(pkt[0]) == ERROR)
			return -1;
		if (n >= 4 && ntohs(pkt[0]) == ACK && back <= end - oldest) {
			*acked = end - back;
			return 1;
		}
	}
}

/* Windowed, blocking: each window (the OACK first) until the last block is
 * ACKed; an ACK short of the window's end sends again from the block after
 * it, a window unacknowledged for RETRY_SECS is sent again. */
static void transfer_windows(struct flow *f)
{
	int more = send_window(f) == 0;

	while (more) {
		size_t acked;
		int got = wait_window_ack(f, window_end(f), &acked);
		if (got > 0 && acked == f->last)
			break;
		if (got > 0) {
			f->tries = 0;
			f->block = acked + 1;
			more = send_window(f) == 0;
		} else {
			more = got == 0 && ++f->tries < TRIES && send_window(f) == 0;
		}
	}
	close(f->fd);
}

static void transfer(struct flow *f)
{
	if (f->window > 1)
		transfer_windows(f);
	else
		transfer_lockstep(f);
}

/* A socket on an ephemeral port of ADDR, connected to the client. */
static int transfer_socket(const struct sockaddr_in *addr, const struct sockaddr_in *client)
{
	struct sockaddr_in local = *addr;
	struct timeval retry = { .tv_sec = RETRY_SECS };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	local.sin_port = 0;
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    connect(fd, (const struct sockaddr *)client, sizeof(*client)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &retry, sizeof(retry)) < 0)
		die("transfer socket");
	return fd;
}

/* Reads one datagram from the listening socket; an RRQ for one of FILES
 * becomes flow F (its socket made, nothing sent): 0, else -1. A windowsize
 * is OACKed only where WINDOWS (a design that sends windows). */
static int accept_rrq(int listen_fd, const struct sockaddr_in *addr, const struct file *files,
		      int nfiles, int windows, struct flow *f)
{
	static char pkt[PACKET_MAX];
	struct sockaddr_in client;
	socklen_t client_len = sizeof(client);
	ssize_t n = recvfrom(listen_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&client,
			     &client_len);
	unsigned blksize, window;
	const struct file *file =
		n > 0 ? parse_rrq(pkt, (size_t)n, files, nfiles, &blksize, &window) : NULL;

	if (!file)
		return -1;
	*f = (struct flow){ .file = file, .blksize = 512, .window = 1, .block = 1,
			    .ticked = (size_t)-1 };
	if (blksize != 0) {
		f->blksize = blksize < BLKSIZE_MIN ? BLKSIZE_MIN
			     : blksize > BLKSIZE_MAX ? BLKSIZE_MAX : blksize;
		f->asked |= ASKED_BLKSIZE;
	}
	if (windows && window != 0) {
		f->window = window > WINDOW_MAX ? WINDOW_MAX : window;
		f->asked |= ASKED_WINDOW;
	}
	if (f->asked)
		f->block = 0;
	f->last = file->size / f->blksize + 1;
	f->fd = transfer_socket(addr, &client);
	return 0;
}

/* Plain: one transfer at a time. */
static void serve(int listen_fd, const struct sockaddr_in *addr, const struct file *files,
		  int nfiles)
{
	struct flow f;

	for (;;)
		if (accept_rrq(listen_fd, addr, files, nfiles, 1, &f) == 0)
			transfer(&f);
}

static void *transfer_thread(void *f)
{
	transfer(f);
	free(f);
	return NULL;
}

/* -t: each transfer in a thread of its own. */
static void serve_threads(int listen_fd, const struct sockaddr_in *addr,
			  const struct file *files, int nfiles)
{
	pthread_attr_t detached;

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct flow *f = malloc(sizeof(*f));
		pthread_t thread;
		if (!f)
			die("malloc");
		if (accept_rrq(listen_fd, addr, files, nfiles, 1, f) != 0)
			free(f);
		else if (pthread_create(&thread, &detached, transfer_thread, f) != 0)
			die("pthread_create");
	}
}

/* -e: closing the socket takes it out of the epoll set. */
static void end_flow(struct flow *f)
{
	close(f->fd);
	f->fd = -1;
}

/* -e: a block whose ACK has not come since the last tick is sent again. */
static void on_tick(int tick_fd, struct flow *flows)
{
	uint64_t ticks;

	if (read(tick_fd, &ticks, sizeof(ticks)) < 0)
		return;
	for (struct flow *f = flows; f < flows + FLOWS_MAX; f++) {
		if (f->fd < 0)
			continue;
		if (f->block == f->ticked && (++f->tries == TRIES || send_current(f) != 0))
			end_flow(f);
		f->ticked = f->block;
	}
}

static void watch(int epoll_fd, int fd, uint64_t id)
{
	struct epoll_event readable = { .events = EPOLLIN, .data.u64 = id };

	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &readable) < 0)
		die("epoll_ctl");
}

/* -e: a new transfer in a free slot, its socket watched, its first send. */
static void on_request(int epoll_fd, int listen_fd, const struct sockaddr_in *addr,
		       const struct file *files, int nfiles, struct flow *flows)
{
	struct flow *f = flows;

	while (f < flows + FLOWS_MAX && f->fd >= 0)
		f++;
	if (f == flows + FLOWS_MAX) {	/* full: the client retries the RRQ */
		char byte;
		recv(listen_fd, &byte, 1, 0);
		return;
	}
	if (accept_rrq(listen_fd, addr, files, nfiles, 0, f) != 0)
		return;
	watch(epoll_fd, f->fd, (uint64_t)(f - flows));
	if (send_current(f) != 0)
		end_flow(f);
}

/* -e: the ACK waiting on f's socket. */
static void on_ack(struct flow *f)
{
	uint16_t pkt[2];
	ssize_t n = recv(f->fd, pkt, sizeof(pkt), MSG_DONTWAIT);
	int acked = ack_of(pkt, n, f->block);

	if (acked < 0 || (acked > 0 && !advance(f)))
		end_flow(f);
}

/* -e: one thread, one epoll set; event ids: a flow's slot, LISTEN, TICK. */
static void serve_epoll(int listen_fd, const struct sockaddr_in *addr,
			const struct file *files, int nfiles)
{
	enum { LISTEN = FLOWS_MAX, TICK };
	static struct flow flows[FLOWS_MAX];
	struct itimerspec every = { { RETRY_SECS, 0 }, { RETRY_SECS, 0 } };
	int epoll_fd = epoll_create1(0), tick_fd = timerfd_create(CLOCK_MONOTONIC, 0);

	if (epoll_fd < 0 || tick_fd < 0 || timerfd_settime(tick_fd, 0, &every, NULL) < 0)
		die("epoll, timerfd");
	for (int i = 0; i < FLOWS_MAX; i++)
		flows[i].fd = -1;
	watch(epoll_fd, listen_fd, LISTEN);
	watch(epoll_fd, tick_fd, TICK);
	for (;;) {
		struct epoll_event ready[EVENTS];
		int n = epoll_wait(epoll_fd, ready, EVENTS, -1);
		for (int i = 0; i < n; i++) {
			uint64_t id = ready[i].data.u64;
			if (id == LISTEN)
				on_request(epoll_fd, listen_fd, addr, files, nfiles, flows);
			else if (id == TICK)
				on_tick(tick_fd, flows);
			else if (flows[id].fd >= 0)	/* not ended earlier in this batch */
				on_ack(&flows[id]);
		}
	}
}

int main(int argc, char **argv)
{
	void (*serve_with)(int, const struct sockaddr_in *, const struct file *, int) = serve;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct file *files;
	int dir_fd, listen_fd, nfiles;

	if (argc > 1 && (strcmp(argv[1], "-e") == 0 || strcmp(argv[1], "-t") == 0)) {
		serve_with = argv[1][1] == 'e' ? serve_epoll : serve_threads;
		argv++, argc--;
	}
	nfiles = argc - 4;
	if (argc < 5 || inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "usage: tftpfloor [-e | -t] ADDR PORT DIR FILE...\n");
		return 2;
	}
	addr.sin_port = htons((uint16_t)atoi(argv[2]));
	dir_fd = open(argv[3], O_RDONLY | O_DIRECTORY);
	files = calloc((size_t)nfiles, sizeof(*files));
	if (dir_fd < 0 || !files)
		die(argv[3]);
	for (int i = 0; i < nfiles; i++)
		load(&files[i], dir_fd, argv[4 + i]);
	listen_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("listen socket");
	serve_with(listen_fd, &addr, files, nfiles);
}
