/* The join of pxe-status: records of the three daemons, applied at
 * injected times, must give one right row per PC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"
#include "record.h"

#define STUCK_SECS 60

static struct board board;

static int setup(void **state)
{
	struct board_config cfg = { .stuck_secs = STUCK_SECS };
	board_init(&board, &cfg);
	return 0;
}

static int teardown(void **state)
{
	board_free(&board);
	return 0;
}

/* Applies one event line, printf-style, at time t. */
static void __attribute__((format(printf, 2, 3))) ev(double t, const char *fmt, ...)
{
	char line[1024];
	struct record rec;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	assert_true(record_parse(&rec, line, strlen(line)));
	board_apply(&board, &rec, t);
}

static struct pc *pc_mac(const char *mac)
{
	struct pc *pc = board_find_mac(&board, mac);
	assert_non_null(pc);
	return pc;
}

/* Firmware DHCP to ACK of one PC, t..t+1. */
static void boot_dhcp(double t, const char *mac, int arch, const char *ip)
{
	ev(t, "event=dhcpd.discover mac=%s arch=%d", mac, arch);
	ev(t, "event=dhcpd.offer mac=%s arch=%d ip=%s", mac, arch, ip);
	ev(t + 1, "event=dhcpd.request mac=%s arch=%d ip=%s", mac, arch, ip);
	ev(t + 1, "event=dhcpd.ack mac=%s arch=%d ip=%s file=pxelinux.0", mac, arch, ip);
}

static void tftp_get(double t, const char *client, const char *file, unsigned long bytes)
{
	ev(t, "event=tftpd.rrq client=%s file=%s", client, file);
	ev(t + 1, "event=tftpd.done client=%s file=%s bytes=%lu", client, file, bytes);
}

static void test_address_reuse(void **state)
{
	boot_dhcp(0, "52:54:00:00:00:01", 0, "198.18.0.10");
	tftp_get(2, "198.18.0.10:2000", "pxelinux.0", 100);
	/* The lease expired; another PC gets the address. */
	boot_dhcp(100, "52:54:00:00:00:02", 7, "198.18.0.10");
	tftp_get(102, "198.18.0.10:2001", "grubx64.efi", 200);

	assert_int_equal(board.n_pcs, 2);
	struct pc *old = pc_mac("52:54:00:00:00:01");
	struct pc *now = pc_mac("52:54:00:00:00:02");
	assert_string_equal(old->addr, "");
	assert_int_equal(old->xfer.bytes, 100);
	assert_string_equal(now->addr, "198.18.0.10");
	assert_int_equal(now->stage, STAGE_BOOTLOADER);
	assert_string_equal(now->xfer.file, "grubx64.efi");
	assert_int_equal(now->firmware, FW_UEFI);
}

static void test_two_client_ids_one_row(void **state)
{
	ev(0, "event=dhcpd.discover mac=52:54:00:00:00:03 arch=0 cid=00:11:22");
	ev(1, "event=dhcpd.ack mac=52:54:00:00:00:03 arch=0 cid=00:11:22 ip=198.18.0.11");
	tftp_get(2, "198.18.0.11:2000", "pxelinux.0", 100);
	tftp_get(4, "198.18.0.11:2001", "vmlinuz", 1000);
	tftp_get(6, "198.18.0.11:2002", "initrd.img", 2000);
	/* The installer's DHCP client: another client id, no option 93. */
	ev(20, "event=dhcpd.discover mac=52:54:00:00:00:03 cid=01:52:54:00:00:00:03");
	ev(21, "event=dhcpd.ack mac=52:54:00:00:00:03 cid=01:52:54:00:00:00:03 ip=198.18.0.11");

	assert_int_equal(board.n_pcs, 1);
	struct pc *pc = pc_mac("52:54:00:00:00:03");
	assert_int_equal(pc->n_cids, 2);
	assert_string_equal(pc->cids[0], "00:11:22");
	assert_string_equal(pc->cids[1], "01:52:54:00:00:00:03");
	assert_int_equal(pc->stage, STAGE_INITRD);   /* not a new boot */
	assert_int_equal(pc->boots, 1);
	assert_int_equal(pc->firmware, FW_BIOS);
}

static void test_mac_case_does_not_split_rows(void **state)
{
	ev(0, "event=dhcpd.discover mac=52:54:00:AB:CD:EF arch=0");
	ev(1, "event=dhcpd.ack mac=52:54:00:ab:cd:ef arch=0 ip=198.18.0.12");
	assert_int_equal(board.n_pcs, 1);
}

