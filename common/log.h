/* One log API for the three daemons.
 * stderr with "<N>" priority prefixes under systemd (JOURNAL_STREAM) or in
 * the foreground; syslog otherwise, opened before any chroot. */
#ifndef PXE_LOG_H
#define PXE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

enum log_target {
	LOG_TARGET_AUTO,   /* stderr if JOURNAL_STREAM is set, else syslog */
	LOG_TARGET_STDERR,
	LOG_TARGET_SYSLOG,
};

/* Call once at start-up, before chroot (openlog needs /dev/log). */
void log_open(const char *ident, int facility, enum log_target target);
/* Messages with priority numerically above max_prio are dropped. */
void log_set_level(int max_prio);
int log_get_level(void);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int prio, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Batching, for a daemon that logs many lines per loop turn: while on,
 * stderr lines at LOG_INFO and LOG_DEBUG are kept (up to a buffer) and
 * written with one write() by log_flush(); a more urgent line flushes
 * them and goes out at once, so nothing waits behind a queue when it
 * matters. Syslog and a sink are not batched. Off by default; turning it
 * off flushes. */
void log_set_batching(bool on);
void log_flush(void);

/* Tests capture output through a sink; NULL restores the real target. */
typedef void log_sink_fn(int prio, const char *line, void *ctx);
void log_set_sink(log_sink_fn *fn, void *ctx);

/* Escapes peer-supplied bytes for a log line: printable ASCII other than
 * '\\' and '"' is copied, everything else becomes \xNN (or \\, \").
 * Always NUL-terminates dst (dst_size > 0); truncates on a character
 * boundary. Returns the length written. */
size_t log_escape(char *dst, size_t dst_size, const void *src, size_t src_len);

/* Rate limiting for floods of bad input: at most `burst` messages per
 * `interval_ms`; the rest are counted and reported by the next allowed one. */
struct log_ratelimit {
	unsigned interval_ms;
	unsigned burst;
	uint64_t window_start_ms;
	unsigned in_window;
	uint64_t suppressed;  /* since the last allowed message */
	uint64_t total;       /* events seen, allowed or not */
};
#define LOG_RATELIMIT_INIT(interval, burst_) { .interval_ms = (interval), .burst = (burst_) }
/* Returns true if a message may be logged now; *suppressed_out gets the
 * number dropped since the last allowed one (then reset). */
bool log_ratelimit_allow(struct log_ratelimit *rl, uint64_t now_ms, uint64_t *suppressed_out);

/* Monotonic milliseconds, for callers of log_ratelimit_allow. */
uint64_t log_now_ms(void);
/* Monotonic microseconds, for transfer rates as vsftpd logs them. */
uint64_t log_now_us(void);

#endif
