/*
 * tftpget: a TFTP read client cheap enough that a single windowed transfer
 * on loopback measures the server rather than the client (bench/tftpc.py,
 * in Python, spends ~5-6 s of CPU per GB). A bench tool, not part of the
 * suite: bench/tftp.sh compiles it with `cc -O2 -o tftpget tftpget.c`.
 *
 *   tftpget [-b BLKSIZE] [-w WINDOWSIZE] [-s] [-o FILE] [-t TIMEOUT_MS]
 *           [-r RETRIES] [-c CAP_SECS] HOST PORT FILE
 *
 * One RRQ, octet, asking only the options given (-s: tsize 0). Receives
 * with recvmmsg, up to BATCH datagrams a call, and writes the in-order
 * blocks of a call with one writev (to FILE, default /dev/null; the caller
 * checks its bytes). ACKs as tftpc.py does, so the two clients ask the
 * same of a server (RFC 7440 section 4): at the end of each window and on
 * the last block; on a gap or a duplicate, the last block received in
 * order at once, once until the next block in order arrives; when nothing
 * arrives for TIMEOUT_MS (default 1000), that block again.
 * Bounded: RETRIES silent timeouts in a row (default 20) or CAP_SECS in all
 * (default 120) end the transfer unfinished (done=0).
 * A windowsize asked and not acknowledged ends it at the OACK (ERROR 8),
 * so a lock-step transfer is never timed as a windowed one.
 *
 * Prints one line with tftpc.py's keys: bytes secs data dups oack done
 * timeouts reacks (no ok=: there is no checksum here). An ERROR from the
 * server or a failed system call prints error=... and exits 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { RRQ = 1, DATA = 3, ACK = 4, ERROR = 5, OACK = 6 };
enum { BATCH = 64, DEFAULT_BLKSIZE = 512, RCVBUF = 16 << 20, OACK_TEXT = 256 };

struct options {
	const char *host, *port, *file, *out;
	unsigned blksize, window;	/* asked; 0: not asked */
	int tsize;
	int timeout_ms, retries;
	double cap_secs;
};

struct transfer {
	int fd, out_fd;
	int connected;			/* to the server's TID, after its first reply */
	unsigned blksize, window;	/* in force: the OACK's, else RFC 1350's */
	uint64_t expected;		/* next block in order, not wrapped */
	unsigned in_window;		/* blocks in order since the last ACK */
	int reacked;			/* a gap or duplicate answered, none in order since */
	int finished, stopped;
	uint64_t received, packets, dups, timeouts, reacks;
	char oack[OACK_TEXT];		/* "key:value,..." as acknowledged */
	struct mmsghdr msgs[BATCH];
	struct iovec iovs[BATCH];
	char *bufs;
	size_t buf_size;
};

