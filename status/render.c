/* Table and JSON views of the board. */
#include "render.h"

#include <inttypes.h>
#include <string.h>

#define BAR_WIDTH 20

static void fmt_bytes(char *buf, size_t size, double n)
{
	static const char units[] = "BKMGT";
	size_t u = 0;
	while (n >= 1024 && u < sizeof units - 2) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f%c" : "%.0f%c", n, units[u]);
}

static void fmt_duration(char *buf, size_t size, double secs)
{
	unsigned long s = secs < 1e9 ? (unsigned long)secs : 999999999UL;
	if (s < 60)
		snprintf(buf, size, "%lus", s);
	else if (s < 3600)
		snprintf(buf, size, "%lum%02lus", s / 60, s % 60);
	else
		snprintf(buf, size, "%luh%02lum", s / 3600, s / 60 % 60);
}

/* Peer text for a terminal: printable ASCII only, cut or padded to width
 * (0: as long as it is). */
static void put_text(FILE *out, const char *s, int width)
{
	int n = 0;
	for (; *s && (width == 0 || n < width); s++, n++)
		fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', out);
	for (; n < width; n++)
		fputc(' ', out);
}

/* A column of the table: the text padded to width, then a space. */
static void put_cell(FILE *out, const char *s, int width)
{
	put_text(out, s, width);
	fputc(' ', out);
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void firmware_label(char *buf, size_t size, const struct pc *pc)
{
	const char *arch = arch_name(pc->arch);
	if (pc->firmware == FW_UNKNOWN && pc->arch < 0)
		snprintf(buf, size, "-");
	else if (arch)
		snprintf(buf, size, "%s %s", firmware_name(pc->firmware), arch);
	else
		snprintf(buf, size, "%s arch %ld", firmware_name(pc->firmware), pc->arch);
}

static void put_transfer(FILE *out, const struct transfer *x, bool bars)
{
	char bytes[16], size[16], rate[16], amount[40], per_sec[24] = "-";
	fmt_bytes(bytes, sizeof bytes, (double)x->bytes);
	fmt_bytes(size, sizeof size, (double)x->size);
	fmt_bytes(rate, sizeof rate, x->rate);
	snprintf(amount, sizeof amount, x->size ? "%s/%s" : "%s", bytes, size);
	if (x->rate > 0)
		snprintf(per_sec, sizeof per_sec, "%s/s", rate);
	put_cell(out, x->file[0] ? basename_of(x->file) : "-", 20);
	put_cell(out, x->file[0] ? amount : "", 14);
	fprintf(out, "%10s ", per_sec);
	if (!bars)
		return;
	if (!x->active || !x->size) {
		fprintf(out, "%*s ", BAR_WIDTH + 2, "");
		return;
	}
	double done = (double)x->bytes / (double)x->size;
	int fill = done >= 1 ? BAR_WIDTH : (int)(done * BAR_WIDTH);
	fprintf(out, "[%.*s%*s] ", fill, "####################", BAR_WIDTH - fill, "");
}

static void put_state(FILE *out, const struct board *b, const struct pc *pc, double now)
{
	const struct pc_error *e = &pc->error;
	fputs(pc_stuck(b, pc, now) ? "STUCK " : "", out);
	if (!e->reason[0])
		return;
	put_text(out, e->reason, 0);
	if (e->file[0]) {
		fputs(" (", out);
		put_text(out, e->file, 0);
		fputs(")", out);
	}
}

static void put_row(FILE *out, const struct board *b, const struct pc *pc, double now, bool bars)
{
	char firmware[32], in_stage[48];
	firmware_label(firmware, sizeof firmware, pc);
	fmt_duration(in_stage, sizeof in_stage, pc_time_in_stage(pc, now));
	put_cell(out, pc->mac[0] ? pc->mac : "-", 17);
	put_cell(out, pc->addr[0] ? pc->addr : "-", 15);
	put_cell(out, firmware, 10);
	put_cell(out, stage_name(pc->stage), 12);
	fprintf(out, "%6s ", in_stage);
	put_transfer(out, &pc->xfer, bars);
	put_state(out, b, pc, now);
	fputc('\n', out);
}

static void table(FILE *out, const struct board *b, double now, bool bars)
{
	unsigned stuck = 0, done = 0;
	fprintf(out, "%-17s %-15s %-10s %-12s %6s %-20s %-14s %10s %*sSTATE\n", "MAC", "ADDRESS",
		"FIRMWARE", "STAGE", "TIME", "FILE", "BYTES", "RATE", bars ? BAR_WIDTH + 3 : 0, "");
	for (size_t i = 0; i < b->n_pcs; i++) {
		put_row(out, b, &b->pcs[i], now, bars);
		stuck += pc_stuck(b, &b->pcs[i], now);
		done += b->pcs[i].stage == STAGE_DONE;
	}
	fprintf(out, "%zu PCs: %u done, %u stuck (no progress for %.0fs). Events: %" PRIu64
		" used, %" PRIu64 " ignored, %" PRIu64 " unattributable, %" PRIu64 " dropped.\n",
		b->n_pcs, done, stuck, b->cfg.stuck_secs, b->events, b->ignored, b->bad, b->dropped);
}

void render_table(FILE *out, const struct board *b, double now)
{
	table(out, b, now, false);
}

void render_live(FILE *out, const struct board *b, double now)
{
	table(out, b, now, true);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* "key": "value" or "key": null for an empty value. */
static void json_field(FILE *out, const char *key, const char *value)
{
	fprintf(out, "\"%s\": ", key);
	if (value[0])
		json_str(out, value);
	else
		fputs("null", out);
}

static void json_cids(FILE *out, const struct pc *pc)
{
	fputs("\"client_ids\": [", out);
	for (size_t i = 0; i < pc->n_cids; i++) {
		fputs(i ? ", " : "", out);
		json_str(out, pc->cids[i]);
	}
	fputs("]", out);
}

static void json_stages(FILE *out, const struct pc *pc, double now)
{
	const char *sep = "";
	fputs("\"stage_secs\": {", out);
	for (int s = STAGE_DHCP; s < STAGE_DONE; s++) {
		if (!pc->visited[s])
			continue;
		fprintf(out, "%s\"%s\": %.3f", sep, stage_name(s), pc_stage_secs(pc, s, now));
		sep = ", ";
	}
	fputs("}", out);
}

/* Opens "key": { and returns true, or writes "key": null for an absent
 * object and returns false. */
static bool json_object(FILE *out, const char *key, bool present)
{
	fprintf(out, present ? "\"%s\": {" : "\"%s\": null", key);
	return present;
}

static void json_transfer(FILE *out, const struct transfer *x)
{
	if (!json_object(out, "transfer", x->file[0] != '\0'))
		return;
	json_field(out, "file", x->file);
	fprintf(out, ", \"active\": %s, \"bytes\": %" PRIu64 ", \"size\": %" PRIu64
		", \"rate\": %.1f, \"retransmits\": %u, \"window\": %u}",
		x->active ? "true" : "false", x->bytes, x->size, x->rate, x->retransmits, x->window);
}

static void json_error(FILE *out, const struct pc_error *e)
{
	if (!json_object(out, "error", e->reason[0] != '\0'))
		return;
	json_field(out, "reason", e->reason);
	fputs(", ", out);
	json_field(out, "file", e->file);
	fprintf(out, ", \"stage\": \"%s\"}", stage_name(e->stage));
}

static void json_pc(FILE *out, const struct board *b, const struct pc *pc, double now)
{
	const char *arch = arch_name(pc->arch);
	fputs("    {", out);
	json_field(out, "mac", pc->mac);
	fputs(", ", out);
	json_field(out, "address", pc->addr);
	fputs(", ", out);
	json_cids(out, pc);
	fputs(", ", out);
	json_field(out, "relay", pc->relay);
	fprintf(out, ",\n     \"firmware\": \"%s\", \"arch\": %ld, ", firmware_name(pc->firmware), pc->arch);
	json_field(out, "arch_name", arch ? arch : "");
	fputs(", ", out);
	json_field(out, "vendor", pc->vendor);
	fputs(", ", out);
	json_field(out, "boot_file", pc->boot_file);
	fputs(", ", out);
	json_field(out, "next_server", pc->next_server);
	fprintf(out, ",\n     \"stage\": \"%s\", \"time_in_stage\": %.3f, \"stuck\": %s, \"boots\": %u, ",
		stage_name(pc->stage), pc_time_in_stage(pc, now),
		pc_stuck(b, pc, now) ? "true" : "false", pc->boots);
	json_stages(out, pc, now);
	fputs(",\n     ", out);
	json_transfer(out, &pc->xfer);
	fputs(",\n     ", out);
	json_error(out, &pc->error);
	fputs("}", out);
}

void render_json(FILE *out, const struct board *b, double now)
{
	fprintf(out, "{\"now\": %.3f, \"stuck_secs\": %.3f,\n \"counters\": {\"events\": %" PRIu64
		", \"ignored\": %" PRIu64 ", \"unattributable\": %" PRIu64 ", \"dropped\": %" PRIu64 "},\n"
		" \"pcs\": [\n", now, b->cfg.stuck_secs, b->events, b->ignored, b->bad, b->dropped);
	for (size_t i = 0; i < b->n_pcs; i++) {
		json_pc(out, b, &b->pcs[i], now);
		fputs(i + 1 < b->n_pcs ? ",\n" : "\n", out);
	}
	fputs(" ]}\n", out);
}
