/* Whole-file read for the config, its includes and the leases file. */
#ifndef DHCPD_SLURP_H
#define DHCPD_SLURP_H

#include <stddef.h>

/* Returns a malloc'ed, NUL-terminated copy of the file and its length in
 * *len, or NULL with errno set. Files above max_size fail with EFBIG. */
char *slurp(const char *path, size_t max_size, size_t *len);

#endif
