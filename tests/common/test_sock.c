/* sock: address text both ways, bind helpers, and pktinfo on loopback:
 * the destination address and interface of a datagram, and a reply sent
 * from a chosen local address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <unistd.h>

#include "sock.h"

static const char *str(const struct sockaddr_storage *ss, int with_port)
{
	static char buf[64];
	return sock_addr_str((const struct sockaddr *)ss, with_port, buf, sizeof buf);
}

static void test_parse_v4(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(sock_addr_parse("198.18.0.1", 69, AF_UNSPEC, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_string_equal(str(&ss, 1), "198.18.0.1:69");
	assert_string_equal(str(&ss, 0), "198.18.0.1");
	assert_int_equal(sock_addr_port((struct sockaddr *)&ss), 69);
	sock_addr_set_port((struct sockaddr *)&ss, 4011);
	assert_string_equal(str(&ss, 1), "198.18.0.1:4011");
	assert_int_equal(sock_addr_len((struct sockaddr *)&ss), sizeof(struct sockaddr_in));
}

static void test_parse_v6(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(sock_addr_parse("2001:db8::1", 69, AF_UNSPEC, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_string_equal(str(&ss, 1), "[2001:db8::1]:69");
	assert_string_equal(str(&ss, 0), "2001:db8::1");
	assert_int_equal(sock_addr_len((struct sockaddr *)&ss), sizeof(struct sockaddr_in6));
}

static void test_parse_any_and_errors(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(sock_addr_parse(NULL, 21, AF_UNSPEC, &ss, &len), 0);
	assert_string_equal(str(&ss, 1), "0.0.0.0:21");
	assert_int_equal(sock_addr_parse("", 21, AF_INET6, &ss, &len), 0);
	assert_string_equal(str(&ss, 1), "[::]:21");
	assert_int_equal(sock_addr_parse("198.18.0.300", 1, AF_UNSPEC, &ss, &len), -1);
	assert_int_equal(sock_addr_parse("host.example", 1, AF_UNSPEC, &ss, &len), -1);
	assert_int_equal(sock_addr_parse("::1", 1, AF_INET, &ss, &len), -1);
	assert_int_equal(sock_addr_parse("127.0.0.1", 1, AF_INET6, &ss, &len), -1);
	assert_int_equal(sock_addr_parse("127.0.0.1", 1, AF_UNIX, &ss, &len), -1);
}

/* A UDP socket on 127.0.0.1, kernel-chosen port, with pktinfo. */
static int bind_loopback(struct sockaddr_storage *ss, socklen_t *len, unsigned flags)
{
	assert_int_equal(sock_addr_parse("127.0.0.1", 0, AF_INET, ss, len), 0);
	int fd = sock_udp_bind((struct sockaddr *)ss, *len, flags);
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)ss, len), 0);
	return fd;
}

static void test_pktinfo_recv_and_send_from(void **state)
{
	struct sockaddr_storage srv_addr, cli_addr;
	socklen_t srv_len, cli_len;
	int srv = bind_loopback(&srv_addr, &srv_len, SOCK_F_PKTINFO | SOCK_F_REUSEADDR);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	assert_int_equal(sendto(cli, "ping", 4, 0, (struct sockaddr *)&srv_addr, srv_len), 4);

	char buf[16];
	struct sock_pktinfo info;
	assert_int_equal(sock_recv(srv, buf, sizeof buf, &info), 4);
	assert_memory_equal(buf, "ping", 4);
	assert_string_equal(str(&info.local, 0), "127.0.0.1");
	assert_int_equal(info.ifindex, (int)if_nametoindex("lo"));
	char peer[64], want[64];
	assert_string_equal(sock_addr_str((struct sockaddr *)&info.peer, 1, peer, sizeof peer),
			    sock_addr_str((struct sockaddr *)&cli_addr, 1, want, sizeof want));

	/* The reply leaves from the address the request was sent to. */
	assert_int_equal(sock_send(srv, "pong", 4, (struct sockaddr *)&info.peer,
				   (struct sockaddr *)&info.local, info.ifindex), 4);
	struct sockaddr_storage from;
	socklen_t from_len = sizeof from;
	assert_int_equal(recvfrom(cli, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len), 4);
	assert_memory_equal(buf, "pong", 4);
	assert_string_equal(sock_addr_str((struct sockaddr *)&from, 1, peer, sizeof peer),
			    sock_addr_str((struct sockaddr *)&srv_addr, 1, want, sizeof want));
	close(srv);
	close(cli);
}