static void fail(const char *what)
{
	printf("error=%s:%s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Appends "key\0value\0" to the request at *len. */
static void add_option(char *rrq, size_t *len, size_t size, const char *key, unsigned value)
{
	int n = snprintf(rrq + *len, size - *len, "%s%c%u", key, 0, value);

	if (n < 0 || (size_t)n + 1 >= size - *len) {
		errno = ENAMETOOLONG;
		fail("request");
	}
	*len += (size_t)n + 1;
}

static size_t build_rrq(char *rrq, size_t size, const struct options *o)
{
	int n = snprintf(rrq, size, "%c%c%s%coctet", 0, RRQ, o->file, 0);
	size_t len;

	if (n < 0 || (size_t)n + 1 >= size) {
		errno = ENAMETOOLONG;
		fail("request");
	}
	len = (size_t)n + 1;
	if (o->blksize)
		add_option(rrq, &len, size, "blksize", o->blksize);
	if (o->tsize)
		add_option(rrq, &len, size, "tsize", 0);
	if (o->window)
		add_option(rrq, &len, size, "windowsize", o->window);
	return len;
}

static void send_packet(struct transfer *x, const void *pkt, size_t len)
{
	if (send(x->fd, pkt, len, 0) < 0)
		fail("send");
}

static void send_ack(struct transfer *x, uint64_t block)
{
	uint16_t ack[2] = { htons(ACK), htons((uint16_t)block) };

	send_packet(x, ack, sizeof(ack));
	x->in_window = 0;
}

/* ACKs the last block in order, once until the next one arrives. */
static void reack(struct transfer *x)
{
	if (x->reacked)
		return;
	send_ack(x, x->expected - 1);
	x->reacked = 1;
	x->reacks++;
}

/* Notes one acknowledged option in x->oack and applies blksize/windowsize. */
static void take_option(struct transfer *x, char *key, const char *value)
{
	size_t used = strlen(x->oack);

	for (char *c = key; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (strcmp(key, "blksize") == 0)
		x->blksize = (unsigned)strtoul(value, NULL, 10);
	else if (strcmp(key, "windowsize") == 0)
		x->window = (unsigned)strtoul(value, NULL, 10);
	snprintf(x->oack + used, sizeof(x->oack) - used, "%s%s:%s", used ? "," : "", key, value);
}

static void on_oack(struct transfer *x, char *body, size_t len, const struct options *o)
{
	char *end = body + len;

	if (x->expected != 1 || x->oack[0])
		return;		/* a resent OACK: our ACK 0 was lost, the timer resends it */
	while (body < end) {
		char *key = body, *key_end = memchr(key, 0, (size_t)(end - key));
		char *value = key_end + 1, *value_end;
		if (!key_end || value >= end || !(value_end = memchr(value, 0, (size_t)(end - value))))
			break;
		take_option(x, key, value);
		body = value_end + 1;
	}
	if (x->blksize < 1 || x->blksize > x->buf_size - 4 || !x->window) {
		printf("error=bad OACK %s\n", x->oack);
		exit(1);
	}
	if (o->window > 1 && !strstr(x->oack, "windowsize:")) {
		static const char refuse[] = "\0\5\0\10windowsize";
		send_packet(x, refuse, sizeof(refuse));
		x->stopped = 1;
		return;
	}
	send_ack(x, 0);
}

/* Takes DATA block BLOCK of LEN bytes: 1 when it is the next in order. */
static int on_data(struct transfer *x, uint16_t block, size_t len)
{
	x->packets++;
	if (block != (uint16_t)x->expected) {
		if ((uint16_t)(x->expected - block) > 0 &&
		    (uint16_t)(x->expected - block) <= 2 * x->window)
			x->dups++;
		reack(x);
		return 0;
	}
	x->reacked = 0;
	x->received += len;
	x->finished = len < x->blksize;
	if (x->finished || ++x->in_window >= x->window)
		send_ack(x, x->expected);
	x->expected++;
	return 1;
}

static void write_blocks(struct transfer *x, const struct iovec *blocks, int count)
{
	size_t total = 0;

	for (int i = 0; i < count; i++)
		total += blocks[i].iov_len;
	if (count && writev(x->out_fd, blocks, count) != (ssize_t)total)
		fail("write");
}

/* Handles the COUNT datagrams of one receive, in the order they came. */
static void on_batch(struct transfer *x, int count, const struct options *o)
{
	struct iovec blocks[BATCH];
	int in_order = 0;

	for (int i = 0; i < count && !x->finished && !x->stopped; i++) {
		char *pkt = x->bufs + (size_t)i * x->buf_size;
		size_t len = x->msgs[i].msg_len;
		uint16_t opcode = len >= 4 ? (uint16_t)((uint8_t)pkt[0] << 8 | (uint8_t)pkt[1]) : 0;
		uint16_t block = len >= 4 ? (uint16_t)((uint8_t)pkt[2] << 8 | (uint8_t)pkt[3]) : 0;

		if (opcode == OACK)
			on_oack(x, pkt + 2, len - 2, o);
		else if (opcode == DATA && on_data(x, block, len - 4))
			blocks[in_order++] = (struct iovec){ pkt + 4, len - 4 };
		else if (opcode == ERROR) {
			printf("error=%.*s\n", (int)strnlen(pkt + 4, len - 4), pkt + 4);
			exit(1);
		}
	}
	write_blocks(x, blocks, in_order);
}

/* The first reply: learns the server's TID and connects to it, so the
 * kernel keeps every other sender out. 1, or -1 as recvmmsg would. */
static int receive_first(struct transfer *x)
{
	struct sockaddr_storage from;
	socklen_t from_len = sizeof(from);
	ssize_t n = recvfrom(x->fd, x->bufs, x->buf_size, 0, (struct sockaddr *)&from, &from_len);

	if (n < 0)
		return -1;
	if (connect(x->fd, (struct sockaddr *)&from, from_len) < 0)
		fail("connect");
	x->connected = 1;
	x->msgs[0].msg_len = (unsigned)n;
	return 1;
}

/* A timeout: the request again, or (RFC 7440) the last block in order. */
static void on_timeout(struct transfer *x, const struct sockaddr *server, socklen_t server_len,
		       const char *rrq, size_t rrq_len)
{
	x->timeouts++;
	if (!x->connected) {
		if (sendto(x->fd, rrq, rrq_len, 0, server, server_len) < 0)
			fail("sendto");
	} else {
		send_ack(x, x->expected - 1);
	}
}

static double run(struct transfer *x, const struct options *o, const struct sockaddr *server,
		  socklen_t server_len)
{
	char rrq[1024];
	size_t rrq_len = build_rrq(rrq, sizeof(rrq), o);
	double start = now(), deadline = start + o->cap_secs;
	int tries = 0;

	if (sendto(x->fd, rrq, rrq_len, 0, server, server_len) < 0)
		fail("sendto");
	while (!x->finished && !x->stopped && now() < deadline) {
		int n = x->connected ? recvmmsg(x->fd, x->msgs, BATCH, MSG_WAITFORONE, NULL)
				     : receive_first(x);
		if (n >= 0) {
			tries = 0;
			on_batch(x, n, o);
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (++tries > o->retries)
				break;
			on_timeout(x, server, server_len, rrq, rrq_len);
		} else if (errno != EINTR) {
			fail("recv");
		}
	}
	return now() - start;
}

static void setup(struct transfer *x, const struct options *o)
{
	struct timeval timeout = { o->timeout_ms / 1000, (o->timeout_ms % 1000) * 1000 };
	int rcvbuf = RCVBUF;

	x->blksize = DEFAULT_BLKSIZE;
	x->window = 1;
	x->expected = 1;
	x->buf_size = (o->blksize > DEFAULT_BLKSIZE ? o->blksize : DEFAULT_BLKSIZE) + 4;
	x->bufs = malloc(BATCH * x->buf_size);
	x->fd = socket(AF_INET, SOCK_DGRAM, 0);
	x->out_fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!x->bufs || x->fd < 0 || x->out_fd < 0)
		fail("setup");
	/* Room for a whole window of the largest blocks (64 x 64 kB); as root
	 * past rmem_max, else as much as rmem_max allows. */
	if (setsockopt(x->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(x->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
		fail("SO_RCVTIMEO");
	for (int i = 0; i < BATCH; i++) {
		x->iovs[i] = (struct iovec){ x->bufs + (size_t)i * x->buf_size, x->buf_size };
		x->msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &x->iovs[i], .msg_iovlen = 1 };
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: tftpget [-b BLKSIZE] [-w WINDOWSIZE] [-s] [-o FILE] "
			"[-t TIMEOUT_MS] [-r RETRIES] [-c CAP_SECS] HOST PORT FILE\n");
	exit(2);
}

static void parse_args(struct options *o, int argc, char **argv)
{
	int opt;

	*o = (struct options){ .out = "/dev/null", .timeout_ms = 1000, .retries = 20,
			       .cap_secs = 120 };
	while ((opt = getopt(argc, argv, "b:w:so:t:r:c:")) != -1) {
		switch (opt) {
		case 'b': o->blksize = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': o->window = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': o->tsize = 1; break;
		case 'o': o->out = optarg; break;
		case 't': o->timeout_ms = atoi(optarg); break;
		case 'r': o->retries = atoi(optarg); break;
		case 'c': o->cap_secs = atof(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 3 || (o->blksize && (o->blksize < 8 || o->blksize > 65464)) ||
	    o->window > 65535 || o->timeout_ms <= 0 || o->retries < 0 || o->cap_secs <= 0)
		usage();
	o->host = argv[optind];
	o->port = argv[optind + 1];
	o->file = argv[optind + 2];
}

int main(int argc, char **argv)
{
	struct options o;
	struct sockaddr_in server = { .sin_family = AF_INET };
	static struct transfer x;
	double secs;

	parse_args(&o, argc, argv);
	server.sin_port = htons((uint16_t)atoi(o.port));
	if (inet_pton(AF_INET, o.host, &server.sin_addr) != 1)
		usage();
	setup(&x, &o);
	secs = run(&x, &o, (struct sockaddr *)&server, sizeof(server));
	printf("bytes=%llu secs=%.4f data=%llu dups=%llu oack=%s done=%d timeouts=%llu "
	       "reacks=%llu\n", (unsigned long long)x.received, secs,
	       (unsigned long long)x.packets, (unsigned long long)x.dups,
	       x.oack[0] ? x.oack : "-", x.finished, (unsigned long long)x.timeouts,
	       (unsigned long long)x.reacks);
	return 0;
}
