/* Opening a path beneath a directory fd: ".." and symlinks never lead
 * out of it. openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) where the
 * kernel has it (Linux >= 5.6); on ENOSYS (CentOS 7 and Stream 8 kernels,
 * valgrind) a userspace walk with the same results: component by
 * component with O_NOFOLLOW, symlinks resolved by readlinkat, ".." popping
 * a stack of the directories walked down from the root.
 *
 * Paths are relative to root_fd. As with RESOLVE_BENEATH these fail with
 * EXDEV: an absolute path, a ".." above root_fd, a symlink to an absolute
 * path, a symlink whose target climbs above root_fd. More than 40 symlinks
 * in one lookup fail with ELOOP. */
#ifndef PXE_BENEATH_H
#define PXE_BENEATH_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

/* open(2) of path beneath root_fd. O_CLOEXEC is always added, and O_NOCTTY
 * unless O_PATH; mode is used only with O_CREAT. O_NOFOLLOW and
 * O_CREAT|O_EXCL do not follow a final symlink, as with open(2).
 * Returns an fd, or -1 with errno. */
int beneath_open(int root_fd, const char *path, int flags, mode_t mode);
/* As beneath_open, but with root_fd taken as "/" (RESOLVE_IN_ROOT), what a
 * chroot to it gives: an absolute path or symlink starts at root_fd, ".."
 * at root_fd stays there. Nothing leads out of it either. */
int beneath_open_in_root(int root_fd, const char *path, int flags, mode_t mode);
/* stat(2) of path beneath root_fd, symlinks followed. 0, or -1 with errno. */
int beneath_stat(int root_fd, const char *path, struct stat *st);
/* For unit tests: take the userspace walk even where openat2 exists, so
 * both ways run over the same cases. */
void beneath_force_fallback(bool on);

#endif
