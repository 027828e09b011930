/* event: the key=value line format and its delivery to a listener on the
 * abstract socket, plus the log copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "event.h"
#include "log.h"

static void test_format_plain(void **state)
{
	char line[EVENT_MAX_LINE];
	const char *kv[] = { "client", "198.18.0.2", "file", "pxelinux.0" };
	size_t n = event_format(line, sizeof line, "tftpd", "rrq", kv, 4);
	assert_string_equal(line, "event=tftpd.rrq client=198.18.0.2 file=pxelinux.0");
	assert_int_equal(n, strlen(line));
}

static void test_format_quoting(void **state)
{
	char line[EVENT_MAX_LINE];
	const char *kv[] = { "a", "two words", "b", "", "c", "x=y", "d", "q\"t\\", "e", "\x01\n" };
	event_format(line, sizeof line, "ftpd", "x", kv, 10);
	assert_string_equal(line, "event=ftpd.x a=\"two words\" b=\"\" c=\"x=y\" d=\"q\\\"t\\\\\" e=\"\\x01\\x0a\"");
}

static void test_format_drops_whole_pairs(void **state)
{
	char line[32];
	const char *kv[] = { "ip", "198.18.0.2", "client", "198.18.0.2", "f", "x" };
	size_t n = event_format(line, sizeof line, "dhcpd", "offer", kv, 6);
	assert_string_equal(line, "event=dhcpd.offer ip=198.18.0.2");
	assert_int_equal(n, strlen(line));
	assert_int_equal(event_format(line, 0, "d", "n", NULL, 0), 0);
}

struct captured {
	char line[EVENT_MAX_LINE];
	int prio;
};

static void capture(int prio, const char *line, void *ctx)
{
	struct captured *c = ctx;
	c->prio = prio;
	snprintf(c->line, sizeof c->line, "%s", line);
}

static void test_emit_reaches_listener(void **state)
{
	char name[64];
	snprintf(name, sizeof name, "pxesuite-test/events-%d", (int)getpid());
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	memcpy(sun.sun_path + 1, name, strlen(name));
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name))), 0);
	setenv("PXE_EVENT_SOCKET", name, 1);
	struct captured logged = { .prio = -1 };
	log_set_sink(capture, &logged);
	event_open("dhcpd");
	event_emit("ack", "mac", "52:54:00:12:34:56", "ip", "198.18.0.10", NULL);

	/* "event=dhcpd.ack ts=SECONDS.mmm mac=... ip=..." */
	char buf[EVENT_MAX_LINE] = "";
	ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	long long secs;
	int msecs, used = 0;
	assert_int_equal(sscanf(buf, "event=dhcpd.ack ts=%lld.%3d%n", &secs, &msecs, &used), 2);
	assert_true(secs > 1700000000LL);
	assert_string_equal(buf + used, " mac=52:54:00:12:34:56 ip=198.18.0.10");
	assert_string_equal(logged.line, buf);
	assert_int_equal(logged.prio, LOG_INFO);

	/* Listener gone: emitting still works and only logs. */
	close(fd);
	logged.line[0] = '\0';
	event_emit("nak", NULL);
	assert_true(strncmp(logged.line, "event=dhcpd.nak ts=", 19) == 0);
	event_close();
	log_set_sink(NULL, NULL);
	unsetenv("PXE_EVENT_SOCKET");
}

/* A listener on a fresh abstract name (PXE_EVENT_SOCKET set to it). */
static int listen_events(void)
{
	char name[64];
	snprintf(name, sizeof name, "pxesuite-test/batch-%d", (int)getpid());
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	memcpy(sun.sun_path + 1, name, strlen(name));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name))), 0);
	setenv("PXE_EVENT_SOCKET", name, 1);
	return fd;
}

/* The event name of the next datagram waiting ("" when none). */
static const char *next_event(int fd, char buf[EVENT_MAX_LINE])
{
	ssize_t n = recv(fd, buf, EVENT_MAX_LINE - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	char *space = strchr(buf, ' ');
	if (space)
		*space = '\0';
	return buf;
}

/* Batched: nothing leaves before event_flush, then all, in order; off
 * flushes. */
static void test_batching(void **state)
{
	char buf[EVENT_MAX_LINE];
	int fd = listen_events();
	struct captured logged = { .prio = -1 };
	log_set_sink(capture, &logged);
	event_open("dhcpd");
	event_set_batching(true);
	event_emit("discover", "mac", "52:54:00:00:00:01", NULL);
	event_emit("offer", NULL);
	assert_true(strncmp(logged.line, "event=dhcpd.offer ", 18) == 0);   /* logged at once */
	assert_string_equal(next_event(fd, buf), "");
	event_flush();
	assert_string_equal(next_event(fd, buf), "event=dhcpd.discover");
	assert_string_equal(next_event(fd, buf), "event=dhcpd.offer");
	assert_string_equal(next_event(fd, buf), "");
	/* A burst beyond the listener's queue (net.unix.max_dgram_qlen): the
	 * rest waits for the next flush, nothing is lost while it drains. */
	for (int i = 0; i < 40; i++) {
		char n[8];
		snprintf(n, sizeof n, "%02d", i);
		event_emit("request", "n", n, NULL);
	}
	int got = 0;
	for (int flushes = 0; event_pending() && flushes < 40; flushes++) {
		event_flush();
		char want[64];
		while (recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT) > 0) {
			snprintf(want, sizeof want, "n=%02d", got++);
			assert_non_null(strstr(buf, want));
		}
	}
	assert_int_equal(got, 40);
	assert_int_equal(event_pending(), 0);
	event_emit("ack", NULL);
	event_set_batching(false);
	assert_string_equal(next_event(fd, buf), "event=dhcpd.ack");
	event_emit("nak", NULL);
	assert_string_equal(next_event(fd, buf), "event=dhcpd.nak");
	event_close();
	close(fd);
	log_set_sink(NULL, NULL);
	unsetenv("PXE_EVENT_SOCKET");
}

/* A collector that starts listening between two turns gets the next
 * turn's events whole, the first included; with none, flush is harmless. */
static void test_batching_listener_comes_late(void **state)
{
	char buf[EVENT_MAX_LINE];
	struct captured logged = { .prio = -1 };
	log_set_sink(capture, &logged);
	setenv("PXE_EVENT_SOCKET", "pxesuite-test/nobody-here", 1);
	event_open("dhcpd");
	event_set_batching(true);
	event_emit("discover", NULL);
	event_flush();
	assert_int_equal(event_pending(), 0);   /* nobody to wait for */
	event_close();
	int fd = listen_events();
	event_open("dhcpd");
	event_set_batching(true);
	event_emit("discover", NULL);
	event_flush();
	event_emit("offer", NULL);
	event_flush();
	assert_int_equal(event_pending(), 0);
	assert_string_equal(next_event(fd, buf), "event=dhcpd.discover");
	assert_string_equal(next_event(fd, buf), "event=dhcpd.offer");
	event_set_batching(false);
	event_close();
	close(fd);
	log_set_sink(NULL, NULL);
	unsetenv("PXE_EVENT_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_plain),
		cmocka_unit_test(test_format_quoting),
		cmocka_unit_test(test_format_drops_whole_pairs),
		cmocka_unit_test(test_emit_reaches_listener),
		cmocka_unit_test(test_batching),
		cmocka_unit_test(test_batching_listener_comes_late),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
