/* Rows of the board and the bookkeeping of stages and time. */
#include "board.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void board_init(struct board *b, const struct board_config *cfg)
{
	*b = (struct board){ .cfg = *cfg };
}

void board_free(struct board *b)
{
	free(b->pcs);
	b->pcs = NULL;
	b->n_pcs = b->cap = 0;
}

struct pc *board_find_mac(struct board *b, const char *mac)
{
	for (size_t i = 0; i < b->n_pcs; i++)
		if (strcmp(b->pcs[i].mac, mac) == 0)
			return &b->pcs[i];
	return NULL;
}

static struct pc *board_find_addr(struct board *b, const char *addr)
{
	for (size_t i = 0; i < b->n_pcs; i++)
		if (strcmp(b->pcs[i].addr, addr) == 0)
			return &b->pcs[i];
	return NULL;
}

static bool board_grow(struct board *b)
{
	size_t cap = b->cap ? b->cap * 2 : 16;
	struct pc *pcs = realloc(b->pcs, cap * sizeof *pcs);
	if (!pcs)
		return false;
	b->pcs = pcs;
	b->cap = cap;
	return true;
}

/* A new empty row, or NULL (counted) when the board is full. */
static struct pc *board_add(struct board *b, double t)
{
	if (b->n_pcs >= BOARD_MAX_PCS || (b->n_pcs == b->cap && !board_grow(b))) {
		b->dropped++;
		return NULL;
	}
	struct pc *pc = &b->pcs[b->n_pcs++];
	*pc = (struct pc){ .arch = -1, .stage_since = t, .last_progress = t };
	return pc;
}

static void board_remove(struct board *b, size_t i)
{
	memmove(&b->pcs[i], &b->pcs[i + 1], (b->n_pcs - i - 1) * sizeof b->pcs[0]);
	b->n_pcs--;
}

/* addr now belongs to pc: other rows lose it, and a row known only by
 * that address goes. Returns pc, which may have moved in the array. */
static struct pc *board_bind(struct board *b, struct pc *pc, const char *addr)
{
	size_t keep = (size_t)(pc - b->pcs);
	for (size_t i = 0; i < b->n_pcs; i++) {
		struct pc *other = &b->pcs[i];
		if (i == keep || strcmp(other->addr, addr) != 0)
			continue;
		if (other->mac[0] != '\0') {
			other->addr[0] = '\0';
			continue;
		}
		board_remove(b, i);
		if (i < keep)
			keep--;
		i--;
	}
	pc = &b->pcs[keep];
	snprintf(pc->addr, sizeof pc->addr, "%s", addr);
	return pc;
}

/* MACs compare equal whatever case a daemon printed them in. */
static void lowercase(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < size; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

struct pc *board_pc_for_mac(struct board *b, const char *given, const char *lease, double t)
{
	char mac[sizeof b->pcs[0].mac];
	if (!given || !*given)
		return NULL;
	lowercase(mac, sizeof mac, given);
	bool binds = lease && *lease;
	struct pc *pc = board_find_mac(b, mac);
	if (!pc && binds) {
		pc = board_find_addr(b, lease);
		if (pc && pc->mac[0] != '\0')
			pc = NULL;
	}
	if (!pc && (pc = board_add(b, t)) == NULL)
		return NULL;
	snprintf(pc->mac, sizeof pc->mac, "%s", mac);
	return binds ? board_bind(b, pc, lease) : pc;
}

/* The address in "198.18.0.2:2070", "[fd00::2]:2070" or a bare address. */
static bool client_addr(const char *client, char *out, size_t size)
{
	const char *colon = strchr(client, ':');
	const char *end = colon && !strchr(colon + 1, ':') ? colon : client + strlen(client);
	if (client[0] == '[') {
		client++;
		end = strchr(client, ']');
	}
	if (!end || end == client || (size_t)(end - client) >= size)
		return false;
	memcpy(out, client, (size_t)(end - client));
	out[end - client] = '\0';
	return true;
}

struct pc *board_pc_for_client(struct board *b, const char *client, double t)
{
	char addr[sizeof b->pcs[0].addr];
	if (!client || !client_addr(client, addr, sizeof addr))
		return NULL;
	struct pc *pc = board_find_addr(b, addr);
	if (!pc && (pc = board_add(b, t)) != NULL)
		snprintf(pc->addr, sizeof pc->addr, "%s", addr);
	return pc;
}

static double since(double from, double to)
{
	return to > from ? to - from : 0;
}

void pc_enter_stage(struct pc *pc, enum stage s, double t)
{
	if (pc->stage == s)
		return;
	pc->stage_secs[pc->stage] += since(pc->stage_since, t);
	pc->stage = s;
	pc->visited[s] = true;
	pc->stage_since = t;
	pc->last_progress = t;
}

/* The firmware starts over: earlier stage times belong to a past boot. */
void pc_new_boot(struct pc *pc, double t)
{
	memset(pc->stage_secs, 0, sizeof pc->stage_secs);
	memset(pc->visited, 0, sizeof pc->visited);
	memset(&pc->xfer, 0, sizeof pc->xfer);
	pc->retr_in_session = false;
	pc->stage = STAGE_NONE;
	pc->stage_since = t;
	pc->boots++;
}

void pc_set_error(struct pc *pc, const char *reason, const char *file)
{
	snprintf(pc->error.reason, sizeof pc->error.reason, "%s", reason);
	snprintf(pc->error.file, sizeof pc->error.file, "%s", file ? file : "");
	pc->error.stage = pc->stage;
}

void pc_clear_error(struct pc *pc)
{
	pc->error = (struct pc_error){ 0 };
}

bool pc_stuck(const struct board *b, const struct pc *pc, double now)
{
	if (pc->stage == STAGE_NONE || pc->stage == STAGE_DONE || b->cfg.stuck_secs <= 0)
		return false;
	return since(pc->last_progress, now) >= b->cfg.stuck_secs;
}

double pc_time_in_stage(const struct pc *pc, double now)
{
	return since(pc->stage_since, now);
}

double pc_stage_secs(const struct pc *pc, enum stage s, double now)
{
	double secs = pc->stage_secs[s];
	return s == pc->stage ? secs + pc_time_in_stage(pc, now) : secs;
}
