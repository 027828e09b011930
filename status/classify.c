/* Tables mapping file names to boot stages and option 93 values to
 * firmware. First matching row wins, so specific names come first. */
#include "classify.h"

#include <fnmatch.h>
#include <string.h>
#include <strings.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const stage_names[STAGE_COUNT] = {
	[STAGE_NONE] = "none",
	[STAGE_DHCP] = "dhcp",
	[STAGE_BOOTLOADER] = "bootloader",
	[STAGE_CONFIG] = "config",
	[STAGE_KERNEL] = "kernel",
	[STAGE_INITRD] = "initrd",
	[STAGE_INSTALL_TREE] = "install-tree",
	[STAGE_DONE] = "done",
};

const char *stage_name(enum stage s)
{
	return s < STAGE_COUNT ? stage_names[s] : "?";
}

const char *firmware_name(enum firmware f)
{
	static const char *const names[] = {
		[FW_UNKNOWN] = "?", [FW_BIOS] = "BIOS", [FW_UEFI] = "UEFI", [FW_IPXE] = "iPXE",
	};
	return f < N_ELEMS(names) ? names[f] : "?";
}

/* whole_path rows match the path ("pxelinux.cfg/01-..."), the others
 * only its last component, so a directory named grub/ says nothing. */
static const struct file_rule {
	const char *pattern;
	bool whole_path;
	enum stage stage;
} file_rules[] = {
	{ "*pxelinux.cfg/*", true, STAGE_CONFIG },
	{ "grub.cfg", false, STAGE_CONFIG },
	{ "*.c32", false, STAGE_CONFIG },
	{ "*.ipxe", false, STAGE_CONFIG },
	{ "*pxelinux.0", false, STAGE_BOOTLOADER },
	{ "*.efi", false, STAGE_BOOTLOADER },
	{ "*.efi.signed", false, STAGE_BOOTLOADER },
	{ "*.kpxe", false, STAGE_BOOTLOADER },
	{ "grub*", false, STAGE_BOOTLOADER },
	{ "vmlinuz*", false, STAGE_KERNEL },
	{ "linux*", false, STAGE_KERNEL },
	{ "bzimage*", false, STAGE_KERNEL },
	{ "initrd*", false, STAGE_INITRD },
	{ "initramfs*", false, STAGE_INITRD },
};

enum stage stage_of_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	for (size_t i = 0; i < N_ELEMS(file_rules); i++) {
		const struct file_rule *r = &file_rules[i];
		if (fnmatch(r->pattern, r->whole_path ? path : base, FNM_CASEFOLD) == 0)
			return r->stage;
	}
	return STAGE_NONE;
}

/* Option 93 values (RFC 4578 and the IANA registry) that clients send. */
static const struct arch_row {
	long arch;
	enum firmware firmware;
	const char *name;
} arch_rows[] = {
	{ 0, FW_BIOS, "x86" },
	{ 6, FW_UEFI, "ia32" },
	{ 7, FW_UEFI, "x64" },
	{ 9, FW_UEFI, "x64" },
	{ 10, FW_UEFI, "arm32" },
	{ 11, FW_UEFI, "arm64" },
	{ 15, FW_UEFI, "ia32-http" },
	{ 16, FW_UEFI, "x64-http" },
	{ 18, FW_UEFI, "arm32-http" },
	{ 19, FW_UEFI, "arm64-http" },
	{ 20, FW_BIOS, "x86-http" },
	{ 25, FW_UEFI, "riscv32" },
	{ 27, FW_UEFI, "riscv64" },
};

static const struct arch_row *arch_row(long arch)
{
	for (size_t i = 0; i < N_ELEMS(arch_rows); i++)
		if (arch_rows[i].arch == arch)
			return &arch_rows[i];
	return NULL;
}

const char *arch_name(long arch)
{
	const struct arch_row *r = arch_row(arch);
	return r ? r->name : NULL;
}

static bool says_ipxe(const char *class_id)
{
	return class_id && strcasestr(class_id, "ipxe") != NULL;
}

enum firmware firmware_of(long arch, const char *vendor, const char *user_class)
{
	if (says_ipxe(user_class) || says_ipxe(vendor))
		return FW_IPXE;
	const struct arch_row *r = arch_row(arch);
	return r ? r->firmware : FW_UNKNOWN;
}
