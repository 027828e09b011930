/* Writes what svc.c sees of the service manager's hand-over to the file
 * named by argv[1] (stdout may be the inetd socket), one key=value a line:
 *   fds=N, fdN=name:socktype for each passed fd, stdin=socktype or none. */
#include <stdio.h>

#include "svc.h"

int main(int argc, char **argv)
{
	FILE *out = argc == 2 ? fopen(argv[1], "w") : NULL;
	if (!out)
		return 2;
	int n = svc_listen_fds();
	fprintf(out, "fds=%d\n", n);
	for (int i = 0; i < n; i++) {
		const char *name = svc_listen_fdname(i);
		fprintf(out, "fd%d=%s:%d\n", SVC_LISTEN_FDS_START + i, name ? name : "(null)",
			svc_socket_type(SVC_LISTEN_FDS_START + i));
	}
	if (svc_stdin_is_socket())
		fprintf(out, "stdin=%d\n", svc_socket_type(0));
	else
		fprintf(out, "stdin=none\n");
	return fclose(out) == 0 ? 0 : 1;
}
