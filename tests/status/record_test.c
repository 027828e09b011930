/* The line parser, log time stamps, file/firmware classification, and the
 * sanitising of peer text in both views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "board.h"
#include "classify.h"
#include "feed.h"
#include "logtime.h"
#include "record.h"
#include "render.h"

static struct record rec;

static bool parse(const char *line)
{
	return record_parse(&rec, line, strlen(line));
}

static void test_plain_record(void **state)
{
	assert_true(parse("event=tftpd.rrq client=198.18.0.2:2070 file=pxelinux.0\n"));
	assert_string_equal(rec.daemon, "tftpd");
	assert_string_equal(rec.name, "rrq");
	assert_int_equal(rec.n_kv, 2);
	assert_string_equal(record_get(&rec, "client"), "198.18.0.2:2070");
	assert_string_equal(record_get(&rec, "file"), "pxelinux.0");
	assert_null(record_get(&rec, "size"));
	assert_int_equal(rec.prefix_len, 0);
}

static void test_log_prefixes(void **state)
{
	static const char *const lines[] = {
		"Nov 25 16:30:34 pxe pxe-dhcpd[411]: event=dhcpd.ack mac=aa ip=1.2.3.4",
		"2026-11-25T16:30:34+0000 pxe pxe-dhcpd[411]: event=dhcpd.ack mac=aa ip=1.2.3.4",
		"<6>event=dhcpd.ack mac=aa ip=1.2.3.4",
		"[  12.5] event=dhcpd.ack\tmac=aa  ip=1.2.3.4\r\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		assert_true(parse(lines[i]));
		assert_string_equal(rec.name, "ack");
		assert_string_equal(record_get(&rec, "ip"), "1.2.3.4");
		assert_ptr_equal(lines[i] + rec.prefix_len, strstr(lines[i], "event="));
	}
}

static void test_quoted_values(void **state)
{
	assert_true(parse("event=tftpd.fail client=1.2.3.4:5 reason=\"file not found\" "
			  "file=\"a\\\"b\\\\c\\x01\\x7f d\" empty= also=\"\""));
	assert_string_equal(record_get(&rec, "reason"), "file not found");
	assert_string_equal(record_get(&rec, "file"), "a\"b\\c\x01\x7f d");
	assert_string_equal(record_get(&rec, "empty"), "");
	assert_string_equal(record_get(&rec, "also"), "");
}

static void test_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"no record here",
		"prevent=dhcpd.ack mac=aa",          /* not a word of its own */
		"event=dhcpd mac=aa",                /* no event name */
		"event=.ack mac=aa",
		"event=dhcpd.ack mac",               /* no '=' */
		"event=dhcpd.ack =aa",
		"event=dhcpd.ack mac=\"aa",          /* unterminated */
		"event=dhcpd.ack mac=\"aa\"bb",      /* garbage after the quote */
		"event=dhcpd.ack mac=a\"a",
		"event=dhcpd.ack mac=\"\\q\"",       /* unknown escape */
		"event=dhcpd.ack mac=\"\\x0\"",
		"event=dhcpd.ack mac=\"\\x00\"",     /* NUL */
		"event=dhcpd.ack mac=\"\\xzz\"",
		"event=dhcpd.ack mac=\"\\",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(parse(bad[i]));
}

static void test_bounds(void **state)
{
	char line[4096] = "event=a.b";
	for (int i = 0; i < RECORD_MAX_KV; i++)
		snprintf(line + strlen(line), sizeof line - strlen(line), " k%d=v", i);
	assert_true(parse(line));
	assert_int_equal(rec.n_kv, RECORD_MAX_KV);
	strcat(line, " one=more");
	assert_false(parse(line));

	char huge[RECORD_MAX_TEXT + 64] = "event=a.b k=";
	size_t n = strlen(huge);
	memset(huge + n, 'x', sizeof huge - n - 1);
	huge[sizeof huge - 1] = '\0';
	assert_false(parse(huge));
}

static bool stamp(const char *line, double now, double *t)
{
	return logtime_parse(line, strlen(line), now, t);
}

static void test_logtime(void **state)
{
	double now = 1795600000.0;   /* 2026-11-25 */
	double t;
	assert_true(stamp("2026-11-24T09:00:01+0000 host", now, &t));
	assert_true(t == 1795510801.0);
	assert_true(stamp("2026-11-24T10:00:01.250+01:00 host", now, &t));
	assert_true(t == 1795510801.25);
	assert_true(stamp("2026-11-24T09:00:01Z host", now, &t));
	assert_true(t == 1795510801.0);
	assert_true(stamp("1795510801.500000 host", now, &t));
	assert_true(t == 1795510801.5);
	assert_false(stamp("<6>", now, &t));
	assert_false(stamp("", now, &t));

	/* BSD stamps are local time in the year that puts them before now. */
	setenv("TZ", "UTC", 1);
	tzset();
	assert_true(stamp("Nov 24 09:00:01 host", now, &t));
	assert_true(t == 1795510801.0);
	assert_true(stamp("Nov  4 09:00:01.5 host", now, &t));
	assert_true(t == 1795510801.5 - 20 * 86400);
	assert_true(stamp("Dec 31 23:00:00 host", now, &t));
	assert_true(t < now && t > now - 366 * 86400.0);
}

