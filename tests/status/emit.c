/* Test helper: plays one PC's failing boot through common's event_emit,
 * as the daemons do: an ACK from dhcpd, then a TFTP request for the
 * kernel that is not found. usage: status_emit MAC IP */
#include <stdio.h>

#include "event.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: status_emit MAC IP\n");
		return 2;
	}
	char client[64];
	snprintf(client, sizeof client, "%s:2070", argv[2]);
	event_open("dhcpd");
	event_emit("discover", "mac", argv[1], "arch", "7", "vendor", "PXEClient:Arch:00007", NULL);
	event_emit("ack", "mac", argv[1], "arch", "7", "ip", argv[2], "file", "grubx64.efi", NULL);
	event_open("tftpd");
	event_emit("rrq", "client", client, "file", "images/vmlinuz", "asked", "blksize=1468 tsize=0",
		   NULL);
	event_emit("fail", "client", client, "file", "images/vmlinuz", "reason", "file not found",
		   NULL);
	event_close();
	return 0;
}