/* A socket bound to 0.0.0.0 answers from the address the client used,
 * here 127.0.0.2 or .3, only because sock_send sets it. */
static void test_send_from_chosen_address(void **state)
{
	struct sockaddr_storage any, cli_addr, src;
	socklen_t len, cli_len;
	assert_int_equal(sock_addr_parse("0.0.0.0", 0, AF_INET, &any, &len), 0);
	int srv = sock_udp_bind((struct sockaddr *)&any, len, SOCK_F_PKTINFO);
	assert_true(srv >= 0);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	static const char *const sources[] = { "127.0.0.2", "127.0.0.3" };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sock_addr_parse(sources[i], 0, AF_INET, &src, &len), 0);
		assert_int_equal(sock_send(srv, "x", 1, (struct sockaddr *)&cli_addr,
					   (struct sockaddr *)&src, 0), 1);
		char buf[4];
		struct sockaddr_storage from;
		socklen_t from_len = sizeof from;
		assert_int_equal(recvfrom(cli, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len), 1);
		assert_string_equal(str(&from, 0), sources[i]);
	}
	close(srv);
	close(cli);
}

static void test_truncated_datagram(void **state)
{
	struct sockaddr_storage srv_addr, cli_addr;
	socklen_t srv_len, cli_len;
	int srv = bind_loopback(&srv_addr, &srv_len, SOCK_F_PKTINFO);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	assert_int_equal(sendto(cli, "0123456789", 10, 0, (struct sockaddr *)&srv_addr, srv_len), 10);
	char buf[4];
	struct sock_pktinfo info;
	errno = 0;
	assert_int_equal(sock_recv(srv, buf, sizeof buf, &info), -1);
	assert_int_equal(errno, EMSGSIZE);
	close(srv);
	close(cli);
}

static void test_pktinfo_v6(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(sock_addr_parse("::1", 0, AF_INET6, &ss, &len), 0);
	int srv = sock_udp_bind((struct sockaddr *)&ss, len, SOCK_F_PKTINFO | SOCK_F_V6ONLY);
	if (srv < 0)
		skip();   /* no IPv6 on this host */
	assert_int_equal(getsockname(srv, (struct sockaddr *)&ss, &len), 0);
	int cli = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_int_equal(sendto(cli, "v6", 2, 0, (struct sockaddr *)&ss, len), 2);
	char buf[8];
	struct sock_pktinfo info;
	assert_int_equal(sock_recv(srv, buf, sizeof buf, &info), 2);
	assert_string_equal(str(&info.local, 0), "::1");
	assert_int_equal(info.ifindex, (int)if_nametoindex("lo"));
	assert_int_equal(sock_send(srv, "r", 1, (struct sockaddr *)&info.peer,
				   (struct sockaddr *)&info.local, info.ifindex), 1);
	assert_int_equal(recv(cli, buf, sizeof buf, 0), 1);
	close(srv);
	close(cli);
}

