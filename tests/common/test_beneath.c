/* beneath_open: every case run through openat2 and through the userspace
 * walk, with the same expected fd target or errno. Under valgrind (no
 * openat2) both runs take the walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"

/* The tree, under a temporary directory: "outside" is a real file next to
 * the root, so an escape would succeed if it were not refused. */
static const struct node {
	const char *name;
	const char *link; /* a symlink to this, or else */
	bool dir;         /* a directory, or else an empty file */
} tree[] = {
	{ "outside", NULL, false },
	{ "root", NULL, true },
	{ "root/file", NULL, false },
	{ "root/dir", NULL, true },
	{ "root/dir/sub", NULL, true },
	{ "root/dir/nested", NULL, false },
	{ "root/in_link", "dir/nested", false },
	{ "root/dir_link", "dir", false },
	{ "root/dir/back", "../file", false },
	{ "root/abs_link", "/etc/passwd", false },
	{ "root/chain", "dir/escape", false },
	{ "root/dir/escape", "../../outside", false },
	{ "root/loop1", "loop2", false },
	{ "root/loop2", "loop1", false },
	{ "root/self", "self", false },
	{ "root/abs_in", "/dir/nested", false },
	{ "root/dir/abs_dir", "/dir", false },
	{ "root/dir/abs_up", "/../../file", false },
};

static const struct tcase {
	const char *path;
	int flags;
	int err;           /* 0: opens */
	const char *opens; /* then the file it must be, below root */
} cases[] = {
	{ "file", O_RDONLY, 0, "file" },
	{ "dir/nested", O_RDONLY, 0, "dir/nested" },
	{ "/file", O_RDONLY, EXDEV, NULL },
	{ "..", O_RDONLY, EXDEV, NULL },
	{ "dir/../file", O_RDONLY, 0, "file" },
	{ "dir/sub/../../file", O_RDONLY, 0, "file" },
	{ "../outside", O_RDONLY, EXDEV, NULL },
	{ "dir/sub/../../../outside", O_RDONLY, EXDEV, NULL },
	{ "in_link", O_RDONLY, 0, "dir/nested" },
	{ "dir/back", O_RDONLY, 0, "file" },
	{ "dir_link/nested", O_RDONLY, 0, "dir/nested" },
	{ "abs_link", O_RDONLY, EXDEV, NULL },
	{ "chain", O_RDONLY, EXDEV, NULL },
	{ "dir", O_RDONLY | O_DIRECTORY, 0, "dir" },
	{ "dir/", O_RDONLY | O_DIRECTORY, 0, "dir" },
	{ ".", O_RDONLY | O_DIRECTORY, 0, "." },
	{ "dir_link", O_PATH, 0, "dir" },
	{ "file", O_RDONLY | O_DIRECTORY, ENOTDIR, NULL },
	{ "file/", O_RDONLY, ENOTDIR, NULL },
	{ "file/x", O_RDONLY, ENOTDIR, NULL },
	{ "missing", O_RDONLY, ENOENT, NULL },
	{ "dir/missing/x", O_RDONLY, ENOENT, NULL },
	{ "", O_RDONLY, ENOENT, NULL },
	{ "loop1", O_RDONLY, ELOOP, NULL },
	{ "self", O_RDONLY, ELOOP, NULL },
	{ "in_link", O_RDONLY | O_NOFOLLOW, ELOOP, NULL },
	{ "abs_link", O_WRONLY | O_CREAT | O_EXCL, EEXIST, NULL },
	{ "../created", O_WRONLY | O_CREAT, EXDEV, NULL },
	{ "abs_in", O_RDONLY, EXDEV, NULL },
};

/* beneath_open_in_root: root is "/", as in a chroot to it. */
static const struct tcase in_root_cases[] = {
	{ "file", O_RDONLY, 0, "file" },
	{ "/file", O_RDONLY, 0, "file" },
	{ "//dir//nested", O_RDONLY, 0, "dir/nested" },
	{ "/", O_RDONLY | O_DIRECTORY, 0, "." },
	{ "..", O_RDONLY | O_DIRECTORY, 0, "." },
	{ "../file", O_RDONLY, 0, "file" },
	{ "dir/sub/../../../../file", O_RDONLY, 0, "file" },
	{ "../outside", O_RDONLY, ENOENT, NULL },
	{ "abs_in", O_RDONLY, 0, "dir/nested" },
	{ "dir/abs_dir/nested", O_RDONLY, 0, "dir/nested" },
	{ "dir/sub/../abs_up", O_RDONLY, 0, "file" },
	{ "dir/back", O_RDONLY, 0, "file" },
	{ "abs_link", O_RDONLY, ENOENT, NULL },
	{ "chain", O_RDONLY, ENOENT, NULL },
	{ "loop1", O_RDONLY, ELOOP, NULL },
	{ "abs_in", O_RDONLY | O_NOFOLLOW, ELOOP, NULL },
	{ "", O_RDONLY, ENOENT, NULL },
	{ "../../created", O_WRONLY | O_CREAT | O_EXCL, 0, "created" },
};

