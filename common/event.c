/* Boot-timeline events: one key=value line to the log and, as a datagram,
 * to pxe-status's abstract socket. The socket is unconnected, so a status
 * listener may come and go; with none, sendto fails at once and the event
 * is simply not seen there. */
#include "event.h"

#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define EVENT_MAX_KV 32
#define EVENT_QUEUE 64   /* datagrams per sendmmsg when batching */

static struct {
	int fd;
	char daemon[16];
	struct sockaddr_un addr;
	socklen_t addr_len;
} ev = { .fd = -1, .daemon = "?" };

static struct {
	bool on;
	size_t n;
	size_t len[EVENT_QUEUE];
	char line[EVENT_QUEUE][EVENT_MAX_LINE];
} queue;

void event_open(const char *daemon)
{
	const char *name = getenv("PXE_EVENT_SOCKET");
	if (!name || !*name)
		name = EVENT_SOCKET_NAME;
	event_close();
	snprintf(ev.daemon, sizeof ev.daemon, "%s", daemon);
	memset(&ev.addr, 0, sizeof ev.addr);
	ev.addr.sun_family = AF_UNIX;
	/* Abstract: sun_path[0] stays NUL and the length counts the name only. */
	size_t len = strnlen(name, sizeof ev.addr.sun_path - 1);
	memcpy(ev.addr.sun_path + 1, name, len);
	ev.addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	ev.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

void event_close(void)
{
	event_flush();
	if (ev.fd >= 0)
		close(ev.fd);
	ev.fd = -1;
}

/* Bounded append; returns the new length (never beyond size - 1). */
static size_t append(char *buf, size_t size, size_t len, const char *s)
{
	size_t n = strlen(s);
	if (len + n >= size)
		n = size - 1 - len;
	memcpy(buf + len, s, n);
	buf[len + n] = '\0';
	return len + n;
}

static bool needs_quotes(const char *value)
{
	if (!*value)
		return true;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '=' || *p == '\\')
			return true;
	return false;
}

/* Appends ` key=value` whole, or nothing when it does not fit: a record
 * cut inside a value would be rejected whole by readers. */
static size_t append_pair(char *buf, size_t size, size_t len, const char *key, const char *value)
{
	char escaped[EVENT_MAX_LINE];
	bool quote = needs_quotes(value);
	size_t key_len = strlen(key);
	/* Every byte log_escape would change also asks for quotes. */
	size_t value_len = quote ? log_escape(escaped, sizeof escaped, value, strlen(value)) : strlen(value);
	const char *shown = quote ? escaped : value;
	size_t n = 2 + key_len + value_len + (quote ? 2 : 0);   /* " key=" value, maybe quoted */
	if (n >= EVENT_MAX_LINE || len + n >= size)
		return len;
	char *p = buf + len;
	*p++ = ' ';
	memcpy(p, key, key_len);
	p += key_len;
	*p++ = '=';
	if (quote)
		*p++ = '"';
	memcpy(p, shown, value_len);
	p += value_len;
	if (quote)
		*p++ = '"';
	*p = '\0';
	return len + n;
}

size_t event_format(char *buf, size_t size, const char *daemon, const char *name,
		    const char *const *kv, size_t n_kv)
{
	if (size == 0)
		return 0;
	buf[0] = '\0';
	size_t len = append(buf, size, 0, "event=");
	len = append(buf, size, len, daemon);
	len = append(buf, size, len, ".");
	len = append(buf, size, len, name);
	for (size_t i = 0; i + 1 < n_kv; i += 2)
		len = append_pair(buf, size, len, kv[i], kv[i + 1] ? kv[i + 1] : "");
	return len;
}

void event_emit(const char *name, ...)
{
	const char *kv[EVENT_MAX_KV];
	size_t n_kv = 0;
	va_list ap;
	va_start(ap, name);
	for (const char *s = va_arg(ap, const char *); s && n_kv < EVENT_MAX_KV;
	     s = va_arg(ap, const char *))
		kv[n_kv++] = s;
	va_end(ap);
	/* The wall-clock time first, so that logs without time stamps (stderr
	 * captures) still give pxe-status a timeline. */
	char ts[32];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(ts, sizeof ts, "%lld.%03ld", (long long)now.tv_sec, now.tv_nsec / 1000000);
	const char *with_ts[EVENT_MAX_KV + 2] = { "ts", ts };
	memcpy(with_ts + 2, kv, n_kv * sizeof kv[0]);
	char line[EVENT_MAX_LINE];
	size_t len = event_format(line, sizeof line, ev.daemon, name, with_ts, n_kv + 2);
	log_msg(LOG_INFO, "%s", line);
	if (ev.fd < 0)
		return;
	if (!queue.on) {
		/* Nobody listening (ECONNREFUSED/ENOENT) or a full queue
		 * (EAGAIN): the log line above is the record, so the
		 * failure is ignored. */
		(void)!sendto(ev.fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			      (struct sockaddr *)&ev.addr, ev.addr_len);
		return;
	}
	if (queue.n == EVENT_QUEUE)
		event_flush();
	if (queue.n == EVENT_QUEUE)
		return;   /* a listener that reads nothing: this one is only logged */
	memcpy(queue.line[queue.n], line, len);
	queue.len[queue.n++] = len;
}

void event_set_batching(bool on)
{
	if (!on)
		event_flush();
	queue.on = on;
}

/* One sendmmsg. Nobody listening (ECONNREFUSED/ENOENT): the log has the
 * records, the queue is emptied. A listener whose queue is full (EAGAIN;
 * Unix datagram queues hold net.unix.max_dgram_qlen, 10 by default): what
 * did not fit stays queued for the next flush, so a burst reaches a slow
 * collector whole instead of losing all but its first few. */
void event_flush(void)
{
	struct mmsghdr mm[EVENT_QUEUE];
	struct iovec iov[EVENT_QUEUE];
	log_flush();
	if (!queue.n)
		return;
	for (size_t i = 0; i < queue.n; i++) {
		iov[i] = (struct iovec){ .iov_base = queue.line[i], .iov_len = queue.len[i] };
		mm[i].msg_hdr = (struct msghdr){ .msg_name = &ev.addr, .msg_namelen = ev.addr_len,
						 .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	int sent = sendmmsg(ev.fd, mm, (unsigned)queue.n, MSG_DONTWAIT | MSG_NOSIGNAL);
	size_t done = sent >= 0 ? (size_t)sent : errno == EAGAIN ? 0 : queue.n;
	memmove(queue.line, queue.line[done], (queue.n - done) * sizeof queue.line[0]);
	memmove(queue.len, queue.len + done, (queue.n - done) * sizeof queue.len[0]);
	queue.n -= done;
}

size_t event_pending(void)
{
	return queue.n;
}
