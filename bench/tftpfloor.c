/*
 * tftpfloor: the least CPU a lock-step TFTP sender can spend per block.
 * A bench reference, not a server: bench/tftp.sh runs it beside the real
 * ones and compiles it with `cc -O2 -o tftpfloor tftpfloor.c`.
 *
 *   tftpfloor [-e] ADDR PORT DIR FILE...
 *
 * FILE... (names inside DIR) are read into memory at start-up, so a
 * transfer does no file I/O. One RRQ at a time: octet only, blksize OACKed
 * (every other option left out, so windowsize is 1), a connected UDP socket
 * per transfer, blocking send and recv, one send per ACK. The only timer is
 * the recv's own (SO_RCVTIMEO, set once): a block unacknowledged for a
 * second is sent again. No logging: per block the kernel work any
 * lock-step server needs (recv the ACK, send the DATA, sleep, wake) and
 * next to nothing in user space.
 * -e waits in epoll_wait before each recv, as an event loop does: the
 * difference is what the readiness model itself costs per block.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

enum { RRQ = 1, DATA = 3, ACK = 4, ERROR = 5, OACK = 6 };
enum { BLKSIZE_MIN = 8, BLKSIZE_MAX = 65464, PACKET_MAX = 65536 };
enum { RETRY_SECS = 1, TRIES = 5 };	/* the only timer: the blocking recv's */

static int epoll_fd = -1;	/* -e: wait here before each recv */

struct file {
	const char *name;
	char *bytes;
	size_t size;
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

/* Parses an octet RRQ: its file, and the blksize asked (0: none). */
static const struct file *parse_rrq(const char *pkt, size_t len, const struct file *files,
				    int nfiles, unsigned *blksize)
{
	const char *at = pkt + 2, *end = pkt + len, *name, *mode, *key, *value;

	if (len < 4 || pkt[0] != 0 || pkt[1] != RRQ)
		return NULL;
	name = next_string(&at, end);
	mode = next_string(&at, end);
	if (!name || !mode || strcasecmp(mode, "octet") != 0)
		return NULL;
	*blksize = 0;
	while ((key = next_string(&at, end)) && (value = next_string(&at, end)))
		if (strcasecmp(key, "blksize") == 0)
			*blksize = (unsigned)strtoul(value, NULL, 10);
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

static int send_oack(int fd, unsigned blksize)
{
	char pkt[32] = { 0, OACK };
	int len = snprintf(pkt + 2, sizeof(pkt) - 2, "blksize%c%u", 0, blksize);

	return send(fd, pkt, (size_t)len + 3, 0) < 0 ? -1 : 0;
}

/* Sends block BLOCK (1-based, not wrapped) of FILE, straight from memory. */
static int send_block(int fd, const struct file *file, unsigned blksize, size_t block)
{
	size_t off = (block - 1) * blksize;
	size_t len = file->size - off < blksize ? file->size - off : blksize;
	uint16_t hdr[2] = { htons(DATA), htons((uint16_t)block) };
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { file->bytes + off, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	return sendmsg(fd, &msg, 0) < 0 ? -1 : 0;
}

/* Waits for the ACK of BLOCK: 1 = acked, 0 = timed out (resend), -1 = end.
 * Any other ACK is ignored: answering a duplicate would double every block
 * from then on (Sorcerer's Apprentice). */
static int wait_ack(int fd, size_t block)
{
	uint16_t pkt[2];

	for (;;) {
		struct epoll_event ready;
		int waited = epoll_fd < 0 ? 1 : epoll_wait(epoll_fd, &ready, 1, RETRY_SECS * 1000);
		if (waited == 0)
			return 0;
		ssize_t n = waited < 0 ? -1 : recv(fd, pkt, sizeof(pkt), 0);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		if (n >= 2 && ntohs(pkt[0]) == ERROR)
			return -1;
		if (n >= 4 && ntohs(pkt[0]) == ACK && ntohs(pkt[1]) == (uint16_t)block)
			return 1;
	}
}

/* Lock-step: block 1 (or the OACK, as block 0) until the last one is ACKed;
 * a block unacknowledged for RETRY_SECS is sent again, TRIES times at most. */
static void transfer(int fd, const struct file *file, unsigned blksize, int oack)
{
	size_t last = file->size / blksize + 1;	/* a short (maybe empty) block ends it */
	size_t block = oack ? 0 : 1;
	int tries = 0;

	for (;;) {
		int failed = block == 0 ? send_oack(fd, blksize) : send_block(fd, file, blksize, block);
		int acked = failed ? -1 : wait_ack(fd, block);
		if (acked < 0 || (acked == 0 && ++tries == TRIES))
			return;
		if (acked == 0)
			continue;
		tries = 0;
		if (block++ == last)
			return;
	}
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
	struct epoll_event readable = { .events = EPOLLIN };
	if (epoll_fd >= 0 && epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &readable) < 0)
		die("epoll_ctl");
	return fd;
}

static void serve(int listen_fd, const struct sockaddr_in *addr, const struct file *files,
		  int nfiles)
{
	static char pkt[PACKET_MAX];

	for (;;) {
		struct sockaddr_in client;
		socklen_t client_len = sizeof(client);
		ssize_t n = recvfrom(listen_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&client,
				     &client_len);
		unsigned blksize;
		const struct file *file = n > 0 ? parse_rrq(pkt, (size_t)n, files, nfiles, &blksize)
						: NULL;
		if (!file)
			continue;
		int fd = transfer_socket(addr, &client);
		if (blksize == 0)
			transfer(fd, file, 512, 0);
		else
			transfer(fd, file,
				 blksize < BLKSIZE_MIN ? BLKSIZE_MIN
				 : blksize > BLKSIZE_MAX ? BLKSIZE_MAX : blksize, 1);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct file *files;
	int dir_fd, listen_fd, nfiles;

	if (argc > 1 && strcmp(argv[1], "-e") == 0) {
		epoll_fd = epoll_create1(0);
		if (epoll_fd < 0)
			die("epoll_create1");
		argv++, argc--;
	}
	nfiles = argc - 4;
	if (argc < 5 || inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "usage: tftpfloor [-e] ADDR PORT DIR FILE...\n");
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
	serve(listen_fd, &addr, files, nfiles);
}
