/* A bump allocator: the config is built once and freed in one call. */
#ifndef DHCPD_ARENA_H
#define DHCPD_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Zeroed, aligned memory; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_dup(struct arena *a, const void *src, size_t size);
/* A NUL-terminated copy. */
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
