/* The leases file on disk: ISC's file read, records appended, compaction
 * atomic and readable back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "slurp.h"
#include "store.h"

static const char conf_text[] =
	"subnet 198.19.0.0 netmask 255.255.0.0 { range 198.19.145.0 198.19.145.255; }\n"
	"subnet 198.18.10.0 netmask 255.255.255.0 { range 198.18.10.20 198.18.10.219; }\n";

/* The lease at addr, bound to a client with MAC 02:00:00:00:00:<mac_last>
 * until 1800003600, appended and committed. */
static struct lease *commit_binding(struct lease_store *s, struct lease_db *db, uint32_t addr, uint8_t mac_last)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, mac_last };
	struct lease *l = lease_by_addr(db, addr);
	struct client_key k;
	client_key_make(&k, 1, mac, 6, NULL, 0);
	lease_set_client(db, l, &k);
	l->state = LS_ACTIVE;
	l->starts = l->cltt = 1800000000;
	l->ends = 1800003600;
	assert_int_equal(store_append(s, l), 0);
	assert_int_equal(store_commit(s), 0);
	return l;
}

static void clean_up(char *text, struct lease_db *back, struct lease_db *db, struct dhcp_config *cfg,
		     const char *dir)
{
	char cmd[200];
	free(text);
	lease_db_free(back);
	lease_db_free(db);
	conf_free(cfg);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void compaction_keeps_every_lease(void **state)
{
	char dir[] = "/tmp/dhcpd-store-XXXXXX", path[128], tmp[160], cmd[200], err[256] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/dhcpd.leases", dir);
	snprintf(cmd, sizeof cmd, "cp %s/isc/dhcpd.leases %s", COMPAT_DIR, path);
	assert_int_equal(system(cmd), 0);
	struct dhcp_config *cfg = conf_parse("t.conf", conf_text, strlen(conf_text), err, sizeof err, NULL, NULL);
	struct lease_db *db = lease_db_new(cfg);
	struct lease_store s;
	struct leasefile_stats st;
	assert_int_equal(store_open(&s, path, db, &st, err, sizeof err), 0);
	assert_int_equal(st.records, 6);

	commit_binding(&s, db, 0xc6120a14, 1);   /* 198.18.10.20, a new binding */
	assert_int_equal(store_compact(&s, db), 0);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	assert_int_not_equal(access(tmp, F_OK), 0);

	/* appends after compaction land in the new file */
	struct lease *l2 = lease_by_addr(db, 0xc6120a15);
	struct client_key k;
	client_key_make(&k, 1, (const uint8_t *)"\x02\x00\x00\x00\x00\x01", 6, NULL, 0);
	lease_set_client(db, l2, &k);
	l2->state = LS_RELEASED;
	assert_int_equal(store_append(&s, l2), 0);
	assert_int_equal(store_commit(&s), 0);
	store_close(&s);

	size_t len;
	char *text = slurp(path, 1 << 20, &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "authoring-byte-order little-endian;"));
	struct lease_db *back = lease_db_new(cfg);
	assert_int_equal(leasefile_parse(back, path, text, len, &st, err, sizeof err), 0);
	assert_int_equal(st.records, 8);
	assert_int_equal(lease_by_addr(back, 0xc6120a14)->state, LS_ACTIVE);
	assert_int_equal(lease_by_addr(back, 0xc6120a14)->ends, 1800003600);
	assert_int_equal(lease_by_addr(back, 0xc6120a15)->state, LS_RELEASED);
	assert_int_equal(lease_by_addr(back, 0xc6130000 | (145 << 8) | 127)->state, LS_ACTIVE);
	assert_string_equal(lease_by_addr(back, 0xc6120adb)->hostname, "vm");
	clean_up(text, back, db, cfg, dir);
}

static off_t file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Commits write in place over padding laid ahead: the file's size changes
 * only when the padding runs out, and the padded file reads back. */
static void commits_overwrite_padding(void **state)
{
	char dir[] = "/tmp/dhcpd-store-XXXXXX", path[128], err[256] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/dhcpd.leases", dir);
	struct dhcp_config *cfg = conf_parse("t.conf", conf_text, strlen(conf_text), err, sizeof err, NULL, NULL);
	struct lease_db *db = lease_db_new(cfg);
	struct lease_store s;
	struct leasefile_stats st;
	assert_int_equal(store_open(&s, path, db, &st, err, sizeof err), 0);
	assert_int_equal(file_size(path), 0);
	off_t sizes[3];
	for (int i = 0; i < 3; i++) {
		commit_binding(&s, db, 0xc6120a14 + (uint32_t)i, (uint8_t)(2 + i));
		sizes[i] = file_size(path);
		if (i == 0)
			assert_int_equal(sizes[0], s.end + STORE_SLACK);   /* first record + padding */
	}
	assert_int_equal(sizes[1], sizes[0]);
	assert_int_equal(sizes[2], sizes[0]);
	store_close(&s);

	size_t len;
	char *text = slurp(path, 1 << 20, &len);
	assert_non_null(text);
	assert_int_equal(text[len - 1], '\n');
	assert_int_equal(text[len - 2], ' ');
	struct lease_db *back = lease_db_new(cfg);
	assert_int_equal(leasefile_parse(back, path, text, len, &st, err, sizeof err), 0);
	assert_int_equal(st.records, 3);
	assert_int_equal(lease_by_addr(back, 0xc6120a16)->state, LS_ACTIVE);
	clean_up(text, back, db, cfg, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compaction_keeps_every_lease),
		cmocka_unit_test(commits_overwrite_padding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
