/* Transfer log lines and timeline events; see report.h. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "event.h"
#include "log.h"

#define NUM(name, v) char name[24]; snprintf(name, sizeof name, "%llu", (unsigned long long)(v))

/* Peer bytes made safe for a log line. */
struct escaped {
	char text[4 * 256 + 1];
};

static const char *esc(struct escaped *e, const char *raw)
{
	log_escape(e->text, sizeof e->text, raw, strlen(raw));
	return e->text;
}

void report_request(const char *kind, const char *peer, const char *file, const char *options)
{
	struct escaped e;

	log_info("%s from %s filename %s", kind, peer, esc(&e, file));
	event_emit(kind[0] == 'R' ? "rrq" : "wrq", "client", peer, "file", file, "options", options,
		   NULL);
}

void report_refused(const char *peer, const char *file, const char *why)
{
	struct escaped e;

	log_info("Client %s %s %s", peer, why, esc(&e, file));
	event_emit("fail", "client", peer, "file", file, "reason", why, NULL);
}

static void stats_line(const struct xfer_report *r, const char *outcome)
{
	struct escaped e;

	log_info("Client %s %s %s: %llu bytes, blksize %u, windowsize %u, %llu retransmits, %llu ms",
		 r->peer, outcome, esc(&e, r->file), (unsigned long long)r->bytes, r->blksize, r->windowsize,
		 (unsigned long long)r->retransmits, (unsigned long long)r->duration_ms);
}

void report_progress(const struct xfer_report *r)
{
	NUM(bytes, r->bytes);
	NUM(rate, r->duration_ms ? r->bytes * 1000 / r->duration_ms : 0);
	NUM(retransmits, r->retransmits);
	NUM(window, r->windowsize);
	event_emit("progress", "client", r->peer, "file", r->file, "bytes", bytes, "rate", rate,
		   "retransmits", retransmits, "window", window, NULL);
}

void report_done(const struct xfer_report *r)
{
	NUM(bytes, r->bytes);
	NUM(ms, r->duration_ms);
	NUM(retransmits, r->retransmits);
	struct escaped e;

	log_info("Client %s finished %s", r->peer, esc(&e, r->file));
	stats_line(r, "transferred");
	event_emit("done", "client", r->peer, "file", r->file, "bytes", bytes, "duration_ms", ms,
		   "retransmits", retransmits, NULL);
}

void report_fail(const struct xfer_report *r, const char *reason)
{
	NUM(bytes, r->bytes);
	struct escaped e;

	log_info("Client %s failed %s: %s", r->peer, esc(&e, r->file), reason);
	stats_line(r, "aborted");
	event_emit("fail", "client", r->peer, "file", r->file, "reason", reason, "bytes", bytes,
		   NULL);
}
