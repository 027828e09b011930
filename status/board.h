/* The join: one row per PC, built from event records of the three
 * daemons. DHCP events name the PC by MAC; an ACK binds its address; TFTP
 * and FTP events name a client address, which finds the PC through that
 * binding. Time is passed in (seconds, any epoch), so tests inject it.
 * Pure: no syscalls. */
#ifndef STATUS_BOARD_H
#define STATUS_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "record.h"

#define PC_MAX_CIDS 4
#define BOARD_MAX_PCS 4096   /* bound against a flood of invented MACs */

struct transfer {
	char file[160];
	bool active;          /* started and neither done nor failed */
	uint64_t bytes;
	uint64_t size;        /* 0 when unknown */
	double rate;          /* bytes per second, 0 when unknown */
	unsigned retransmits;
	unsigned window;
	double started;
};

struct pc_error {
	char reason[80];      /* "" when there is none */
	char file[160];
	enum stage stage;     /* where it happened */
};

struct pc {
	char mac[48];         /* "" while the PC is known only by address */
	char addr[48];        /* bound by the last ACK; "" when none */
	char cids[PC_MAX_CIDS][64];
	size_t n_cids;
	char relay[48];
	char vendor[80];
	char boot_file[160];
	char next_server[48];
	enum firmware firmware;
	long arch;            /* option 93, -1 when never seen */
	enum stage stage;
	double stage_since;
	double last_progress; /* the boot last moved forward */
	double stage_secs[STAGE_COUNT];  /* finished time in each stage */
	bool visited[STAGE_COUNT];
	unsigned boots;       /* firmware DHCP starts seen */
	bool retr_in_session; /* the open FTP session fetched a file */
	struct transfer xfer; /* the current or last transfer */
	struct pc_error error;
};

struct board_config {
	double stuck_secs;        /* STUCK after this long without progress; 0: never */
	const char *done_marker;  /* glob: a fetch of it means done; NULL: FTP logout after RETR */
};

struct board {
	struct board_config cfg;
	struct pc *pcs;
	size_t n_pcs;
	size_t cap;
	uint64_t events;     /* records applied */
	uint64_t ignored;    /* records of events pxe-status does not use */
	uint64_t bad;        /* records missing the key that names the PC */
	uint64_t dropped;    /* new PCs refused at BOARD_MAX_PCS */
};

void board_init(struct board *b, const struct board_config *cfg);
void board_free(struct board *b);

/* Applies one event record that happened at time t. */
void board_apply(struct board *b, const struct record *rec, double t);

bool pc_stuck(const struct board *b, const struct pc *pc, double now);
double pc_time_in_stage(const struct pc *pc, double now);
/* Time spent in stage s so far, counting the current stage up to now. */
double pc_stage_secs(const struct pc *pc, enum stage s, double now);

struct pc *board_find_mac(struct board *b, const char *mac);
/* The row of the PC with this MAC (any case), made when new. With lease
 * (an ACK's address), the address becomes this PC's: other rows lose it,
 * and a row known only by that address becomes this MAC's row. NULL when
 * mac is missing or the board is full (counted). */
struct pc *board_pc_for_mac(struct board *b, const char *mac, const char *lease, double t);
/* The row of the PC at a TFTP/FTP client address ("ip", "ip:port",
 * "[v6]:port"), made (known by address only) when no ACK bound it. */
struct pc *board_pc_for_client(struct board *b, const char *client, double t);

/* Updates used by the event handlers (events.c). */
void pc_enter_stage(struct pc *pc, enum stage s, double t);
void pc_new_boot(struct pc *pc, double t);
void pc_set_error(struct pc *pc, const char *reason, const char *file);
void pc_clear_error(struct pc *pc);

#endif
