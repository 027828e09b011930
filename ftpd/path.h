/* Virtual paths of a session: always absolute, normalised, inside "/". */
#ifndef FTPD_PATH_H
#define FTPD_PATH_H

#include <stdbool.h>
#include <stddef.h>

#define FTPD_PATH_MAX 1024

/* Joins arg to cwd (arg absolute: from "/"), folds "." and "..", never
 * climbing above "/" (as in a chroot). Returns 0, or -1 if too long. */
int path_resolve(const char *cwd, const char *arg, char *out, size_t size);
/* The path relative to the root, for beneath_open below the root ("." for "/"). */
const char *path_relative(const char *vpath);
/* The last component ("/" for the root). */
const char *path_basename(const char *vpath);
/* Whether the basename matches one of vsftpd's hide_file/deny_file
 * patterns: "{a*,*.b,c?}" or a single pattern (fnmatch on the basename). */
bool path_matches_list(const char *patterns, const char *vpath);

#endif
