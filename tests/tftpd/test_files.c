/* The file table: a file is shared while transfers read it, mapped, and
 * lingers after the last one for FILES_LINGER_MS (FILES_LINGER_MAX at
 * most); a file written while it lingers is opened afresh. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "files.h"

static char dir[32];
static int dir_fd;
static struct file_table table;

static void put(const char *name, const char *text)
{
	int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static struct tftpd_file *open_read(const char *name)
{
	struct tftpd_file *f;
	uint64_t size;
	enum tftp_errcode code;
	const char *msg;

	assert_int_equal(files_open_read(&table, 0, name, &f, &size, &code, &msg), 0);
	assert_int_equal(size, f->size);
	return f;
}

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/test_files.XXXXXX");
	assert_non_null(mkdtemp(dir));
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dir_fd >= 0);
	table = (struct file_table){ .root_fds = &dir_fd, .n_roots = 1 };
	return 0;
}

static int teardown(void **state)
{
	char cmd[64];

	files_expire(&table, UINT64_MAX);
	assert_int_equal(table.n_open, 0);
	close(dir_fd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static void test_shared_mapped_lingering(void **state)
{
	put("k", "kernel");
	struct tftpd_file *f = open_read("k");
	assert_ptr_equal(open_read("k"), f);
	assert_memory_equal(f->map, "kernel", 6);
	assert_int_equal(files_release(&table, f, 1000), 0);          /* one transfer left */
	assert_int_equal(files_release(&table, f, 1000), FILES_LINGER_MS);
	assert_int_equal(files_expire(&table, 1000 + FILES_LINGER_MS - 1), 1);
	assert_int_equal(table.n_open, 1);
	assert_ptr_equal(open_read("k"), f);                           /* taken up again */
	assert_int_equal(files_expire(&table, 1000 + FILES_LINGER_MS), 0);
	assert_int_equal(table.n_open, 1);
	files_release(&table, f, 5000);
	assert_int_equal(files_expire(&table, 5000 + FILES_LINGER_MS), 0);
	assert_int_equal(table.n_open, 0);
}

static void test_written_while_lingering(void **state)
{
	put("i", "initrd");
	struct tftpd_file *f = open_read("i");
	files_release(&table, f, 1000);
	int fd = openat(dir_fd, "i", O_WRONLY | O_TRUNC);    /* cp over it: the same inode */
	assert_int_equal(write(fd, "initrd.img", 10), 10);
	close(fd);
	f = open_read("i");
	assert_int_equal(f->size, 10);
	assert_memory_equal(f->map, "initrd.img", 10);
	assert_int_equal(table.n_open, 1);                             /* the old one closed */
	files_release(&table, f, 1000);
}

static void test_at_most_max_linger(void **state)
{
	char name[16];

	for (unsigned i = 0; i < FILES_LINGER_MAX + 3; i++) {
		snprintf(name, sizeof name, "f%u", i);
		put(name, "x");
		files_release(&table, open_read(name), 1000 + i);
	}
	assert_int_equal(table.n_open, FILES_LINGER_MAX);
	assert_non_null(table.open);
	assert_memory_equal(table.open->map, "x", 1);
	/* f3, the oldest left, is due; f4 in 1 ms */
	assert_int_equal(files_expire(&table, 1000 + FILES_LINGER_MS + 3), 1);
	assert_int_equal(table.n_open, FILES_LINGER_MAX - 1);
}

static void test_empty_not_mapped(void **state)
{
	put("e", "");
	struct tftpd_file *f = open_read("e");
	assert_null(f->map);
	files_release(&table, f, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_mapped_lingering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_written_while_lingering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_at_most_max_linger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_not_mapped, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
