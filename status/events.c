/* What each daemon's events do to a PC's row: one handler per event,
 * found by table. The keys are the contract in status/EVENTS.md. */
#include "board.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* How an event names its PC. */
enum key_by {
	BY_MAC,         /* mac=; a new MAC gets a new row */
	BY_MAC_LEASE,   /* mac= and ip=: a row known only by that address becomes this MAC's */
	BY_CLIENT,      /* client= address (with or without :port) */
};

typedef void handler_fn(struct board *b, struct pc *pc, const struct record *rec, double t);

static void copy(char *dst, size_t size, const char *src)
{
	if (src)
		snprintf(dst, size, "%s", src);
}

static bool key_u64(const struct record *rec, const char *key, uint64_t *out)
{
	const char *v = record_get(rec, key);
	char *end;
	if (!v || *v < '0' || *v > '9')
		return false;
	unsigned long long n = strtoull(v, &end, 10);
	if (*end != '\0')
		return false;
	*out = n;
	return true;
}

static bool key_double(const struct record *rec, const char *key, double *out)
{
	const char *v = record_get(rec, key);
	char *end;
	if (!v || *v < '0' || *v > '9')
		return false;
	double d = strtod(v, &end);
	if (*end != '\0' || !isfinite(d))
		return false;
	*out = d;
	return true;
}

static void add_cid(struct pc *pc, const char *cid)
{
	if (!cid || !*cid)
		return;
	for (size_t i = 0; i < pc->n_cids; i++)
		if (strcmp(pc->cids[i], cid) == 0)
			return;
	if (pc->n_cids < PC_MAX_CIDS)
		copy(pc->cids[pc->n_cids++], sizeof pc->cids[0], cid);
}

/* What a DHCP record says of the client. Only the PXE firmware (or iPXE)
 * sends option 93, so a client message with it starts a boot; an
 * installer's DHCP client later in the boot sends none. Replies echo the
 * client's fields, not all of them (no user class), so they only tell
 * the firmware of a PC whose request was not seen. */
static void note_client(struct pc *pc, const struct record *rec, double t, bool from_client)
{
	uint64_t arch;
	bool has_arch = key_u64(rec, "arch", &arch) && arch <= UINT16_MAX;
	bool starts_boot = has_arch && (from_client || pc->firmware == FW_UNKNOWN);
	add_cid(pc, record_get(rec, "cid"));
	copy(pc->relay, sizeof pc->relay, record_get(rec, "relay"));
	if (starts_boot) {
		copy(pc->vendor, sizeof pc->vendor, record_get(rec, "vendor"));
		pc->arch = (long)arch;
		pc->firmware = firmware_of(pc->arch, pc->vendor, record_get(rec, "user_class"));
		if (pc->stage > STAGE_DHCP || pc->boots == 0)
			pc_new_boot(pc, t);
	}
	if (starts_boot || pc->stage == STAGE_NONE)
		pc_enter_stage(pc, STAGE_DHCP, t);
}

static void on_dhcp_client(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	note_client(pc, rec, t, true);
}

static void on_offer(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	note_client(pc, rec, t, false);
}

static void on_ack(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	note_client(pc, rec, t, false);
	copy(pc->boot_file, sizeof pc->boot_file, record_get(rec, "file"));
	copy(pc->next_server, sizeof pc->next_server, record_get(rec, "next_server"));
	pc_clear_error(pc);
	pc->last_progress = t;
}

static void on_nak(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	const char *reason = record_get(rec, "reason");
	char text[sizeof pc->error.reason];
	note_client(pc, rec, t, false);
	snprintf(text, sizeof text, reason && *reason ? "NAK: %s" : "NAK", reason);
	pc_set_error(pc, text, NULL);
}

static bool is_done_marker(const struct board *b, const char *file)
{
	return b->cfg.done_marker && fnmatch(b->cfg.done_marker, file, 0) == 0;
}

/* A transfer ended well: the boot moved on. */
static void transfer_done(struct board *b, struct pc *pc, double t)
{
	struct transfer *x = &pc->xfer;
	x->active = false;
	if (x->rate == 0 && t > x->started)
		x->rate = (double)x->bytes / (t - x->started);
	pc_clear_error(pc);
	pc->last_progress = t;
	if (is_done_marker(b, x->file))
		pc_enter_stage(pc, STAGE_DONE, t);
}

/* The tsize inside granted="blksize=1408,tsize=1234" (or space-separated). */
static uint64_t granted_tsize(const struct record *rec)
{
	const char *granted = record_get(rec, "granted");
	const char *p = granted ? strstr(granted, "tsize=") : NULL;
	return p && (p == granted || p[-1] == ',' || p[-1] == ' ') ? strtoull(p + 6, NULL, 10) : 0;
}

static void on_rrq(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	const char *file = record_get(rec, "file");
	struct transfer *x = &pc->xfer;
	*x = (struct transfer){ .active = true, .started = t };
	copy(x->file, sizeof x->file, file);
	if (!key_u64(rec, "size", &x->size))
		x->size = granted_tsize(rec);
	enum stage s = stage_of_file(x->file);
	if (s != STAGE_NONE && pc->stage != STAGE_DONE)
		pc_enter_stage(pc, s, t);
}

