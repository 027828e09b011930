/* Opening beneath a directory; see beneath.h. */
#include "beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BENEATH_MAX_LINKS 40 /* the kernel's MAXSYMLINKS */
#define STEP_LINKED (-2)     /* the last component was a symlink: go on */

/* Set once openat2 answered ENOSYS: the kernel will not grow it later.
 * Atomic: every loop thread opens files. */
static atomic_bool no_openat2;
static bool forced_fallback;

void beneath_force_fallback(bool on)
{
	forced_fallback = on;
}

/* A userspace lookup in progress. dirs[0] is the caller's root (not ours
 * to close); dirs[depth] is the directory the next component is in. */
struct walk {
	int *dirs;
	size_t depth, cap;
	char todo[PATH_MAX]; /* the components not resolved yet */
	char *next;          /* into todo; NULL once the last one is taken */
	unsigned links;
	bool in_root;        /* RESOLVE_IN_ROOT: "/" and ".." stop at dirs[0] */
	int flags;
	mode_t mode;
};

#ifdef __SANITIZE_THREAD__
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
void __sanitizer_syscall_pre_impl_close(long fd);

/* ThreadSanitizer sees neither openat2 (a raw syscall) nor openat (GCC 12
 * does not intercept it) open an fd, nor libuv close a socket (a raw
 * syscall too): a new fd would keep the accesses of the socket its number
 * last named, on another loop thread, and our close or fstat of it would
 * be reported as a race. TSan's close hook, its own check muted, forgets
 * them. */
static int fd_opened(int fd)
{
	if (fd >= 0) {
		AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
		__sanitizer_syscall_pre_impl_close(fd);
		AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
	}
	return fd;
}
#else
static int fd_opened(int fd)
{
	return fd;
}
#endif

static int open_kernel(int root_fd, const char *path, int flags, mode_t mode, bool in_root)
{
	struct open_how how = {
		.flags = (uint64_t)flags,
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = (in_root ? RESOLVE_IN_ROOT : RESOLVE_BENEATH) | RESOLVE_NO_MAGICLINKS,
	};
	return fd_opened((int)syscall(SYS_openat2, root_fd, path, &how, sizeof how));
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static int current(const struct walk *w)
{
	return w->dirs[w->depth];
}

static int push_dir(struct walk *w, int fd)
{
	if (w->depth + 1 == w->cap) {
		int *grown = realloc(w->dirs, 2 * w->cap * sizeof *grown);
		if (!grown) {
			close(fd);
			return fail(ENOMEM);
		}
		w->dirs = grown;
		w->cap *= 2;
	}
	w->dirs[++w->depth] = fd;
	return 0;
}

/* "..": back to the directory we came from; above the root is EXDEV, or
 * the root itself in root mode (as ".." in "/"). */
static int pop_dir(struct walk *w)
{
	if (w->depth == 0)
		return w->in_root ? 0 : fail(EXDEV);
	close(w->dirs[w->depth--]);
	return 0;
}

/* The components left become the link's target followed by rest (NULL
 * when the link was the last component). */
static int splice_link(struct walk *w, const char *target, const char *rest)
{
	char joined[PATH_MAX];
	size_t tlen = strlen(target), rlen = rest ? strlen(rest) + 1 : 0;

	if (tlen + rlen >= sizeof joined)
		return fail(ENAMETOOLONG);
	memcpy(joined, target, tlen);
	if (rest) {
		joined[tlen] = '/';
		memcpy(joined + tlen + 1, rest, rlen - 1);
	}
	joined[tlen + rlen] = '\0';
	memcpy(w->todo, joined, tlen + rlen + 1);
	w->next = w->todo;
	return 0;
}

/* 1 if name is a symlink (now spliced into the walk), 0 if not: when
 * readlinkat fails, the open that follows reports why. */
static int follow_link(struct walk *w, const char *name, const char *rest)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(current(w), name, target, sizeof target);

	if (n < 0)
		return 0;
	if ((size_t)n == sizeof target)
		return fail(ENAMETOOLONG);
	target[n] = '\0';
	if (++w->links > BENEATH_MAX_LINKS)
		return fail(ELOOP);
	if (target[0] == '/' && !w->in_root)
		return fail(EXDEV);
	while (target[0] == '/' && w->depth > 0)   /* the rest starts at the root */
		close(w->dirs[w->depth--]);
	return splice_link(w, target, rest) == 0 ? 1 : -1;
}

