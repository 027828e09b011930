/* Boot file choice (issue 6): Red Hat's class/if config as it is, the
 * iPXE loop-break, subclasses, and the declarative per-kind filename. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "server.h"
#include "testpkt.h"

struct env {
	struct dhcp_config *cfg;
	struct lease_db *db;
};

static struct env env;

static void load(const char *text)
{
	char err[512] = "";
	env.cfg = text ? conf_parse("t.conf", text, strlen(text), err, sizeof err, NULL, NULL) : NULL;
	if (!text) {
		char path[512];
		snprintf(path, sizeof path, "%s/centos7/dhcpd.conf-pxe-uefi-bios", COMPAT_DIR);
		env.cfg = conf_load(path, err, sizeof err, NULL, NULL);
	}
	if (!env.cfg)
		fail_msg("config: %s", err);
	env.db = lease_db_new(env.cfg);
}

static int teardown(void **state)
{
	lease_db_free(env.db);
	conf_free(env.cfg);
	return 0;
}

static const struct dhcp_result *discover(struct req r, uint32_t if_addr)
{
	static struct dhcp_packet p;
	static struct dhcp_result res;
	r.type = DHCPDISCOVER;
	test_packet(&r, &p);
	struct dhcp_request rq = { .pkt = &p, .if_addr = if_addr, .now = 1800000000 };
	dhcp_handle(env.db, &rq, &res);
	return &res;
}

static const struct dhcp_out *offer(struct req r, uint32_t if_addr)
{
	const struct dhcp_result *res = discover(r, if_addr);
	assert_int_equal(res->out.msg_type, DHCPOFFER);
	return &res->out;
}

#define RH 0xc6123201u  /* 198.18.50.1 */

static const char *rh_file(int arch, const char *vendor, uint8_t mac_last)
{
	return offer((struct req){ .mac_last = mac_last, .arch = arch, .arch_set = arch >= 0, .vendor = vendor }, RH)->h.file;
}

static void red_hat_bios_uefi_pattern(void **state)
{
	load(NULL);
	assert_string_equal(rh_file(0, "PXEClient:Arch:00000:UNDI:002001", 1), "pxelinux/pxelinux.0");
	assert_string_equal(rh_file(7, "PXEClient:Arch:00007:UNDI:003016", 2), "redhat/EFI/BOOT/BOOTX64.EFI");
	assert_string_equal(rh_file(9, "PXEClient:Arch:00009:UNDI:003016", 3), "redhat/EFI/BOOT/BOOTX64.EFI");
	assert_string_equal(rh_file(-1, "udhcp 1.35.0", 4), "");
	const struct dhcp_out *o = offer((struct req){ .mac_last = 5, .arch = 7, .arch_set = true,
						       .vendor = "PXEClient:Arch:00007:UNDI:003016" }, RH);
	assert_int_equal(o->h.siaddr, RH);
	/* the host entry wins for its MAC, whatever the architecture */
	o = offer((struct req){ .mac = "\x52\x54\x00\x12\x34\x01", .arch = 7, .arch_set = true,
				.vendor = "PXEClient:Arch:00007:UNDI:003016" }, RH);
	assert_int_equal(o->h.yiaddr, 0xc6123215);
	assert_string_equal(o->h.file, "pxelinux/pxelinux.0");
}

static const char ipxe_conf[] =
	"subnet 198.18.60.0 netmask 255.255.255.0 {\n"
	"  range 198.18.60.10 198.18.60.20;\n"
	"  if exists user-class and option user-class = \"iPXE\" {\n"
	"    filename \"http://198.18.60.1/boot.ipxe\";\n"
	"  } elsif substring(option vendor-class-identifier, 0, 9) != \"PXEClient\" {\n"
	"    filename \"\";\n"
	"  } else {\n"
	"    filename \"undionly.kpxe\";\n"
	"  }\n"
	"}\n"
	"class \"vendor\" { match option vendor-class-identifier; }\n"
	"subclass \"vendor\" \"special\" { next-server 198.18.60.7; }\n"
	"class \"by-mac\" { match if binary-to-ascii(16, 8, \":\", suffix(hardware, 6)) = \"52:54:0:0:0:9\"; "
	"server-name \"nine\"; }\n";

#define IPXE_NET 0xc6123c01u

