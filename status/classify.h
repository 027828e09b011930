/* What a file name or a DHCP client's identity tells about a PC: the boot
 * stage a TFTP/FTP file belongs to, and the firmware from option 93 and
 * the vendor/user class. Pure tables. */
#ifndef STATUS_CLASSIFY_H
#define STATUS_CLASSIFY_H

#include <stdbool.h>

/* In boot order. STAGE_NONE: seen, but no step of a boot yet. */
enum stage {
	STAGE_NONE,
	STAGE_DHCP,
	STAGE_BOOTLOADER,
	STAGE_CONFIG,
	STAGE_KERNEL,
	STAGE_INITRD,
	STAGE_INSTALL_TREE,
	STAGE_DONE,
	STAGE_COUNT
};

enum firmware {
	FW_UNKNOWN,
	FW_BIOS,
	FW_UEFI,
	FW_IPXE,
};

const char *stage_name(enum stage s);
const char *firmware_name(enum firmware f);

/* The stage a TFTP file belongs to, or STAGE_NONE when the name says
 * nothing (fonts, modules, ...: the PC stays where it is). */
enum stage stage_of_file(const char *path);

/* Firmware from the option 93 architecture (-1: absent) and the client's
 * vendor class (option 60) and user class (option 77), either may be NULL.
 * iPXE says so in its user class ("iPXE"); the rest is option 93. */
enum firmware firmware_of(long arch, const char *vendor, const char *user_class);

/* A short name for an option 93 value ("x64", "arm64"), or NULL. */
const char *arch_name(long arch);

#endif
