/* Start-up steps of pxe-ftpd that need root or the full filesystem: run
 * by main.c before the chroot and the privilege drop. Each step logs
 * why it failed and returns -1. */
#ifndef FTPD_SETUP_H
#define FTPD_SETUP_H

#include <stddef.h>

#include "conf.h"
#include "session.h"

#define SETUP_MAX_LISTEN 2

/* The listening sockets: systemd's (LISTEN_FDS), else listen=YES (IPv4) or
 * listen_ipv6=YES (IPv6, dual stack unless listen_address6 names one).
 * Neither is inetd mode: *inetd_fd gets fd 0, the one session's socket
 * (xinetd, systemd Accept=yes), else -1. */
int setup_listeners(const struct ftpd_conf *c, int *fds, size_t *n, int *inetd_fd);
/* The anonymous root: anon_root, else ftp_username's home, as vsftpd. */
int setup_anon_root(const struct ftpd_conf *c, char *root, size_t size);
/* xferlog_file / vsftpd_log_file / syslog, as the *log* keys choose. */
int setup_logs(const struct ftpd_conf *c, struct session_logs *logs);
/* banner_file's content, or NULL. */
char *setup_banner(const struct ftpd_conf *c);
/* background=YES with listen or listen_ipv6: fork; the parent exits 0. */
int setup_background(const struct ftpd_conf *c);

#endif
