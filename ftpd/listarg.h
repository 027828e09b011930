/* The argument of LIST and NLST as clients send it: ls(1)-style options
 * first ("-a", "-la"), then a path whose last component may be a glob
 * ("pub/x*.rpm" lists pub with the glob x*.rpm). Pure. */
#ifndef FTPD_LISTARG_H
#define FTPD_LISTARG_H

#include <stdbool.h>

#include "path.h"

struct list_arg {
	bool all;                        /* -a: dot files too */
	bool long_format;                /* -l: NLST answers as LIST */
	char dir[FTPD_PATH_MAX];         /* what to list, "" for the cwd */
	char pattern[FTPD_PATH_MAX];     /* fnmatch(3) glob over its names, "" for all */
};

/* Splits arg; options other than a and l are accepted and ignored, as
 * vsftpd does. Returns 0, or -1 if the path does not fit. */
int listarg_parse(const char *arg, struct list_arg *out);

#endif
