/* The parsed dhcpd.conf: immutable once conf_load returns. Scopes form a
 * tree (global > shared-network > subnet > pool, group > host, class);
 * each holds an ordered statement list that conf_eval applies outer to
 * inner, so conditional statements (issue 6: if/elsif/else, classes) slot
 * in as one more statement kind. */
#ifndef DHCPD_CONF_H
#define DHCPD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "opts.h"

enum scope_kind { SCOPE_GLOBAL, SCOPE_SHARED, SCOPE_SUBNET, SCOPE_POOL, SCOPE_GROUP, SCOPE_HOST, SCOPE_CLASS };

enum allow_what { ALLOW_BOOTING, ALLOW_BOOTP, ALLOW_UNKNOWN, ALLOW_N };
enum allow_mode { MODE_ALLOW, MODE_DENY, MODE_IGNORE };

enum stmt_kind {
	STMT_OPTION,       /* code, data/len */
	STMT_FILENAME,     /* data: NUL-terminated */
	STMT_SERVER_NAME,
	STMT_NEXT_SERVER,  /* num: address, host order */
	STMT_DEFAULT_LEASE,
	STMT_MAX_LEASE,
	STMT_MIN_LEASE,
	STMT_ALLOW,        /* code: enum allow_what, num: enum allow_mode */
	STMT_AUTHORITATIVE,/* num: 0/1 */
	STMT_IF,           /* cond; then/otherwise lists (elsif nests in otherwise) */
	STMT_VENDOR_SPACE, /* num: option space encapsulated as option 43 */
	STMT_FLAG,         /* code: enum conf_flag, num: 0/1 */
	STMT_SITE_SPACE,   /* num: option space sent as options of their own codes */
};

/* ISC's on/off parameters. */
enum conf_flag {
	FLAG_HOST_DECL_NAMES,  /* use-host-decl-names: a host's declared name is its host-name */
	FLAG_ONE_LEASE,        /* one-lease-per-client: an ACK frees the client's other leases */
	FLAG_BROADCAST,        /* always-broadcast: replies carry the broadcast flag */
	FLAG_N,
};

/* Boot file choice by client kind (the declarative form, dhcpd.conf(5)
 * of this dhcpd: `filename uefi-x64 "grubx64.efi";`). */
enum boot_kind {
	BOOT_ANY, BOOT_BIOS, BOOT_UEFI_IA32, BOOT_UEFI_X64, BOOT_UEFI_ARM32, BOOT_UEFI_ARM64,
	BOOT_HTTP_IA32, BOOT_HTTP_X64, BOOT_HTTP_ARM32, BOOT_HTTP_ARM64, BOOT_IPXE, BOOT_N,
};

struct conf_stmt {
	enum stmt_kind kind;
	uint8_t code;      /* STMT_OPTION: option (num: its space); STMT_FILENAME: enum boot_kind */
	uint16_t len;
	const uint8_t *data;
	uint32_t num;
	const struct expr *cond;
	const struct conf_stmt *then_list, *otherwise;
	size_t n_then, n_otherwise;
};

/* Who a pool's permit lists name (ISC: allow|deny [un]known-clients). */
enum pool_client { POOL_KNOWN = 1, POOL_UNKNOWN = 2 };

struct conf_scope {
	enum scope_kind kind;
	const struct conf_scope *parent;
	const struct conf_stmt *stmts;
	size_t n_stmts;
	int line;
	uint8_t permit, prohibit;      /* a pool's permit lists: enum pool_client bits */
};

struct conf_subnet {
	uint32_t net, mask;            /* host byte order */
	int shared;                    /* shared-network id; own id if none */
	const struct conf_scope *scope;
	int proxy_line;                /* `proxy-dhcp;` here (its line): boot answers only, no addresses */
};

struct conf_range {
	uint32_t lo, hi;               /* inclusive, host byte order */
	bool dynamic_bootp;
	const struct conf_subnet *subnet;
	const struct conf_scope *scope; /* pool or subnet */
};

struct conf_host {
	const char *name;
	uint8_t htype, hlen, hw[16];
	const uint8_t *uid;            /* option dhcp-client-identifier, if any */
	uint16_t uid_len;
	uint32_t fixed[8];             /* host byte order */
	size_t n_fixed;
	const struct conf_scope *scope;
};

/* class "NAME" { match if EXPR; ... } or a subclass of a class with
 * `match DATA;` (then `data` is what the match value must equal). */
struct conf_class {
	const char *name;
	const struct expr *match;      /* boolean, or data for the parent of subclasses */
	const struct expr *spawn;      /* spawn with DATA: a member when it has a value */
	const struct conf_class *parent;
	size_t parent_index;           /* while parsing: parent's index + 1, 0 if none */
	const uint8_t *data;
	uint16_t len;
	const struct conf_scope *scope;
};

