/* svc: sd_notify to a real unix datagram socket (path and abstract),
 * LISTEN_FDS/LISTEN_FDNAMES with real descriptors, socket types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "svc.h"

/* A listening datagram socket at path, or abstract when path starts with '@'. */
static int listen_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	else
		unlink(path);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)), 0);
	return fd;
}

static void expect_datagram(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void check_notify(const char *name)
{
	int fd = listen_unix(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(svc_notify_open(), 1);
	assert_null(getenv("NOTIFY_SOCKET"));
	assert_int_equal(svc_notify("READY=1"), 0);
	expect_datagram(fd, "READY=1");
	assert_int_equal(svc_notifyf("STATUS=serving %d clients", 3), 0);
	expect_datagram(fd, "STATUS=serving 3 clients");
	svc_notify_close();
	assert_int_equal(svc_notify("STOPPING=1"), 0);   /* closed: a no-op */
	char buf[8];
	assert_int_equal(recv(fd, buf, sizeof buf, MSG_DONTWAIT), -1);
	close(fd);
}

static void test_notify_path(void **state)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/pxe-notify-%d", (int)getpid());
	check_notify(path);
	unlink(path);
}

static void test_notify_abstract(void **state)
{
	char name[64];
	snprintf(name, sizeof name, "@pxe-notify-test-%d", (int)getpid());
	check_notify(name);
}

static void test_notify_none_or_bad(void **state)
{
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(svc_notify_open(), 0);
	assert_int_equal(svc_notify("READY=1"), 0);
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_int_equal(svc_notify_open(), -1);
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	assert_int_equal(svc_notify_open(), -1);
}

static void test_watchdog(void **state)
{
	char pid[32];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(svc_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	assert_int_equal(svc_watchdog_usec(), 30000000);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(svc_watchdog_usec(), 30000000);
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(svc_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "x", 1);
	assert_int_equal(svc_watchdog_usec(), 0);
}

static void test_listen_fds(void **state)
{
	int pair[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, pair), 0);
	int tcp = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(dup2(pair[0], 3) == 3 && dup2(tcp, 4) == 4);
	char pid[32];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "2", 1);
	setenv("LISTEN_FDNAMES", "a:b", 1);
	assert_int_equal(svc_listen_fds(), 2);
	assert_string_equal(svc_listen_fdname(0), "a");
	assert_string_equal(svc_listen_fdname(1), "b");
	assert_null(svc_listen_fdname(2));
	assert_null(svc_listen_fdname(-1));
	assert_null(getenv("LISTEN_FDS"));
	assert_null(getenv("LISTEN_PID"));
	assert_null(getenv("LISTEN_FDNAMES"));
	assert_true(fcntl(3, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(4, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(svc_socket_type(3), SOCK_DGRAM);
	assert_int_equal(svc_socket_type(4), SOCK_STREAM);
	/* variables consumed: a second call finds nothing */
	assert_int_equal(svc_listen_fds(), 0);
	close(3);
	close(4);
	close(tcp);
	close(pair[0]);
	close(pair[1]);
}

static void test_listen_fds_other_pid(void **state)
{
	setenv("LISTEN_PID", "1", 1);
	setenv("LISTEN_FDS", "2", 1);
	assert_int_equal(svc_listen_fds(), 0);
	assert_null(getenv("LISTEN_FDS"));
}

static void test_socket_type_and_stdin(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(svc_socket_type(p[0]), -1);
	int saved = dup(0);
	dup2(p[0], 0);
	assert_false(svc_stdin_is_socket());
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	dup2(s, 0);
	assert_true(svc_stdin_is_socket());
	dup2(saved, 0);
	close(saved);
	close(s);
	close(p[0]);
	close(p[1]);
	assert_int_equal(svc_socket_type(-1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_path),
		cmocka_unit_test(test_notify_abstract),
		cmocka_unit_test(test_notify_none_or_bad),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_listen_fds),
		cmocka_unit_test(test_listen_fds_other_pid),
		cmocka_unit_test(test_socket_type_and_stdin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
