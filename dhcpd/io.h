/* The daemon's one contact with libuv and the network: the DHCP socket,
 * the packet socket for replies to clients without an address, the batch
 * loop with group commit, and periodic compaction of the leases file. */
#ifndef DHCPD_IO_H
#define DHCPD_IO_H

#include <stddef.h>
#include <stdint.h>

#include "lease.h"
#include "store.h"

struct io_config {
	char *const *ifnames;   /* serve only these interfaces, when any */
	size_t n_ifnames;
	uint16_t port;          /* server port; clients are on port + 1 */
	uint32_t send_to;       /* -s: replies that would be broadcast go here (host order), 0: off */
};

struct dhcpd_io;

/* Opens the sockets; needs root (port 67, CAP_NET_RAW for the packet
 * socket). Nothing here starts a thread. NULL with a message on failure. */
struct dhcpd_io *io_open(const struct io_config *cfg, struct lease_db *db, struct lease_store *store,
			 char *err, size_t err_size);
/* Serves until SIGTERM/SIGINT; after privileges are dropped. Returns the
 * exit status. */
int io_run(struct dhcpd_io *io);
void io_free(struct dhcpd_io *io);

#endif
