/* Boot-timeline events (the record format is in status/EVENTS.md).
 * Each event is one key=value line: written to the log at LOG_INFO, and
 * sent as a datagram to the abstract Unix socket "@pxesuite/events" of the
 * daemon's network namespace, where pxe-status listens. Sending never
 * blocks: with no listener it costs one failed sendto. */
#ifndef PXE_EVENT_H
#define PXE_EVENT_H

#include <stdbool.h>
#include <stddef.h>

#define EVENT_SOCKET_NAME "pxesuite/events"   /* abstract: leading NUL */
#define EVENT_MAX_LINE 1024

/* daemon: "dhcpd", "tftpd" or "ftpd". Call before chroot and privdrop.
 * Also honours $PXE_EVENT_SOCKET (abstract name) for tests. */
void event_open(const char *daemon);
/* event_emit("rrq", "client", "198.18.0.2", "file", "pxelinux.0", NULL):
 * name, then key/value pairs, then NULL. A ts=SECONDS.mmm key (wall
 * clock) is added first. Values are escaped and quoted when they hold
 * spaces, quotes or non-printable bytes; a pair that does not fit in
 * EVENT_MAX_LINE is left out whole. */
void event_emit(const char *name, ...) __attribute__((sentinel));
/* Formats the line without sending it (for tests and for event_emit).
 * kv holds n_kv strings: key, value, key, value... Returns the length. */
size_t event_format(char *buf, size_t size, const char *daemon, const char *name,
		    const char *const *kv, size_t n_kv);
/* Batching, for a daemon that handles many requests per loop turn: while
 * on, datagrams are queued and leave with one sendmmsg at event_flush()
 * (or when the queue is full). Off by default: each event_emit sends at
 * once. Turning it off flushes. event_flush also calls log_flush, so a
 * daemon that batches both ends its loop turn with this one call. */
void event_set_batching(bool on);
void event_flush(void);
/* Datagrams still queued after a flush: a listener's queue was full. The
 * caller flushes again a little later. */
size_t event_pending(void);
void event_close(void);

#endif