static void test_bind_range(void **state)
{
	struct sockaddr_storage ss, got;
	socklen_t len, got_len = sizeof got;
	assert_int_equal(sock_addr_parse("127.0.0.1", 0, AF_INET, &ss, &len), 0);
	int first = sock_udp_bind_range((struct sockaddr *)&ss, 0, 0, 0);
	assert_true(first >= 0);
	assert_int_equal(getsockname(first, (struct sockaddr *)&got, &got_len), 0);
	uint16_t port = sock_addr_port((struct sockaddr *)&got);
	assert_true(port > 0);
	/* A range of two ports, one taken: the other is the only answer. */
	uint16_t lo = port == 65535 ? port - 1 : port;
	uint16_t other = lo == port ? port + 1 : lo;
	int fd = sock_udp_bind_range((struct sockaddr *)&ss, lo, (uint16_t)(lo + 1), 0);
	if (fd < 0)
		skip();   /* the neighbour port is busy on this host */
	got_len = sizeof got;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&got, &got_len), 0);
	assert_int_equal(sock_addr_port((struct sockaddr *)&got), other);
	/* Both taken now. */
	assert_int_equal(sock_udp_bind_range((struct sockaddr *)&ss, lo, (uint16_t)(lo + 1), 0), -1);
	assert_int_equal(errno, EADDRINUSE);
	assert_int_equal(sock_udp_bind_range((struct sockaddr *)&ss, 10, 9, 0), -1);
	close(fd);
	close(first);
}

static void test_tcp_listen(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(sock_addr_parse("127.0.0.1", 0, AF_INET, &ss, &len), 0);
	int fd = sock_tcp_listen((struct sockaddr *)&ss, len, 4, SOCK_F_REUSEADDR | SOCK_F_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&ss, len), 0);
	int a = accept(fd, NULL, NULL);
	assert_true(a >= 0);
	close(a);
	close(c);
	assert_int_equal(accept(fd, NULL, NULL), -1);   /* non-blocking */
	assert_int_equal(errno, EAGAIN);
	close(fd);
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage got;
	socklen_t len = sizeof got;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&got, &len), 0);
	return sock_addr_port((struct sockaddr *)&got);
}