static void ipxe_loop_break_and_subclasses(void **state)
{
	load(ipxe_conf);
	const struct dhcp_out *o = offer((struct req){ .mac_last = 1, .vendor = "PXEClient:Arch:00000" }, IPXE_NET);
	assert_string_equal(o->h.file, "undionly.kpxe");
	o = offer((struct req){ .mac_last = 1, .vendor = "PXEClient:Arch:00000", .user_class = "iPXE" }, IPXE_NET);
	assert_string_equal(o->h.file, "http://198.18.60.1/boot.ipxe");
	o = offer((struct req){ .mac_last = 2, .vendor = "special" }, IPXE_NET);
	assert_string_equal(o->h.file, "");
	assert_int_equal(o->h.siaddr, 0xc6123c07);
	o = offer((struct req){ .mac_last = 9 }, IPXE_NET);
	assert_string_equal(o->h.sname, "nine");
	o = offer((struct req){ .mac_last = 8 }, IPXE_NET);
	assert_string_equal(o->h.sname, "");
}

static const char declarative_conf[] =
	"subnet 198.18.70.0 netmask 255.255.255.0 {\n"
	"  range 198.18.70.10 198.18.70.90;\n"
	"  filename uefi-x64 \"grubx64.efi\";\n"
	"  filename \"pxelinux.0\";\n"
	"  filename uefi-arm64 \"grubaa64.efi\";\n"
	"  filename uefi-ia32 \"bootia32.efi\";\n"
	"  filename http-x64 \"http://198.18.70.1/bootx64.efi\";\n"
	"  filename ipxe \"http://198.18.70.1/menu.ipxe\";\n"
	"  host special { hardware ethernet 52:54:00:00:00:63; filename \"special.0\"; }\n"
	"}\n";

#define DECL_NET 0xc6124601u

static const struct dhcp_out *decl_offer(int arch, const char *vendor, const char *uclass, uint8_t mac_last)
{
	return offer((struct req){ .mac_last = mac_last, .arch = arch, .arch_set = arch >= 0, .vendor = vendor,
				   .user_class = uclass }, DECL_NET);
}

static bool has_bytes(const struct dhcp_out *o, uint8_t code, const void *value, size_t len)
{
	for (size_t i = 0; i < o->n_opt; i++)
		if (o->opt[i].code == code && o->opt[i].len == len && !memcmp(o->opt[i].data, value, len))
			return true;
	return false;
}

static bool has_option(const struct dhcp_out *o, uint8_t code, const char *value)
{
	return has_bytes(o, code, value, strlen(value));
}

static void declarative_boot_kinds(void **state)
{
	load(declarative_conf);
	const struct dhcp_out *o = decl_offer(0, "PXEClient:Arch:00000", NULL, 1);
	assert_string_equal(o->h.file, "pxelinux.0");
	/* a PXE client given a file: 60 PXEClient with 43 discovery control 8 (iPXE skips its proxyDHCP wait) */
	assert_true(has_option(o, OPT_VENDOR_CLASS, "PXEClient"));
	assert_true(has_option(o, OPT_VENDOR_OPTS, "\x06\x01\x08\xff"));
	assert_string_equal(decl_offer(6, "PXEClient:Arch:00006", NULL, 2)->h.file, "bootia32.efi");
	assert_string_equal(decl_offer(7, "PXEClient:Arch:00007", NULL, 3)->h.file, "grubx64.efi");
	assert_string_equal(decl_offer(9, "PXEClient:Arch:00009", NULL, 4)->h.file, "grubx64.efi");
	assert_string_equal(decl_offer(11, "PXEClient:Arch:00011", NULL, 5)->h.file, "grubaa64.efi");
	assert_string_equal(decl_offer(10, "PXEClient:Arch:00010", NULL, 6)->h.file, "pxelinux.0");
	/* no option 93: the vendor class tells the architecture */
	assert_string_equal(decl_offer(-1, "PXEClient:Arch:00007:UNDI:003016", NULL, 7)->h.file, "grubx64.efi");
	o = decl_offer(16, "HTTPClient:Arch:00016:UNDI:003001", NULL, 8);
	assert_string_equal(o->h.file, "http://198.18.70.1/bootx64.efi");
	assert_true(has_option(o, OPT_VENDOR_CLASS, "HTTPClient"));
	assert_string_equal(decl_offer(7, "PXEClient:Arch:00007", "iPXE", 9)->h.file, "http://198.18.70.1/menu.ipxe");
	assert_string_equal(decl_offer(0, "PXEClient:Arch:00000", "\x04iPXE", 10)->h.file, "http://198.18.70.1/menu.ipxe");
	/* the host's plain filename beats the subnet's per-kind ones */
	assert_string_equal(decl_offer(7, "PXEClient:Arch:00007", NULL, 0x63)->h.file, "special.0");
}

