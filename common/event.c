/* Boot-timeline events: one key=value line to the log and, as a datagram,
 * to pxe-status's abstract socket. The socket is unconnected, so a status
 * listener may come and go; with none, sendto fails at once and the event
 * is simply not seen there. */
#include "event.h"

#include "log.h"

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

static struct {
	int fd;
	char daemon[16];
	struct sockaddr_un addr;
	socklen_t addr_len;
} ev = { .fd = -1, .daemon = "?" };

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
	char pair[EVENT_MAX_LINE];
	bool quote = needs_quotes(value);
	log_escape(escaped, sizeof escaped, value, strlen(value));
	int n = snprintf(pair, sizeof pair, quote ? " %s=\"%s\"" : " %s=%s", key, escaped);
	if (n < 0 || (size_t)n >= sizeof pair || len + (size_t)n >= size)
		return len;
	return append(buf, size, len, pair);
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
	/* Nobody listening (ECONNREFUSED/ENOENT) or a full queue (EAGAIN): the
	 * log line above is the record, so the failure is ignored. */
	if (ev.fd >= 0)
		(void)!sendto(ev.fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			      (struct sockaddr *)&ev.addr, ev.addr_len);
}