struct dhcp_config {
	struct conf_scope global;
	struct conf_subnet *subnets;
	size_t n_subnets;
	struct conf_range *ranges;     /* sorted by lo, non-overlapping */
	size_t n_ranges;
	struct conf_host *hosts;
	size_t n_hosts;
	struct conf_class *classes;
	size_t n_classes;
	struct opt_table opts;         /* standard + user-defined options */
	const char *lease_file;        /* lease-file-name, or NULL */
	int log_facility;              /* -1: not set */
	unsigned n_warnings;
	size_t n_proxy_subnets;        /* subnets in proxyDHCP mode: port 4011 is served too */
	struct arena *arena;
};

/* Parameters in force for one client, after applying every scope. */
struct conf_params {
	const struct dhcp_packet *pkt;
	enum boot_kind arch;           /* the client's, from option 93 */
	bool ipxe;                     /* user-class iPXE or option 175 */
	unsigned file_rank, file_mark, mark;  /* which filename statement won (see conf.c) */
	bool authoritative;
	uint32_t default_lease, max_lease, min_lease;
	bool has_next_server;
	uint32_t next_server;
	const char *filename, *server_name;
	uint8_t allow[ALLOW_N];
	const uint8_t *opt[256];
	uint16_t opt_len[256];
	uint8_t vendor_space;          /* vendor-option-space, 0: none */
	uint8_t site_space;            /* site-option-space, 0: none */
	bool flag[FLAG_N];
	struct conf_space_opt {
		uint8_t space, code;
		uint16_t len;
		const uint8_t *data;
	} sub[32];                     /* options of option spaces */
	size_t n_sub;
};

/* Option 43 built from the vendor-option-space's options (RFC 2132 8.4
 * encapsulation, ending with 255). Returns the length, 0 if none. */
size_t conf_vendor_options(const struct conf_params *p, uint8_t *buf, size_t size);

/* Reads and parses `path` (and its includes). On error returns NULL and
 * writes "file:line: keyword: message" into err. Warnings go to warn()
 * when it is not NULL. */
typedef void conf_warn_fn(const char *msg, void *ctx);
struct dhcp_config *conf_load(const char *path, char *err, size_t err_size,
			      conf_warn_fn *warn, void *warn_ctx);
/* The same from a buffer; `name` appears in messages. Includes are read
 * from disk. */
struct dhcp_config *conf_parse(const char *name, const char *src, size_t len,
			       char *err, size_t err_size, conf_warn_fn *warn, void *warn_ctx);
void conf_free(struct dhcp_config *cfg);

/* Fills p with defaults. */
void conf_params_init(struct conf_params *p);
/* The statements of every scope from the outermost to `inner` (inner
 * wins); conditions and boot-kind choices are evaluated against pkt (NULL:
 * all false). */
void conf_apply(struct conf_params *p, const struct conf_scope *inner, const struct dhcp_packet *pkt);
/* The same, stopping at any scope that is `limit` or one of its parents
 * (ISC's rule: a host declared globally must not re-apply global
 * statements over its subnet's). */
void conf_apply_limited(struct conf_params *p, const struct conf_scope *inner, const struct conf_scope *limit,
			const struct dhcp_packet *pkt);
/* ISC's order for a client: pool or subnet (`outer`), then every class the
 * packet is in, then its host declaration; then site-option-space and
 * use-host-decl-names fill the options they give. */
void conf_params_for(struct conf_params *p, const struct dhcp_config *cfg, const struct conf_scope *outer,
		     const struct conf_host *host, const struct dhcp_packet *pkt);
/* The boot kind of a request by option 93 (or the PXEClient:Arch: vendor
 * class); BOOT_ANY when it says nothing. */
enum boot_kind conf_boot_arch(const struct dhcp_packet *pkt);
/* iPXE: user-class "iPXE" (bare, as iPXE sends it, or RFC 3004) or option 175. */
bool conf_is_ipxe(const struct dhcp_packet *pkt);
/* Keyword of a boot kind in dhcpd.conf ("uefi-x64"...), and back. */
const char *conf_boot_name(enum boot_kind k);
bool conf_boot_parse(const char *name, enum boot_kind *k);

const struct conf_subnet *conf_subnet_of(const struct dhcp_config *cfg, uint32_t addr);
const struct conf_range *conf_range_of(const struct dhcp_config *cfg, uint32_t addr);
const struct conf_host *conf_host_by_hw(const struct dhcp_config *cfg, uint8_t htype,
					const uint8_t *hw, uint8_t hlen, const struct conf_host *after);

#endif