static const char space_conf[] =
	"option space PXE code width 1 length width 1 hash size 3;\n"
	"option PXE.mtftp-ip code 1 = ip-address;\n"
	"option PXE.discovery-control code 6 = unsigned integer 8;\n"
	"subnet 198.18.70.0 netmask 255.255.255.0 {\n"
	"  range 198.18.70.10 198.18.70.90;\n"
	"  class \"pxe\" {\n"
	"    match if substring(option vendor-class-identifier, 0, 9) = \"PXEClient\";\n"
	"    vendor-option-space PXE;\n"
	"    option PXE.discovery-control 8;\n"
	"    option vendor-class-identifier \"PXEClient\";\n"
	"  }\n"
	"}\n";

static void vendor_option_space_is_option_43(void **state)
{
	load(space_conf);
	const struct dhcp_out *o = decl_offer(7, "PXEClient:Arch:00007", NULL, 1);
	assert_true(has_option(o, OPT_VENDOR_OPTS, "\x06\x01\x08\xff"));
	assert_true(has_option(o, OPT_VENDOR_CLASS, "PXEClient"));
	o = decl_offer(-1, "udhcp 1.35.0", NULL, 2);
	for (size_t i = 0; i < o->n_opt; i++)
		assert_int_not_equal(o->opt[i].code, OPT_VENDOR_OPTS);
}

/* spawn with: a member when the expression has a value (and match if, if
 * any, holds); the class's parameters apply to every spawned subclass. */
static const char spawn_conf[] =
	"subnet 198.18.70.0 netmask 255.255.255.0 {\n"
	"  range 198.18.70.10 198.18.70.90;\n"
	"  filename \"plain.0\";\n"
	"}\n"
	"class \"by-uclass\" {\n"
	"  match if substring(option vendor-class-identifier, 0, 9) = \"PXEClient\";\n"
	"  spawn with option user-class;\n"
	"  filename \"spawned.efi\";\n"
	"}\n"
	"class \"any-arch\" { spawn with option pxe-system-type; next-server 198.18.70.9; }\n";

static void spawn_with_classes(void **state)
{
	load(spawn_conf);
	const struct dhcp_out *o = decl_offer(7, "PXEClient:Arch:00007", "iPXE", 1);
	assert_string_equal(o->h.file, "spawned.efi");
	assert_int_equal(o->h.siaddr, 0xc6124609);
	/* no user class: not spawned; a user class but not PXE: match if fails */
	o = decl_offer(7, "PXEClient:Arch:00007", NULL, 2);
	assert_string_equal(o->h.file, "plain.0");
	assert_int_equal(o->h.siaddr, 0xc6124609);
	o = decl_offer(-1, "udhcp 1.35.0", "iPXE", 3);
	assert_string_equal(o->h.file, "plain.0");
	assert_int_equal(o->h.siaddr, 0);
}

/* A subclass member gets its class's statements, then its own block's
 * (ISC nests the subclass scope inside the class's). */
static const char subclass_conf[] =
	"subnet 198.18.70.0 netmask 255.255.255.0 {\n"
	"  range 198.18.70.10 198.18.70.90;\n"
	"}\n"
	"class \"pxe\" {\n"
	"  match option vendor-class-identifier;\n"
	"  filename \"class.0\";\n"
	"  next-server 198.18.70.5;\n"
	"}\n"
	"subclass \"pxe\" \"bare\";\n"
	"subclass \"pxe\" \"own\" { filename \"own.efi\"; }\n";

static void subclass_members_get_class_statements(void **state)
{
	load(subclass_conf);
	const struct dhcp_out *o = decl_offer(-1, "bare", NULL, 1);
	assert_string_equal(o->h.file, "class.0");
	assert_int_equal(o->h.siaddr, 0xc6124605);
	o = decl_offer(-1, "own", NULL, 2);
	assert_string_equal(o->h.file, "own.efi");
	assert_int_equal(o->h.siaddr, 0xc6124605);
	o = decl_offer(-1, "other", NULL, 3);
	assert_string_equal(o->h.file, "");
	assert_int_equal(o->h.siaddr, 0);
}