/* Reads the transfer keys a tftpd event may carry. */
static void update_transfer(struct pc *pc, const struct record *rec, double t)
{
	struct transfer *x = &pc->xfer;
	uint64_t bytes, n;
	if (key_u64(rec, "bytes", &bytes) && bytes > x->bytes) {
		x->bytes = bytes;
		pc->last_progress = t;
	}
	key_u64(rec, "size", &x->size);
	if (!key_double(rec, "rate", &x->rate) && key_u64(rec, "duration_ms", &n) && n > 0)
		x->rate = (double)x->bytes * 1000 / (double)n;
	if (key_u64(rec, "retransmits", &n))
		x->retransmits = (unsigned)n;
	if (key_u64(rec, "window", &n))
		x->window = (unsigned)n;
}

static void on_progress(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	update_transfer(pc, rec, t);
}

static void on_tftp_done(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	update_transfer(pc, rec, t);
	transfer_done(b, pc, t);
}

static void on_tftp_fail(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	const char *reason = record_get(rec, "reason");
	const char *file = record_get(rec, "file");
	update_transfer(pc, rec, t);
	pc->xfer.active = false;
	pc_set_error(pc, reason ? reason : "failed", file ? file : pc->xfer.file);
}

static void on_ftp_session(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	if (pc->stage != STAGE_DONE)
		pc_enter_stage(pc, STAGE_INSTALL_TREE, t);
	pc->last_progress = t;
}

static void on_ftp_start(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	on_ftp_session(b, pc, rec, t);
	pc->retr_in_session = false;
}

/* A finished RETR; status=failed (or error=) when it did not complete. */
static void on_ftp_retr(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	struct transfer *x = &pc->xfer;
	const char *status = record_get(rec, "status");
	bool failed = record_get(rec, "error") || (status && strcmp(status, "ok") != 0);
	on_ftp_session(b, pc, rec, t);
	*x = (struct transfer){ .started = t };
	copy(x->file, sizeof x->file, record_get(rec, "file"));
	key_u64(rec, "bytes", &x->bytes);
	key_double(rec, "rate", &x->rate);
	if (failed) {
		pc_set_error(pc, "transfer failed", x->file);
		return;
	}
	transfer_done(b, pc, t);
	pc->retr_in_session = true;
}

static void on_ftp_disconnect(struct board *b, struct pc *pc, const struct record *rec, double t)
{
	if (pc->retr_in_session && !b->cfg.done_marker)
		pc_enter_stage(pc, STAGE_DONE, t);
	pc->retr_in_session = false;
}

static const struct handler {
	const char *daemon;
	const char *name;
	enum key_by by;
	handler_fn *fn;
} handlers[] = {
	{ "dhcpd", "discover", BY_MAC, on_dhcp_client },
	{ "dhcpd", "offer", BY_MAC, on_offer },
	{ "dhcpd", "request", BY_MAC, on_dhcp_client },
	{ "dhcpd", "ack", BY_MAC_LEASE, on_ack },
	{ "dhcpd", "nak", BY_MAC, on_nak },
	{ "tftpd", "rrq", BY_CLIENT, on_rrq },
	{ "tftpd", "progress", BY_CLIENT, on_progress },
	{ "tftpd", "done", BY_CLIENT, on_tftp_done },
	{ "tftpd", "fail", BY_CLIENT, on_tftp_fail },
	{ "ftpd", "connect", BY_CLIENT, on_ftp_start },
	{ "ftpd", "login", BY_CLIENT, on_ftp_start },
	{ "ftpd", "retr", BY_CLIENT, on_ftp_retr },
	{ "ftpd", "list", BY_CLIENT, on_ftp_session },
	{ "ftpd", "disconnect", BY_CLIENT, on_ftp_disconnect },
};

static const struct handler *find_handler(const struct record *rec)
{
	for (size_t i = 0; i < N_ELEMS(handlers); i++)
		if (strcmp(handlers[i].daemon, rec->daemon) == 0 &&
		    strcmp(handlers[i].name, rec->name) == 0)
			return &handlers[i];
	return NULL;
}

static struct pc *pc_named(struct board *b, enum key_by by, const struct record *rec, double t)
{
	if (by == BY_CLIENT)
		return board_pc_for_client(b, record_get(rec, "client"), t);
	const char *lease = by == BY_MAC_LEASE ? record_get(rec, "ip") : NULL;
	return board_pc_for_mac(b, record_get(rec, "mac"), lease, t);
}

void board_apply(struct board *b, const struct record *rec, double t)
{
	const struct handler *h = find_handler(rec);
	if (!h) {
		b->ignored++;
		return;
	}
	struct pc *pc = pc_named(b, h->by, rec, t);
	if (!pc) {
		b->bad++;
		return;
	}
	b->events++;
	h->fn(b, pc, rec, t);
	const char *error = record_get(rec, "error");
	if (error && *error)
		pc_set_error(pc, error, record_get(rec, "file"));
}
