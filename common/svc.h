/* Service-manager glue without libsystemd: sd_notify, socket activation,
 * and inetd mode (a socket on fd 0). */
#ifndef PXE_SVC_H
#define PXE_SVC_H

#include <stdbool.h>
#include <stdint.h>

#define SVC_LISTEN_FDS_START 3

/* Connects to $NOTIFY_SOCKET (path or abstract "@name") and unsets it.
 * Call before chroot. Returns 1 if connected, 0 if there is none, -1 on
 * error. */
int svc_notify_open(void);
/* Sends one datagram of newline-separated assignments ("READY=1",
 * "STATUS=...", "STOPPING=1", "WATCHDOG=1"). No-op without a socket.
 * Returns 0, or -1 on a send error. */
int svc_notify(const char *state);
int svc_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void svc_notify_close(void);
/* Watchdog period in microseconds from $WATCHDOG_USEC (when $WATCHDOG_PID
 * is unset or ours); 0 if none. */
uint64_t svc_watchdog_usec(void);

/* Number of sockets passed by socket activation ($LISTEN_PID is ours,
 * $LISTEN_FDS), starting at fd 3, marked close-on-exec; 0 if none.
 * Unsets the variables. */
int svc_listen_fds(void);
/* Name of passed fd (SVC_LISTEN_FDS_START + i) from $LISTEN_FDNAMES, or
 * NULL. Valid after svc_listen_fds(). */
const char *svc_listen_fdname(int i);

/* True when fd 0 is a socket (xinetd wait=yes, systemd StandardInput=socket). */
bool svc_stdin_is_socket(void);
/* SOCK_DGRAM / SOCK_STREAM of a socket fd, or -1 if it is not a socket. */
int svc_socket_type(int fd);

#endif