static bool is_dot(const char *name)
{
	return name[0] == '\0' || strcmp(name, ".") == 0;
}

/* A directory on the way: "", "." and ".." never touch the disk. */
static int step_dir(struct walk *w, const char *name, const char *rest)
{
	if (is_dot(name))
		return 0;
	if (strcmp(name, "..") == 0)
		return pop_dir(w);
	int linked = follow_link(w, name, rest);
	if (linked != 0)
		return linked < 0 ? -1 : 0;
	/* O_NOFOLLOW: a symlink swapped in since readlinkat is ENOTDIR */
	int fd = fd_opened(openat(current(w), name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	return fd < 0 ? -1 : push_dir(w, fd);
}

static bool follows_last(int flags)
{
	return !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
}

/* The last component, with the caller's flags: an fd, -1 or STEP_LINKED. */
static int step_last(struct walk *w, const char *name)
{
	if (strcmp(name, "..") == 0) {
		if (pop_dir(w) != 0)
			return -1;
		name = ".";
	} else if (is_dot(name)) {
		name = ".";
	} else if (follows_last(w->flags)) {
		int linked = follow_link(w, name, NULL);
		if (linked != 0)
			return linked < 0 ? -1 : STEP_LINKED;
	}
	return fd_opened(openat(current(w), name, w->flags | O_NOFOLLOW, w->mode));
}

static int walk_on(struct walk *w)
{
	for (;;) {
		char *name = w->next;
		char *slash = strchr(name, '/');

		if (!slash) {
			w->next = NULL;
			int fd = step_last(w, name);
			if (fd != STEP_LINKED)
				return fd;
			continue;
		}
		*slash = '\0';
		w->next = slash + 1;
		if (step_dir(w, name, w->next) != 0)
			return -1;
	}
}

static int open_walk(int root_fd, const char *path, int flags, mode_t mode, bool in_root)
{
	size_t len = strlen(path);

	if (len >= PATH_MAX)
		return fail(ENAMETOOLONG);
	if (len == 0)
		return fail(ENOENT);
	if (path[0] == '/' && !in_root)
		return fail(EXDEV);
	struct walk w = { .cap = 16, .in_root = in_root, .flags = flags, .mode = mode };
	w.dirs = malloc(w.cap * sizeof *w.dirs);
	if (!w.dirs)
		return fail(ENOMEM);
	w.dirs[0] = root_fd;
	memcpy(w.todo, path, len + 1);
	w.next = w.todo;
	int fd = walk_on(&w);
	int err = errno;
	while (w.depth > 0)
		close(w.dirs[w.depth--]);
	free(w.dirs);
	errno = err;
	return fd;
}

static int open_under(int root_fd, const char *path, int flags, mode_t mode, bool in_root)
{
	flags |= O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY);
	if (!forced_fallback && !atomic_load_explicit(&no_openat2, memory_order_relaxed)) {
		int fd = open_kernel(root_fd, path, flags, mode, in_root);
		if (fd >= 0 || errno != ENOSYS)
			return fd;
		atomic_store_explicit(&no_openat2, true, memory_order_relaxed);
	}
	return open_walk(root_fd, path, flags, mode, in_root);
}

int beneath_open(int root_fd, const char *path, int flags, mode_t mode)
{
	return open_under(root_fd, path, flags, mode, false);
}

int beneath_open_in_root(int root_fd, const char *path, int flags, mode_t mode)
{
	return open_under(root_fd, path, flags, mode, true);
}

int beneath_stat(int root_fd, const char *path, struct stat *st)
{
	int fd = beneath_open(root_fd, path, O_PATH, 0);

	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	close(fd);
	return rc;
}