static void test_relayed_client(void **state)
{
	ev(0, "event=dhcpd.discover mac=52:54:00:00:00:04 arch=9 relay=198.18.2.1");
	ev(1, "event=dhcpd.ack mac=52:54:00:00:00:04 arch=9 ip=198.18.2.50 relay=198.18.2.1");
	tftp_get(2, "198.18.2.50:1500", "/EFI/BOOT/grubx64.efi", 1000);
	ev(4, "event=tftpd.rrq client=198.18.2.50:1501 file=/grub/grub.cfg");

	assert_int_equal(board.n_pcs, 1);
	struct pc *pc = pc_mac("52:54:00:00:00:04");
	assert_string_equal(pc->relay, "198.18.2.1");
	assert_string_equal(pc->addr, "198.18.2.50");
	assert_int_equal(pc->stage, STAGE_CONFIG);
	assert_int_equal(pc->firmware, FW_UEFI);
	assert_int_equal(pc->arch, 9);
}

static void test_address_seen_before_ack_joins_mac_row(void **state)
{
	/* The log starts mid-boot: TFTP from an address no ACK bound yet. */
	tftp_get(0, "198.18.0.13:2000", "vmlinuz", 5000);
	assert_int_equal(board.n_pcs, 1);
	assert_string_equal(board.pcs[0].mac, "");
	ev(10, "event=dhcpd.ack mac=52:54:00:00:00:05 ip=198.18.0.13");
	assert_int_equal(board.n_pcs, 1);
	struct pc *pc = pc_mac("52:54:00:00:00:05");
	assert_int_equal(pc->xfer.bytes, 5000);
	assert_int_equal(pc->stage, STAGE_KERNEL);
}

#define MANY 40

static void mac_of(char *buf, size_t size, int i)
{
	snprintf(buf, size, "52:54:00:00:01:%02x", i);
}

static void client_of(char *buf, size_t size, int i, int port)
{
	snprintf(buf, size, "198.18.1.%d:%d", 10 + i, port);
}

/* Every PC goes through the whole boot; the events of all PCs are
 * interleaved step by step, PC i a little behind PC i-1. */
static void test_interleaved_many(void **state)
{
	static const char *const files[] = { "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/default",
					     "images/vmlinuz", "images/initrd.img" };
	char mac[32], client[48], ip[32];
	for (int i = 0; i < MANY; i++) {
		mac_of(mac, sizeof mac, i);
		snprintf(ip, sizeof ip, "198.18.1.%d", 10 + i);
		boot_dhcp(i, mac, i % 2 ? 7 : 0, ip);
	}
	for (int step = 0; step < 5; step++)
		for (int i = 0; i < MANY; i++) {
			client_of(client, sizeof client, i, 2000 + step);
			tftp_get(10 + step * 10 + i, client, files[step], 1000u * (unsigned)(step + 1));
		}
	for (int i = 0; i < MANY; i++) {
		snprintf(ip, sizeof ip, "198.18.1.%d", 10 + i);
		ev(100 + i, "event=ftpd.login client=%s user=anonymous", ip);
	}
	for (int i = 0; i < MANY; i++) {
		snprintf(ip, sizeof ip, "198.18.1.%d", 10 + i);
		ev(110 + i, "event=ftpd.retr client=%s file=pub/install.img bytes=%d", ip, 7000 + i);
		ev(120 + i, "event=ftpd.disconnect client=%s", ip);
	}

	assert_int_equal(board.n_pcs, MANY);
	for (int i = 0; i < MANY; i++) {
		mac_of(mac, sizeof mac, i);
		struct pc *pc = pc_mac(mac);
		assert_int_equal(pc->stage, STAGE_DONE);
		assert_int_equal(pc->firmware, i % 2 ? FW_UEFI : FW_BIOS);
		assert_int_equal(pc->xfer.bytes, 7000 + i);
		/* dhcp from t=i to the first rrq at 10+i; 10 s per TFTP step */
		assert_true(pc->stage_secs[STAGE_DHCP] == 10.0);
		assert_true(pc->stage_secs[STAGE_BOOTLOADER] == 10.0);
		assert_true(pc->stage_secs[STAGE_CONFIG] == 20.0);
		assert_true(pc->stage_secs[STAGE_KERNEL] == 10.0);
		assert_true(pc->stage_secs[STAGE_INITRD] == 100.0 + i - (50.0 + i));
		assert_true(pc->stage_secs[STAGE_INSTALL_TREE] == 20.0);
		assert_false(pc_stuck(&board, pc, 10000));
	}
}