/* No boot file here (a proxyDHCP server owns the boot): no PXEClient claim. */
static void no_file_no_pxe_claim(void **state)
{
	load("subnet 198.18.70.0 netmask 255.255.255.0 { range 198.18.70.10 198.18.70.90; }\n");
	const struct dhcp_out *o = decl_offer(0, "PXEClient:Arch:00000:UNDI:002001", NULL, 1);
	for (size_t i = 0; i < o->n_opt; i++) {
		assert_int_not_equal(o->opt[i].code, OPT_VENDOR_OPTS);
		assert_int_not_equal(o->opt[i].code, OPT_VENDOR_CLASS);
	}
}

static const char proxy_conf[] =
	"subnet 198.18.70.0 netmask 255.255.255.0 {\n"
	"  proxy-dhcp;\n"
	"  option routers 198.18.70.1;\n"
	"  next-server 198.18.70.1;\n"
	"  filename \"pxelinux.0\";\n"
	"  filename uefi-x64 \"grubx64.efi\";\n"
	"}\n";

/* boot_port: the request came to port 4011 from ciaddr:4011, as OVMF sends it */
static const struct dhcp_result *proxy_run_on(struct req r, bool boot_port)
{
	static struct dhcp_packet p;
	static struct dhcp_result res;
	test_packet(&r, &p);
	struct dhcp_request rq = { .pkt = &p, .if_addr = DECL_NET, .now = 1800000000, .boot_port = boot_port,
				   .peer_addr = r.ciaddr, .peer_port = boot_port ? 4011 : 68 };
	dhcp_handle(env.db, &rq, &res);
	return &res;
}

static const struct dhcp_result *proxy_run(struct req r)
{
	return proxy_run_on(r, false);
}

static void proxy_dhcp_boot_answers_only(void **state)
{
	load(proxy_conf);
	const char *pxe7 = "PXEClient:Arch:00007:UNDI:003016";
	const struct dhcp_result *r = proxy_run((struct req){ .type = DHCPDISCOVER, .mac_last = 1, .arch = 7,
							      .arch_set = true, .vendor = pxe7 });
	assert_int_equal(r->out.msg_type, DHCPOFFER);
	assert_int_equal(r->out.h.yiaddr, 0);
	assert_int_equal(r->dest, DEST_BROADCAST);
	assert_string_equal(r->out.h.file, "grubx64.efi");
	assert_int_equal(r->out.h.siaddr, DECL_NET);
	assert_true(has_option(&r->out, OPT_VENDOR_CLASS, "PXEClient"));
	assert_true(has_option(&r->out, OPT_VENDOR_OPTS, "\x06\x01\x08\xff"));
	for (size_t i = 0; i < r->out.n_opt; i++) {   /* no address, so no lease time, mask or router */
		assert_int_not_equal(r->out.opt[i].code, OPT_LEASE_TIME);
		assert_int_not_equal(r->out.opt[i].code, OPT_ROUTERS);
	}
	assert_null(r->commit);
	/* the port-4011 REQUEST, from the address another server gave: answered back to its source port */
	struct req boot = { .type = DHCPREQUEST, .mac_last = 1, .ciaddr = 0xc6124664, .vendor = pxe7, .arch = 7,
			    .arch_set = true };
	r = proxy_run_on(boot, true);
	assert_int_equal(r->out.msg_type, DHCPACK);
	assert_int_equal(r->dest, DEST_PEER);
	assert_int_equal(r->dest_addr, 0xc6124664);
	assert_int_equal(r->dest_port, 4011);
	assert_string_equal(r->out.h.file, "grubx64.efi");
	assert_int_equal(r->out.h.siaddr, DECL_NET);
	/* the same REQUEST to port 67 goes to the client's port 68 */
	r = proxy_run(boot);
	assert_int_equal(r->dest, DEST_CIADDR);
	assert_int_equal(r->dest_addr, 0xc6124664);
	/* port 4011 from no address: nowhere to answer */
	boot.ciaddr = 0;
	assert_int_equal(proxy_run_on(boot, true)->dest, DEST_NONE);
	/* the REQUEST to the address server, and clients that are not PXE: silence */
	r = proxy_run((struct req){ .type = DHCPREQUEST, .mac_last = 1, .requested = 0xc6124664,
				    .server_id = 0xc6124602, .vendor = pxe7 });
	assert_int_equal(r->dest, DEST_NONE);
	r = proxy_run((struct req){ .type = DHCPDISCOVER, .mac_last = 2, .vendor = "udhcp 1.35.0" });
	assert_int_equal(r->dest, DEST_NONE);
}