static char top[] = "/tmp/test_beneath.XXXXXX";
static int top_fd = -1, root_fd = -1;

static int make_node(const struct node *n)
{
	if (n->link)
		return symlinkat(n->link, top_fd, n->name);
	if (n->dir)
		return mkdirat(top_fd, n->name, 0755);
	int fd = openat(top_fd, n->name, O_WRONLY | O_CREAT | O_EXCL, 0644);
	return fd < 0 ? -1 : close(fd);
}

static int setup(void **state)
{
	if (!mkdtemp(top) || (top_fd = open(top, O_PATH | O_DIRECTORY)) < 0)
		return -1;
	for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
		if (make_node(&tree[i]) != 0)
			return -1;
	root_fd = openat(top_fd, "root", O_PATH | O_DIRECTORY);
	return root_fd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	for (size_t i = sizeof tree / sizeof tree[0]; i-- > 0;)
		unlinkat(top_fd, tree[i].name, tree[i].dir ? AT_REMOVEDIR : 0);
	close(root_fd);
	close(top_fd);
	return rmdir(top);
}

static void same_inode(int fd, const char *below_root)
{
	struct stat got, want;
	assert_int_equal(fstat(fd, &got), 0);
	assert_int_equal(fstatat(root_fd, below_root, &want, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(got.st_dev, want.st_dev);
	assert_int_equal(got.st_ino, want.st_ino);
}

typedef int open_fn(int root_fd, const char *path, int flags, mode_t mode);

static void run_case(const struct tcase *c, open_fn *open_under)
{
	errno = 0;
	int fd = open_under(root_fd, c->path, c->flags, 0644);
	int err = errno;
	if (c->err) {
		if (fd >= 0 || err != c->err)
			fail_msg("\"%s\": fd %d errno %s, want %s", c->path, fd, strerror(err),
				 strerror(c->err));
		return;
	}
	if (fd < 0)
		fail_msg("\"%s\": %s, want an fd", c->path, strerror(err));
	same_inode(fd, c->opens);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
}

/* *state: whether the walk is forced. */
static void test_cases(void **state)
{
	beneath_force_fallback(*state != NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i], beneath_open);
	assert_int_equal(faccessat(top_fd, "created", F_OK, 0), -1);
}

static void test_in_root(void **state)
{
	beneath_force_fallback(*state != NULL);
	for (size_t i = 0; i < sizeof in_root_cases / sizeof in_root_cases[0]; i++)
		run_case(&in_root_cases[i], beneath_open_in_root);
	assert_int_equal(faccessat(top_fd, "created", F_OK, 0), -1);
	assert_int_equal(unlinkat(root_fd, "created", 0), 0);
}

static void test_create(void **state)
{
	beneath_force_fallback(*state != NULL);
	int fd = beneath_open(root_fd, "dir/sub/../new", O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	same_inode(fd, "dir/new");
	close(fd);
	assert_int_equal(beneath_open(root_fd, "dir/new", O_WRONLY | O_CREAT | O_EXCL, 0600), -1);
	assert_int_equal(errno, EEXIST);
	/* through a link to a directory, as open(2) creates */
	fd = beneath_open(root_fd, "dir_link/new2", O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	same_inode(fd, "dir/new2");
	close(fd);
	assert_int_equal(unlinkat(root_fd, "dir/new", 0), 0);
	assert_int_equal(unlinkat(root_fd, "dir/new2", 0), 0);
}

static void test_stat(void **state)
{
	struct stat st;
	beneath_force_fallback(*state != NULL);
	assert_int_equal(beneath_stat(root_fd, "dir_link", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(beneath_stat(root_fd, "dir/back", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(beneath_stat(root_fd, "chain", &st), -1);
	assert_int_equal(errno, EXDEV);
}

/* More than 40 links in one lookup: ELOOP, even with no loop. */
static void test_link_limit(void **state)
{
	char name[16], target[16];
	beneath_force_fallback(*state != NULL);
	for (int i = 0; i < 41; i++) {
		snprintf(name, sizeof name, "l%d", i);
		snprintf(target, sizeof target, "l%d", i + 1);
		if (i == 40)
			strcpy(target, "file");
		assert_int_equal(symlinkat(target, root_fd, name), 0);
	}
	int fd = beneath_open(root_fd, "l1", O_RDONLY, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(beneath_open(root_fd, "l0", O_RDONLY, 0), -1);
	assert_int_equal(errno, ELOOP);
	for (int i = 0; i < 41; i++) {
		snprintf(name, sizeof name, "l%d", i);
		unlinkat(root_fd, name, 0);
	}
}

/* Each test twice: openat2 first (unless the kernel lacks it), then the
 * walk. */
#define BOTH(f) \
	{ #f "/openat2", f, NULL, NULL, NULL }, { #f "/walk", f, NULL, NULL, (void *)1 }

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_cases),
		BOTH(test_in_root),
		BOTH(test_create),
		BOTH(test_stat),
		BOTH(test_link_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
