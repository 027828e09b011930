/* log: escaping of peer bytes, level filter and prefix through the sink,
 * the "<N>" stderr format, and the rate limiter's counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <fcntl.h>

#include "log.h"

struct captured {
	int count;
	int prio;
	char line[256];
};

static void capture(int prio, const char *line, void *ctx)
{
	struct captured *c = ctx;
	c->count++;
	c->prio = prio;
	snprintf(c->line, sizeof c->line, "%s", line);
}

static void test_escape_specials(void **state)
{
	char out[64];
	static const char in[] = "a\"b\\c\n\x01\x7f\xff z";
	size_t n = log_escape(out, sizeof out, in, sizeof in - 1);
	assert_string_equal(out, "a\\\"b\\\\c\\x0a\\x01\\x7f\\xff z");
	assert_int_equal(n, strlen(out));
}

static void test_escape_nul_inside(void **state)
{
	char out[32];
	log_escape(out, sizeof out, "a\0b", 3);
	assert_string_equal(out, "a\\x00b");
}

static void test_escape_truncates_on_char_boundary(void **state)
{
	char out[6];
	/* "ab" fits, "\x01" would need 4 more: cut before it, never inside. */
	size_t n = log_escape(out, sizeof out, "ab\x01z", 4);
	assert_string_equal(out, "ab");
	assert_int_equal(n, 2);
	n = log_escape(out, 1, "abc", 3);
	assert_string_equal(out, "");
	assert_int_equal(n, 0);
	n = log_escape(out, sizeof out, "abcdefgh", 8);
	assert_string_equal(out, "abcde");
}

static void test_sink_and_level(void **state)
{
	struct captured c = { 0 };
	log_set_sink(capture, &c);
	log_set_level(LOG_INFO);
	log_msg(LOG_WARNING, "disk %d%%", 90);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.prio, LOG_WARNING);
	assert_string_equal(c.line, "disk 90%");
	log_debug("hidden");
	assert_int_equal(c.count, 1);
	log_set_level(LOG_DEBUG);
	assert_int_equal(log_get_level(), LOG_DEBUG);
	log_debug("shown");
	assert_int_equal(c.count, 2);
	assert_int_equal(c.prio, LOG_DEBUG);
	log_set_sink(NULL, NULL);
	log_set_level(LOG_INFO);
}

/* The stderr target writes "<prio>message\n": read it back through a pipe. */
static void test_stderr_prefix(void **state)
{
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	int saved = dup(STDERR_FILENO);
	fflush(stderr);
	dup2(pipefd[1], STDERR_FILENO);
	log_open("test", LOG_DAEMON, LOG_TARGET_STDERR);
	log_err("broken %s", "thing");
	log_notice("n");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(pipefd[1]);
	char got[128] = "";
	ssize_t n = read(pipefd[0], got, sizeof got - 1);
	close(pipefd[0]);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, "<3>broken thing\n<5>n\n");
}

/* What is waiting in a non-blocking pipe ("" when nothing), into got. */
static const char *drain(int fd, char got[128])
{
	ssize_t n = read(fd, got, 127);
	got[n > 0 ? n : 0] = '\0';
	return got;
}

/* Batching keeps info lines until log_flush; a warning flushes them and
 * goes out at once, in order; turning batching off flushes. */
static void test_stderr_batching(void **state)
{
	char before[128], flushed[128], urgent[128], off[128], unbatched[128];
	int pipefd[2];
	assert_int_equal(pipe2(pipefd, O_NONBLOCK), 0);
	int saved = dup(STDERR_FILENO);
	fflush(stderr);
	dup2(pipefd[1], STDERR_FILENO);
	log_open("test", LOG_DAEMON, LOG_TARGET_STDERR);
	log_set_batching(true);
	log_info("one");
	log_info("two");
	drain(pipefd[0], before);
	log_flush();
	drain(pipefd[0], flushed);
	log_info("three");
	log_warn("urgent");
	drain(pipefd[0], urgent);
	log_info("four");
	log_set_batching(false);
	drain(pipefd[0], off);
	log_info("five");
	drain(pipefd[0], unbatched);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(pipefd[1]);
	close(pipefd[0]);
	assert_string_equal(before, "");
	assert_string_equal(flushed, "<6>one\n<6>two\n");
	assert_string_equal(urgent, "<6>three\n<4>urgent\n");
	assert_string_equal(off, "<6>four\n");
	assert_string_equal(unbatched, "<6>five\n");
}

static void test_ratelimit_counts(void **state)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(1000, 2);
	uint64_t suppressed = 99;
	assert_true(log_ratelimit_allow(&rl, 5000, &suppressed));
	assert_int_equal(suppressed, 0);
	assert_true(log_ratelimit_allow(&rl, 5001, &suppressed));
	for (int i = 0; i < 5; i++)
		assert_false(log_ratelimit_allow(&rl, 5100 + (uint64_t)i, &suppressed));
	assert_int_equal(rl.suppressed, 5);
	assert_false(log_ratelimit_allow(&rl, 5999, &suppressed));
	/* A new window: allowed, reporting the 6 dropped ones, counter reset. */
	assert_true(log_ratelimit_allow(&rl, 6000, &suppressed));
	assert_int_equal(suppressed, 6);
	assert_int_equal(rl.suppressed, 0);
	assert_int_equal(rl.total, 9);
	assert_true(log_ratelimit_allow(&rl, 6001, NULL));
	assert_false(log_ratelimit_allow(&rl, 6002, NULL));
}

static void test_ratelimit_first_call_at_zero(void **state)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(100, 1);
	uint64_t suppressed;
	assert_true(log_ratelimit_allow(&rl, 0, &suppressed));
	assert_false(log_ratelimit_allow(&rl, 50, &suppressed));
	assert_true(log_ratelimit_allow(&rl, 100, &suppressed));
	assert_int_equal(suppressed, 1);
}

static void test_now_is_monotonic(void **state)
{
	uint64_t a = log_now_ms();
	uint64_t b = log_now_ms();
	assert_true(a > 0);
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_nul_inside),
		cmocka_unit_test(test_escape_truncates_on_char_boundary),
		cmocka_unit_test(test_sink_and_level),
		cmocka_unit_test(test_stderr_prefix),
		cmocka_unit_test(test_stderr_batching),
		cmocka_unit_test(test_ratelimit_counts),
		cmocka_unit_test(test_ratelimit_first_call_at_zero),
		cmocka_unit_test(test_now_is_monotonic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
