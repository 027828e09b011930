/* Drops privileges through common/privdrop, says "ready" and waits, so a
 * test can read the result in /proc/PID/status and /proc/PID/root.
 *   privdrop_probe -u user [-g group] [-r chrootdir] [-k capname]... */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "privdrop.h"

#define MAX_KEEP 8

int main(int argc, char **argv)
{
	const char *user = NULL, *group = NULL, *root = NULL;
	cap_value_t keep[MAX_KEEP];
	size_t n_keep = 0;
	int opt;
	while ((opt = getopt(argc, argv, "u:g:r:k:")) != -1) {
		if (opt == 'u')
			user = optarg;
		else if (opt == 'g')
			group = optarg;
		else if (opt == 'r')
			root = optarg;
		else if (opt == 'k' && n_keep < MAX_KEEP && cap_from_name(optarg, &keep[n_keep]) == 0)
			n_keep++;
		else
			return 2;
	}
	if (!user)
		return 2;
	struct privdrop_ids ids;
	char err[256];
	if (privdrop_resolve(user, group, &ids, err, sizeof err) != 0 ||
	    privdrop_apply(&ids, root, keep, n_keep, err, sizeof err) != 0) {
		fprintf(stderr, "privdrop_probe: %s\n", err);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	pause();
	return 0;
}