static void test_stuck_with_injected_clock(void **state)
{
	boot_dhcp(0, "52:54:00:00:00:06", 0, "198.18.0.14");
	ev(100, "event=tftpd.rrq client=198.18.0.14:2000 file=initrd.img size=100000");
	ev(110, "event=tftpd.progress client=198.18.0.14:2000 bytes=5000 size=100000 rate=500");
	struct pc *pc = pc_mac("52:54:00:00:00:06");
	assert_false(pc_stuck(&board, pc, 169));
	/* The same byte count again is no progress. */
	ev(150, "event=tftpd.progress client=198.18.0.14:2000 bytes=5000 size=100000 rate=100");
	assert_true(pc_stuck(&board, pc, 170));
	assert_int_equal(pc->stage, STAGE_INITRD);
	/* It moves again. */
	ev(175, "event=tftpd.progress client=198.18.0.14:2000 bytes=9000 size=100000 rate=200");
	assert_false(pc_stuck(&board, pc, 200));
	assert_int_equal(pc->xfer.bytes, 9000);
	assert_true(pc->xfer.active);
	assert_true(pc_time_in_stage(pc, 200) == 100.0);
}

static void test_repeated_discover_without_offer_is_stuck(void **state)
{
	for (int t = 0; t <= 120; t += 4)
		ev(t, "event=dhcpd.discover mac=52:54:00:00:00:07 arch=7");
	struct pc *pc = pc_mac("52:54:00:00:00:07");
	assert_int_equal(pc->stage, STAGE_DHCP);
	assert_true(pc_stuck(&board, pc, 120));
}

static void test_kernel_not_found(void **state)
{
	boot_dhcp(0, "52:54:00:00:00:08", 0, "198.18.0.15");
	tftp_get(2, "198.18.0.15:2000", "pxelinux.0", 100);
	ev(4, "event=tftpd.rrq client=198.18.0.15:2001 file=pxelinux.cfg/01-52-54-00-00-00-08");
	ev(4, "event=tftpd.fail client=198.18.0.15:2001 file=pxelinux.cfg/01-52-54-00-00-00-08 "
	      "reason=\"file not found\"");
	struct pc *pc = pc_mac("52:54:00:00:00:08");
	assert_string_equal(pc->error.reason, "file not found");
	/* A config probe that failed stops mattering once default arrives. */
	tftp_get(5, "198.18.0.15:2002", "pxelinux.cfg/default", 300);
	assert_string_equal(pc->error.reason, "");
	ev(7, "event=tftpd.rrq client=198.18.0.15:2003 file=images/vmlinuz");
	ev(7, "event=tftpd.fail client=198.18.0.15:2003 file=images/vmlinuz reason=\"file not found\"");
	ev(20, "event=tftpd.rrq client=198.18.0.15:2004 file=images/vmlinuz");
	ev(20, "event=tftpd.fail client=198.18.0.15:2004 file=images/vmlinuz reason=\"file not found\"");

	assert_int_equal(pc->stage, STAGE_KERNEL);
	assert_string_equal(pc->error.reason, "file not found");
	assert_string_equal(pc->error.file, "images/vmlinuz");
	assert_int_equal(pc->error.stage, STAGE_KERNEL);
	assert_false(pc->xfer.active);
	assert_false(pc_stuck(&board, pc, 66));
	assert_true(pc_stuck(&board, pc, 67));   /* the retry at 20 was no progress */
}

static void test_nak_is_an_error(void **state)
{
	ev(0, "event=dhcpd.request mac=52:54:00:00:00:09 arch=0 ip=10.0.0.5");
	ev(0, "event=dhcpd.nak mac=52:54:00:00:00:09 arch=0 reason=\"wrong network\"");
	struct pc *pc = pc_mac("52:54:00:00:00:09");
	assert_string_equal(pc->error.reason, "NAK: wrong network");
	assert_int_equal(pc->error.stage, STAGE_DHCP);
	ev(3, "event=dhcpd.ack mac=52:54:00:00:00:09 arch=0 ip=198.18.0.16");
	assert_string_equal(pc->error.reason, "");
}

/* dhcpd's replies do not repeat the user class: iPXE stays iPXE. */
static void test_ipxe_from_requests(void **state)
{
	ev(0, "event=dhcpd.discover mac=52:54:00:00:00:0e arch=0 user_class=iPXE");
	ev(0, "event=dhcpd.offer mac=52:54:00:00:00:0e arch=0 ip=198.18.0.20");
	ev(1, "event=dhcpd.request mac=52:54:00:00:00:0e arch=0 user_class=iPXE ip=198.18.0.20");
	ev(1, "event=dhcpd.ack mac=52:54:00:00:00:0e arch=0 ip=198.18.0.20");
	assert_int_equal(pc_mac("52:54:00:00:00:0e")->firmware, FW_IPXE);
	/* A PC seen only through replies still gets a firmware. */
	ev(2, "event=dhcpd.ack mac=52:54:00:00:00:0f arch=7 ip=198.18.0.21");
	assert_int_equal(pc_mac("52:54:00:00:00:0f")->firmware, FW_UEFI);
}

