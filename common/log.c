/* One log API: "<N>message" lines on stderr (journald reads the prefix) or
 * syslog, plus escaping of peer bytes and a rate limiter for floods. */
#include "log.h"

#include <errno.h>
#include <paths.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define LOG_LINE_MAX 2048
/* With no syslog daemon, syslog(3) tries socket+connect+close for every
 * line: instead lines are dropped (and counted), and /dev/log is looked
 * for again at most this often. */
#define SYSLOG_RETRY_MS 10000
#define LOG_BATCH_SIZE 65536    /* stderr lines kept for one write */
/* With no /dev/log, lines up to this priority go to stderr when someone
 * reads it (start-up errors, notices); routine ones stay dropped. */
#define STDERR_FALLBACK_PRIO LOG_NOTICE

static struct {
	bool use_syslog;
	bool syslog_down;          /* /dev/log was absent at the last look */
	bool stderr_fallback;      /* ...and stderr takes its lines meanwhile */
	uint64_t syslog_retry_ms;  /* when to look again */
	uint64_t syslog_lost;      /* lines dropped while it was absent */
	const char *ident;
	int facility;
	int max_prio;
	log_sink_fn *sink;
	void *sink_ctx;
	bool batching;
	size_t batch_len;
	char batch[LOG_BATCH_SIZE];
} logger = { .max_prio = LOG_INFO };
/* tftpd and ftpd log from their loop threads: one line at a time, counters kept. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* Whether stderr leads to someone: a file, pipe or terminal, not
 * /dev/null (char device 1:3) nor a socket (inetd hands the client's). */
static bool stderr_is_read(void)
{
	struct stat st;
	if (fstat(STDERR_FILENO, &st) != 0 || S_ISSOCK(st.st_mode))
		return false;
	return !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
}

/* LOG_NDELAY connects /dev/log now, while it is reachable: before any
 * chroot, which keeps the connection. With no /dev/log, urgent lines go to
 * stderr when someone reads it, so that a start-up error reaches the admin
 * (a daemon detached with daemon(3) has /dev/null there: they are lost). */
static void syslog_connect(void)
{
	logger.syslog_down = access(_PATH_LOG, F_OK) != 0;
	logger.stderr_fallback = logger.syslog_down && stderr_is_read();
	logger.syslog_retry_ms = log_now_ms() + SYSLOG_RETRY_MS;
	if (!logger.syslog_down)
		openlog(logger.ident, LOG_PID | LOG_NDELAY, logger.facility);
}

void log_open(const char *ident, int facility, enum log_target target)
{
	if (target == LOG_TARGET_AUTO)
		target = getenv("JOURNAL_STREAM") ? LOG_TARGET_STDERR : LOG_TARGET_SYSLOG;
	logger.use_syslog = target == LOG_TARGET_SYSLOG;
	logger.ident = ident;
	logger.facility = facility;
	if (logger.use_syslog)
		syslog_connect();
}

static void stderr_line(int prio, const char *line);

static void syslog_line(int prio, const char *line)
{
	if (logger.syslog_down && log_now_ms() >= logger.syslog_retry_ms)
		syslog_connect();
	if (logger.stderr_fallback && prio <= STDERR_FALLBACK_PRIO) {
		stderr_line(prio, line);
		return;
	}
	if (logger.syslog_down) {
		logger.syslog_lost++;
		return;
	}
	if (logger.syslog_lost)
		syslog(LOG_WARNING, "%llu log lines lost while %s was absent",
		       (unsigned long long)logger.syslog_lost, _PATH_LOG);
	logger.syslog_lost = 0;
	syslog(prio, "%s", line);
}

void log_set_level(int max_prio)
{
	logger.max_prio = max_prio;
}

int log_get_level(void)
{
	return logger.max_prio;
}

void log_set_sink(log_sink_fn *fn, void *ctx)
{
	logger.sink = fn;
	logger.sink_ctx = ctx;
}

void log_set_batching(bool on)
{
	if (!on)
		log_flush();
	logger.batching = on;
}

static void flush_batch(void)
{
	const char *p = logger.batch;
	size_t left = logger.batch_len;
	while (left > 0) {
		ssize_t n = write(STDERR_FILENO, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;  /* nowhere to write: as with fprintf, the lines are lost */
		p += n;
		left -= (size_t)n;
	}
	logger.batch_len = 0;
}

void log_flush(void)
{
	pthread_mutex_lock(&log_lock);
	flush_batch();
	pthread_mutex_unlock(&log_lock);
}

static void stderr_line(int prio, const char *line)
{
	if (logger.batching && prio >= LOG_INFO) {
		size_t room = sizeof logger.batch - logger.batch_len;
		int n = snprintf(logger.batch + logger.batch_len, room, "<%d>%s\n", prio, line);
		if (n > 0 && (size_t)n < room) {
			logger.batch_len += (size_t)n;
			return;
		}
	}
	flush_batch();
	fprintf(stderr, "<%d>%s\n", prio, line);
}

/* Lines to an absent syslog are only counted: spare their formatting. */
static bool syslog_drops_now(int prio)
{
	return !logger.sink && logger.use_syslog && logger.syslog_down &&
	       !(logger.stderr_fallback && prio <= STDERR_FALLBACK_PRIO) &&
	       log_now_ms() < logger.syslog_retry_ms;
}

void log_vmsg(int prio, const char *fmt, va_list ap)
{
	prio &= LOG_PRIMASK;
	if (prio > logger.max_prio)
		return;
	char line[LOG_LINE_MAX];
	pthread_mutex_lock(&log_lock);
	if (syslog_drops_now(prio)) {
		logger.syslog_lost++;
	} else {
		vsnprintf(line, sizeof line, fmt, ap);
		if (logger.sink)
			logger.sink(prio, line, logger.sink_ctx);
		else if (logger.use_syslog)
			syslog_line(prio, line);
		else
			stderr_line(prio, line);
	}
	pthread_mutex_unlock(&log_lock);
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

/* The escaped form of one byte into out (at most 4 chars + NUL). */
static size_t escape_byte(uint8_t c, char out[5])
{
	static const char hex[] = "0123456789abcdef";
	if (c == '\\' || c == '"') {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

size_t log_escape(char *dst, size_t dst_size, const void *src, size_t src_len)
{
	const uint8_t *in = src;
	size_t len = 0;
	if (dst_size == 0)
		return 0;
	for (size_t i = 0; i < src_len; i++) {
		char piece[5];
		size_t n = escape_byte(in[i], piece);
		if (len + n >= dst_size)
			break;
		memcpy(dst + len, piece, n);
		len += n;
	}
	dst[len] = '\0';
	return len;
}

bool log_ratelimit_allow(struct log_ratelimit *rl, uint64_t now_ms, uint64_t *suppressed_out)
{
	rl->total++;
	if (now_ms - rl->window_start_ms >= rl->interval_ms || rl->total == 1) {
		rl->window_start_ms = now_ms;
		rl->in_window = 0;
	}
	if (rl->in_window >= rl->burst) {
		rl->suppressed++;
		return false;
	}
	rl->in_window++;
	if (suppressed_out)
		*suppressed_out = rl->suppressed;
	rl->suppressed = 0;
	return true;
}

uint64_t log_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t log_now_ms(void)
{
	return log_now_us() / 1000;
}