static void expression_errors(void **state)
{
	static const char *const bad[][2] = {
		{ "if log(\"x\") { }", "t.conf:1: log: expression not supported" },
		{ "if option nope = 1 { }", "t.conf:1: nope: unknown option" },
		{ "if option host-name { }", "expected '=' or '!='" },
		{ "class \"a\" { match hardware; spawn with hardware; }", "a: 'spawn with' goes with 'match if'" },
		{ "class \"a\" { spawn hardware; }", "expected 'spawn with EXPRESSION;'" },
		{ "option space A code width 2;", "code width 2: only code width 1 is supported" },
		{ "option space A hash 3;", "hash: expected 'hash size N'" },
		{ "option space A color blue;", "color: unknown option space clause" },
		{ "if exists host-name { subnet 198.18.0.0 netmask 255.255.255.0 { } }", "not allowed inside if" },
		{ "subclass \"x\" 1:2;", "subclass of a class without 'match DATA;'" },
		{ "filename uefi-x86 \"a\";", "unknown boot kind 'uefi-x86'" },
		{ "option FOO.bar code 1 = text;", "FOO.bar: unknown option space" },
		{ "vendor-option-space FOO;", "unknown option space 'FOO'" },
		{ "subnet 198.18.0.0 netmask 255.255.255.0 {\n range 198.18.0.5 198.18.0.9;\n proxy-dhcp;\n}",
		  "t.conf:3: proxy-dhcp: this subnet also has a range" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[512] = "";
		struct dhcp_config *c = conf_parse("t.conf", bad[i][0], strlen(bad[i][0]), err, sizeof err, NULL, NULL);
		conf_free(c);
		if (c || !strstr(err, bad[i][1]))
			fail_msg("'%s': got '%s', want '%s'", bad[i][0], err, bad[i][1]);
	}
}

/* ISC's pool permit lists: an unknown client skips a pool that denies it
 * and gets an address from the one that allows it (ISC gives it .30); a
 * pool that allows some clients refuses the others, so a known client
 * finds nothing once its pool is taken; known-clients works the same way. */
static void pool_permit_lists_choose_the_pool(void **state)
{
	load("subnet 198.18.50.0 netmask 255.255.255.0 {\n"
	     "  pool { deny unknown-clients; range 198.18.50.20; filename \"install.0\"; }\n"
	     "  pool { allow unknown-clients; range 198.18.50.30 198.18.50.31; filename \"discover.0\"; }\n"
	     "}\n"
	     "subnet 198.18.51.0 netmask 255.255.255.0 {\n"
	     "  pool { deny known-clients; range 198.18.51.20; }\n"
	     "  pool { allow known-clients; range 198.18.51.30; }\n"
	     "}\n"
	     "host known { hardware ethernet 52:54:00:00:00:01; }\n"
	     "host known2 { hardware ethernet 52:54:00:00:00:03; }\n");
	const struct dhcp_out *o = offer((struct req){ .mac_last = 2 }, RH);
	assert_int_equal(o->h.yiaddr, 0xc612321e);
	assert_string_equal(o->h.file, "discover.0");
	o = offer((struct req){ .mac_last = 1 }, RH);
	assert_int_equal(o->h.yiaddr, 0xc6123214);
	assert_string_equal(o->h.file, "install.0");
	assert_int_equal(discover((struct req){ .mac_last = 3 }, RH)->dest, DEST_NONE);
	assert_int_equal(offer((struct req){ .mac_last = 1, .giaddr = 0xc6123301 }, RH)->h.yiaddr, 0xc612331e);
	assert_int_equal(offer((struct req){ .mac_last = 2, .giaddr = 0xc6123301 }, RH)->h.yiaddr, 0xc6123314);
}

/* use-host-decl-names on (CentOS kickstart setups): a host's declared name
 * is its host-name unless it sets one, as ISC sends it. `ignore
 * client-updates` only steers dynamic DNS, which ddns-update-style none
 * turns off in ISC as here: it is accepted. */
static void host_decl_names_and_client_updates(void **state)
{
	load("ddns-update-style none;\nignore client-updates;\nuse-host-decl-names on;\n"
	     "subnet 198.18.50.0 netmask 255.255.255.0 { range 198.18.50.20 198.18.50.29; }\n"
	     "host rack1-a { hardware ethernet 52:54:00:00:00:01; fixed-address 198.18.50.41; }\n"
	     "host rack1-b { hardware ethernet 52:54:00:00:00:02; option host-name \"set\"; }\n");
	assert_true(has_option(offer((struct req){ .mac_last = 1 }, RH), OPT_HOST_NAME, "rack1-a"));
	assert_true(has_option(offer((struct req){ .mac_last = 2 }, RH), OPT_HOST_NAME, "set"));
	const struct dhcp_out *o = offer((struct req){ .mac_last = 3 }, RH);
	for (size_t i = 0; i < o->n_opt; i++)
		assert_int_not_equal(o->opt[i].code, OPT_HOST_NAME);
}

/* PXELINUX's options the syslinux way: `site-option-space "pxelinux";`
 * sends that space's options as options of their own codes (208-211),
 * with the host's own configfile; ISC sends them as here. */
static void site_option_space_sends_pxelinux_options(void **state)
{
	load("option space pxelinux;\n"
	     "option pxelinux.magic code 208 = string;\n"
	     "option pxelinux.configfile code 209 = text;\n"
	     "option pxelinux.reboottime code 211 = unsigned integer 32;\n"
	     "subnet 198.18.50.0 netmask 255.255.255.0 {\n"
	     "  range 198.18.50.20 198.18.50.29;\n"
	     "  site-option-space \"pxelinux\";\n"
	     "  option pxelinux.magic f1:00:74:7e;\n"
	     "  option pxelinux.reboottime 30;\n"
	     "}\n"
	     "host ws07 { hardware ethernet 52:54:00:00:00:07; option pxelinux.configfile \"pxelinux.cfg/ws07\"; }\n");
	const struct dhcp_out *o = offer((struct req){ .mac_last = 3 }, RH);
	assert_true(has_bytes(o, 208, "\xf1\x00\x74\x7e", 4));
	assert_true(has_bytes(o, 211, "\x00\x00\x00\x1e", 4));
	o = offer((struct req){ .mac_last = 7 }, RH);
	assert_true(has_option(o, 209, "pxelinux.cfg/ws07"));
	assert_true(has_bytes(o, 208, "\xf1\x00\x74\x7e", 4));
}

/* ISC flags found in admins' files: ddns-updates off and
 * update-static-leases (DDNS is off, as with ddns-update-style none),
 * always-reply-rfc1048 true (replies always carry the cookie),
 * boot-unknown-clients false (deny unknown-clients), always-broadcast on. */
static void isc_flags_in_admins_files(void **state)
{
	load("ddns-update-style none;\nddns-updates off;\nupdate-static-leases on;\n"
	     "always-reply-rfc1048 true;\nalways-broadcast on;\n"
	     "subnet 198.18.50.0 netmask 255.255.255.0 { range 198.18.50.20 198.18.50.29; }\n"
	     "subnet 198.18.51.0 netmask 255.255.255.0 { range 198.18.51.20 198.18.51.29; boot-unknown-clients false; }\n"
	     "host known { hardware ethernet 52:54:00:00:00:01; }\n");
	const struct dhcp_out *o = offer((struct req){ .mac_last = 2 }, RH);
	assert_true(o->h.flags & DHCP_FLAG_BROADCAST);
	o = offer((struct req){ .mac_last = 1, .giaddr = 0xc6123301 }, RH);
	assert_int_equal(o->h.yiaddr, 0xc6123314);
	assert_int_equal(discover((struct req){ .mac_last = 2, .giaddr = 0xc6123301 }, RH)->dest, DEST_NONE);
	char err[256] = "";
	assert_null(conf_parse("t.conf", "ddns-updates on;\n", 17, err, sizeof err, NULL, NULL));
	assert_non_null(strstr(err, "t.conf:1: ddns-updates:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(red_hat_bios_uefi_pattern, teardown),
		cmocka_unit_test_teardown(ipxe_loop_break_and_subclasses, teardown),
		cmocka_unit_test_teardown(declarative_boot_kinds, teardown),
		cmocka_unit_test_teardown(vendor_option_space_is_option_43, teardown),
		cmocka_unit_test_teardown(spawn_with_classes, teardown),
		cmocka_unit_test_teardown(subclass_members_get_class_statements, teardown),
		cmocka_unit_test_teardown(no_file_no_pxe_claim, teardown),
		cmocka_unit_test_teardown(proxy_dhcp_boot_answers_only, teardown),
		cmocka_unit_test(expression_errors),
		cmocka_unit_test_teardown(pool_permit_lists_choose_the_pool, teardown),
		cmocka_unit_test_teardown(host_decl_names_and_client_updates, teardown),
		cmocka_unit_test_teardown(site_option_space_sends_pxelinux_options, teardown),
		cmocka_unit_test_teardown(isc_flags_in_admins_files, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