static void test_tcp_listen_range(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(sock_addr_parse("127.0.0.1", 0, AF_INET, &ss, &len), 0);
	int first = sock_tcp_listen_range((struct sockaddr *)&ss, 0, 0, 1, SOCK_F_NONBLOCK);
	assert_true(first >= 0);
	uint16_t port = bound_port(first);
	assert_true(port > 0);
	/* A range of two ports, one listening: the other is the only answer. */
	uint16_t lo = port == 65535 ? port - 1 : port;
	uint16_t other = lo == port ? port + 1 : lo;
	int fd = sock_tcp_listen_range((struct sockaddr *)&ss, lo, (uint16_t)(lo + 1), 1,
				       SOCK_F_NONBLOCK);
	if (fd < 0)
		skip();   /* the neighbour port is busy on this host */
	assert_int_equal(bound_port(fd), other);
	/* It listens: a client connects and is accepted. */
	int client = socket(AF_INET, SOCK_STREAM, 0);
	sock_addr_set_port((struct sockaddr *)&ss, other);
	assert_int_equal(connect(client, (struct sockaddr *)&ss, len), 0);
	int accepted = accept(fd, NULL, NULL);
	assert_true(accepted >= 0);
	close(accepted);
	close(client);
	/* Both taken now. */
	assert_int_equal(sock_tcp_listen_range((struct sockaddr *)&ss, lo, (uint16_t)(lo + 1), 1, 0), -1);
	assert_int_equal(errno, EADDRINUSE);
	assert_int_equal(sock_tcp_listen_range((struct sockaddr *)&ss, 10, 9, 1, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(sock_tcp_listen_range((struct sockaddr *)&ss, 0, 0, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	close(fd);
	close(first);
}

static void test_if_mtu(void **state)
{
	FILE *f = fopen("/sys/class/net/lo/mtu", "r");
	int want = -1;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &want), 1);
	fclose(f);
	assert_int_equal(sock_if_mtu((int)if_nametoindex("lo")), want);
	assert_int_equal(sock_if_mtu(0), -1);
	assert_int_equal(sock_if_mtu(999999), -1);
}

/* 70 datagrams (more than one recvmmsg) read in one call, each with its
 * source and destination; the next call finds none. */
static void test_batch_recv(void **state)
{
	struct sockaddr_storage srv_addr, cli_addr;
	socklen_t srv_len, cli_len;
	int srv = bind_loopback(&srv_addr, &srv_len, SOCK_F_PKTINFO | SOCK_F_NONBLOCK);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	enum { N = 70 };
	for (int i = 0; i < N; i++)
		assert_int_equal(sendto(cli, &i, sizeof i, 0, (struct sockaddr *)&srv_addr, srv_len), sizeof i);
	static char bufs[N + 10][16];
	struct sock_rx rx[N + 10];
	for (int i = 0; i < N + 10; i++)
		rx[i] = (struct sock_rx){ .buf = bufs[i], .size = sizeof bufs[i] };
	assert_int_equal(sock_recv_batch(srv, rx, N + 10), N);
	for (int i = 0; i < N; i++) {
		int got;
		assert_int_equal(rx[i].len, sizeof got);
		assert_false(rx[i].truncated);
		memcpy(&got, bufs[i], sizeof got);
		assert_int_equal(got, i);
		assert_string_equal(str(&rx[i].info.local, 0), "127.0.0.1");
		assert_int_equal(rx[i].info.ifindex, (int)if_nametoindex("lo"));
		assert_string_equal(str(&rx[i].info.peer, 1), str(&cli_addr, 1));
		assert_int_equal(rx[i].info.rxq_dropped, 0);
	}
	assert_int_equal(sock_recv_batch(srv, rx, N), 0);
	close(srv);
	close(cli);
}

/* A datagram longer than its buffer is marked; with SOCK_F_RXQ_OVFL a
 * datagram tells how many the full queue dropped before it. */
static void test_batch_truncated_and_drops(void **state)
{
	struct sockaddr_storage srv_addr, cli_addr;
	socklen_t srv_len, cli_len;
	int srv = bind_loopback(&srv_addr, &srv_len, SOCK_F_PKTINFO | SOCK_F_NONBLOCK | SOCK_F_RXQ_OVFL);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	int small = 1;   /* the kernel's minimum: a few datagrams */
	assert_int_equal(setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
	static char payload[1000], bufs[64][10];
	enum { SENT = 64 };
	for (int i = 0; i < SENT; i++)
		assert_int_equal(sendto(cli, payload, sizeof payload, 0, (struct sockaddr *)&srv_addr, srv_len),
				 sizeof payload);
	struct sock_rx rx[64];
	for (int i = 0; i < 64; i++)
		rx[i] = (struct sock_rx){ .buf = bufs[i], .size = sizeof bufs[i] };
	ssize_t queued = sock_recv_batch(srv, rx, 64);
	assert_true(queued > 0 && queued < SENT);
	assert_true(rx[0].truncated);
	assert_int_equal(rx[0].len, sizeof bufs[0]);
	assert_int_equal(sendto(cli, "x", 1, 0, (struct sockaddr *)&srv_addr, srv_len), 1);
	assert_int_equal(sock_recv_batch(srv, rx, 64), 1);
	assert_false(rx[0].truncated);
	assert_int_equal(rx[0].info.rxq_dropped, SENT - queued);
	close(srv);
	close(cli);
}

/* One send for three datagrams, each from its own source address; the
 * one that fails (port 0) is marked and the next still leaves. */
static void test_batch_send(void **state)
{
	struct sockaddr_storage any, cli_addr, bad, src[2];
	socklen_t len, cli_len;
	assert_int_equal(sock_addr_parse("0.0.0.0", 0, AF_INET, &any, &len), 0);
	int srv = sock_udp_bind((struct sockaddr *)&any, len, SOCK_F_PKTINFO);
	assert_true(srv >= 0);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	assert_int_equal(sock_addr_parse("127.0.0.1", 0, AF_INET, &bad, &len), 0);
	assert_int_equal(sock_addr_parse("127.0.0.2", 0, AF_INET, &src[0], &len), 0);
	assert_int_equal(sock_addr_parse("127.0.0.3", 0, AF_INET, &src[1], &len), 0);
	struct sock_tx tx[] = {
		{ .buf = "a", .len = 1, .to = (struct sockaddr *)&cli_addr, .from = (struct sockaddr *)&src[0] },
		{ .buf = "b", .len = 1, .to = (struct sockaddr *)&bad },
		{ .buf = "c", .len = 1, .to = (struct sockaddr *)&cli_addr, .from = (struct sockaddr *)&src[1] },
	};
	assert_int_equal(sock_send_batch(srv, tx, 3), 2);
	assert_int_equal(tx[0].err, 0);
	assert_int_equal(tx[1].err, EINVAL);
	assert_int_equal(tx[2].err, 0);
	static const char *const want[][2] = { { "a", "127.0.0.2" }, { "c", "127.0.0.3" } };
	for (int i = 0; i < 2; i++) {
		char buf[4] = "";
		struct sockaddr_storage from;
		socklen_t from_len = sizeof from;
		assert_int_equal(recvfrom(cli, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len), 1);
		assert_memory_equal(buf, want[i][0], 1);
		assert_string_equal(str(&from, 0), want[i][1]);
	}
	close(srv);
	close(cli);
}

/* In order: pieces gathered into one datagram, one cut into segments by
 * UDP GSO, then a failure that ends the send before the last one. */
static void test_ordered_send(void **state)
{
	struct sockaddr_storage any, cli_addr, bad;
	socklen_t len, cli_len;
	assert_int_equal(sock_addr_parse("127.0.0.1", 0, AF_INET, &any, &len), 0);
	int srv = sock_udp_bind((struct sockaddr *)&any, len, 0);
	assert_true(srv >= 0);
	int cli = bind_loopback(&cli_addr, &cli_len, 0);
	bad = any;
	struct iovec pieces[] = { { "a", 1 }, { "bc", 2 } };
	struct sock_tx tx[] = {
		{ .iov = pieces, .iovlen = 2, .to = (struct sockaddr *)&cli_addr },
		{ .buf = "ddeeff", .len = 6, .to = (struct sockaddr *)&cli_addr, .gso_size = 2 },
		{ .buf = "g", .len = 1, .to = (struct sockaddr *)&bad },
		{ .buf = "h", .len = 1, .to = (struct sockaddr *)&cli_addr },
	};
	assert_int_equal(sock_send_ordered(srv, tx, 4), 2);
	assert_int_equal(tx[2].err, EINVAL);
	static const char *const want[] = { "abc", "dd", "ee", "ff" };
	for (int i = 0; i < 4; i++) {
		char buf[8] = "";
		assert_int_equal(recv(cli, buf, sizeof buf, 0), (ssize_t)strlen(want[i]));
		assert_string_equal(buf, want[i]);
	}
	assert_int_equal(recv(cli, (char[8]){ 0 }, 8, MSG_DONTWAIT), -1);
	close(srv);
	close(cli);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_any_and_errors),
		cmocka_unit_test(test_pktinfo_recv_and_send_from),
		cmocka_unit_test(test_send_from_chosen_address),
		cmocka_unit_test(test_truncated_datagram),
		cmocka_unit_test(test_pktinfo_v6),
		cmocka_unit_test(test_bind_range),
		cmocka_unit_test(test_tcp_listen),
		cmocka_unit_test(test_tcp_listen_range),
		cmocka_unit_test(test_if_mtu),
		cmocka_unit_test(test_batch_recv),
		cmocka_unit_test(test_batch_truncated_and_drops),
		cmocka_unit_test(test_batch_send),
		cmocka_unit_test(test_ordered_send),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
