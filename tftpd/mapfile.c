/* Remap file loading; see mapfile.h. */
#include "mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The whole file from offset 0 into text (MAPFILE_MAX + 1 bytes): its
 * length, or -1 with errno set. */
static ssize_t read_all(int fd, char *text)
{
	size_t n = 0;

	while (n <= MAPFILE_MAX) {
		ssize_t got = pread(fd, text + n, MAPFILE_MAX + 1 - n, (off_t)n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	return (ssize_t)n;
}

struct remap *mapfile_read(int fd, const char *path, char *err, size_t err_size)
{
	char why[160];
	char *text = malloc(MAPFILE_MAX + 1);
	struct remap *rm = NULL;
	struct stat st;
	ssize_t n = text ? read_all(fd, text) : -1;

	if (n < 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(text ? errno : ENOMEM));
	} else if (fstat(fd, &st) == 0 && st.st_nlink == 0) {
		snprintf(err, err_size, "%s: replaced or removed since start-up; inside the -s "
			 "chroot only the file opened then can be re-read (edit it in place, or "
			 "restart)", path);
	} else if (n > MAPFILE_MAX || memchr(text, '\0', (size_t)n)) {
		snprintf(err, err_size, "%s: too large or not text", path);
	} else {
		text[n] = '\0';
		if (!(rm = remap_parse(text, why, sizeof why)))
			snprintf(err, err_size, "%s: %s", path, why);
	}
	free(text);
	return rm;
}

struct remap *mapfile_load(const char *path, char *err, size_t err_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct remap *rm;

	if (fd < 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	rm = mapfile_read(fd, path, err, err_size);
	close(fd);
	return rm;
}