static void test_feed_times(void **state)
{
	struct board b;
	struct feed f;
	struct board_config cfg = { .stuck_secs = 60 };
	static const char first[] = "2026-11-24T09:00:01+0000 h d: event=dhcpd.discover mac=aa arch=0";
	static const char second[] = "<6>event=dhcpd.offer mac=aa ip=198.18.0.5";
	static const char third[] = "2026-11-24T09:00:01+0000 h d: event=dhcpd.ack mac=aa ts=1795510900.5";
	board_init(&b, &cfg);
	feed_init(&f, &b, 1795600000.0, true);
	assert_true(feed_line(&f, first, strlen(first)));
	assert_true(f.last_t == 1795510801.0);
	assert_true(feed_line(&f, second, strlen(second)));   /* no stamp: the last one */
	assert_true(f.last_t == 1795510801.0);
	assert_true(feed_line(&f, third, strlen(third)));     /* ts= wins */
	assert_true(f.last_t == 1795510900.5);
	assert_false(feed_line(&f, "noise", 5));
	assert_int_equal(f.lines, 3);
	assert_int_equal(b.n_pcs, 1);
	board_free(&b);
}

static void test_stage_of_file(void **state)
{
	static const struct {
		const char *file;
		enum stage stage;
	} cases[] = {
		{ "pxelinux.0", STAGE_BOOTLOADER },
		{ "/lpxelinux.0", STAGE_BOOTLOADER },
		{ "EFI/BOOT/grubx64.efi", STAGE_BOOTLOADER },
		{ "grubnetx64.efi.signed", STAGE_BOOTLOADER },
		{ "syslinux.efi", STAGE_BOOTLOADER },
		{ "undionly.kpxe", STAGE_BOOTLOADER },
		{ "pxelinux.cfg/01-52-54-00-12-34-56", STAGE_CONFIG },
		{ "pxelinux.cfg/default", STAGE_CONFIG },
		{ "/grub/grub.cfg", STAGE_CONFIG },
		{ "ldlinux.c32", STAGE_CONFIG },
		{ "linux.c32", STAGE_CONFIG },
		{ "images/pxeboot/vmlinuz", STAGE_KERNEL },
		{ "vmlinuz-5.14.0", STAGE_KERNEL },
		{ "/debian/linux", STAGE_KERNEL },
		{ "images/pxeboot/initrd.img", STAGE_INITRD },
		{ "INITRD.IMG", STAGE_INITRD },
		{ "/grub/fonts/unicode.pf2", STAGE_NONE },
		{ "/grub/x86_64-efi/normal.mod", STAGE_NONE },
		{ "", STAGE_NONE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (stage_of_file(cases[i].file) != cases[i].stage)
			fail_msg("%s: %s, want %s", cases[i].file, stage_name(stage_of_file(cases[i].file)),
				 stage_name(cases[i].stage));
}

static void test_firmware_of(void **state)
{
	assert_int_equal(firmware_of(0, "PXEClient:Arch:00000:UNDI:002001", NULL), FW_BIOS);
	assert_int_equal(firmware_of(7, "PXEClient:Arch:00007:UNDI:003000", NULL), FW_UEFI);
	assert_int_equal(firmware_of(9, NULL, NULL), FW_UEFI);
	assert_int_equal(firmware_of(11, NULL, NULL), FW_UEFI);
	assert_int_equal(firmware_of(6, NULL, NULL), FW_UEFI);
	assert_int_equal(firmware_of(0, "PXEClient:Arch:00000:UNDI:002001", "iPXE"), FW_IPXE);
	assert_int_equal(firmware_of(7, "iPXE", NULL), FW_IPXE);
	assert_int_equal(firmware_of(-1, NULL, NULL), FW_UNKNOWN);
	assert_int_equal(firmware_of(99, NULL, NULL), FW_UNKNOWN);
	assert_string_equal(arch_name(7), "x64");
	assert_null(arch_name(99));
}

/* Renders the board into a string (caller frees). */
static char *rendered(const struct board *b, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	(json ? render_json : render_live)(mem, b, 1000);
	fclose(mem);
	return text;
}

static void test_peer_text_is_sanitised(void **state)
{
	struct board b;
	struct board_config cfg = { .stuck_secs = 60 };
	board_init(&b, &cfg);
	assert_true(parse("event=tftpd.rrq client=198.18.0.9:1 file=\"vmlinuz\\x1b[2J\\\"evil\\\\\\xff\" size=10"));
	board_apply(&b, &rec, 900);
	assert_true(parse("event=tftpd.progress client=198.18.0.9:1 bytes=5 size=10"));
	board_apply(&b, &rec, 901);

	char *table = rendered(&b, false);
	assert_null(strchr(table, '\x1b'));
	assert_null(strchr(table, '\xff'));
	assert_non_null(strstr(table, "STUCK"));
	assert_non_null(strstr(table, "[##########          ]"));
	free(table);

	char *json = rendered(&b, true);
	assert_non_null(strstr(json, "\"file\": \"vmlinuz\\u001b[2J\\\"evil\\\\\\u00ff\""));
	free(json);
	board_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_record),
		cmocka_unit_test(test_log_prefixes),
		cmocka_unit_test(test_quoted_values),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_logtime),
		cmocka_unit_test(test_feed_times),
		cmocka_unit_test(test_stage_of_file),
		cmocka_unit_test(test_firmware_of),
		cmocka_unit_test(test_peer_text_is_sanitised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