static void test_tftp_rates_and_retransmits(void **state)
{
	boot_dhcp(0, "52:54:00:00:00:10", 7, "198.18.0.22");
	ev(2, "event=tftpd.rrq client=198.18.0.22:3000 file=vmlinuz options=tsize=0,blksize=1468 "
	      "granted=tsize=8000,blksize=1468");
	struct pc *pc = pc_mac("52:54:00:00:00:10");
	assert_int_equal(pc->xfer.size, 8000);
	ev(3, "event=tftpd.progress client=198.18.0.22:3000 bytes=4000 rate=4000 retransmits=3 window=4");
	assert_int_equal(pc->xfer.retransmits, 3);
	assert_int_equal(pc->xfer.window, 4);
	ev(9, "event=tftpd.done client=198.18.0.22:3000 bytes=8000 duration_ms=2000 retransmits=5");
	assert_true(pc->xfer.rate == 4000.0);
	assert_int_equal(pc->xfer.retransmits, 5);
	/* No rate, no duration: bytes over the time since the request. */
	ev(10, "event=tftpd.rrq client=198.18.0.22:3001 file=initrd.img");
	ev(14, "event=tftpd.done client=198.18.0.22:3001 bytes=1000");
	assert_true(pc->xfer.rate == 250.0);
}

static void test_reboot_starts_a_new_boot(void **state)
{
	boot_dhcp(0, "52:54:00:00:00:0a", 0, "198.18.0.17");
	tftp_get(2, "198.18.0.17:2000", "pxelinux.0", 100);
	ev(5, "event=ftpd.login client=198.18.0.17");
	ev(6, "event=ftpd.retr client=198.18.0.17 file=x bytes=1");
	ev(7, "event=ftpd.disconnect client=198.18.0.17");
	struct pc *pc = pc_mac("52:54:00:00:00:0a");
	assert_int_equal(pc->stage, STAGE_DONE);
	boot_dhcp(50, "52:54:00:00:00:0a", 0, "198.18.0.17");
	assert_int_equal(pc->stage, STAGE_DHCP);
	assert_int_equal(pc->boots, 2);
	assert_false(pc->visited[STAGE_INSTALL_TREE]);
	assert_string_equal(pc->xfer.file, "");
}

static void test_done_marker(void **state)
{
	board.cfg.done_marker = "*/install-done";
	boot_dhcp(0, "52:54:00:00:00:0b", 0, "198.18.0.18");
	ev(5, "event=ftpd.login client=198.18.0.18");
	ev(6, "event=ftpd.retr client=198.18.0.18 file=pub/install.img bytes=10");
	ev(7, "event=ftpd.disconnect client=198.18.0.18");
	struct pc *pc = pc_mac("52:54:00:00:00:0b");
	assert_int_equal(pc->stage, STAGE_INSTALL_TREE);
	ev(9, "event=ftpd.retr client=198.18.0.18 file=pub/install-done bytes=0");
	assert_int_equal(pc->stage, STAGE_DONE);
}

static void test_failed_retr_is_not_done(void **state)
{
	boot_dhcp(0, "52:54:00:00:00:0c", 0, "198.18.0.19");
	ev(5, "event=ftpd.login client=198.18.0.19");
	ev(6, "event=ftpd.retr client=198.18.0.19 file=pub/missing bytes=0 error=\"file not found\"");
	ev(7, "event=ftpd.disconnect client=198.18.0.19");
	struct pc *pc = pc_mac("52:54:00:00:00:0c");
	assert_int_equal(pc->stage, STAGE_INSTALL_TREE);
	assert_string_equal(pc->error.reason, "file not found");
	assert_string_equal(pc->error.file, "pub/missing");
	ev(8, "event=ftpd.connect client=198.18.0.19");
	ev(9, "event=ftpd.retr client=198.18.0.19 file=pub/big bytes=10 status=failed");
	ev(9, "event=ftpd.disconnect client=198.18.0.19");
	assert_int_equal(pc->stage, STAGE_INSTALL_TREE);
	assert_string_equal(pc->error.reason, "transfer failed");
	assert_string_equal(pc->error.file, "pub/big");
}

static void test_unattributable_and_unknown(void **state)
{
	ev(0, "event=tftpd.rrq file=pxelinux.0");
	ev(0, "event=dhcpd.discover arch=0");
	ev(0, "event=dhcpd.inform mac=52:54:00:00:00:0d");
	ev(0, "event=tftpd.rrq client=[fd00::5]:2000 file=pxelinux.0");
	assert_int_equal(board.bad, 2);
	assert_int_equal(board.ignored, 1);
	assert_int_equal(board.n_pcs, 1);
	assert_string_equal(board.pcs[0].addr, "fd00::5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_address_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_client_ids_one_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_case_does_not_split_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relayed_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_seen_before_ack_joins_mac_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_with_injected_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_discover_without_offer_is_stuck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nak_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipxe_from_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_rates_and_retransmits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reboot_starts_a_new_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_done_marker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_retr_is_not_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unattributable_and_unknown, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
