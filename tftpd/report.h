/* What a transfer tells the log (as EL7's in.tftpd -v does) and the boot
 * timeline (common/event.h). Names and options come here as the peer sent
 * them: log lines get them escaped here, events escape their own values. */
#ifndef TFTPD_REPORT_H
#define TFTPD_REPORT_H

#include <stdint.h>

struct xfer_report {
	const char *peer;         /* "198.18.0.2" */
	const char *file;         /* as requested */
	uint64_t bytes;
	unsigned blksize;
	unsigned windowsize;
	uint64_t retransmits;
	uint64_t duration_ms;
};

void report_request(const char *kind, const char *peer, const char *file, const char *options);
/* "Client ADDR File not found F" */
void report_refused(const char *peer, const char *file, const char *why);
void report_progress(const struct xfer_report *r);
void report_done(const struct xfer_report *r);
void report_fail(const struct xfer_report *r, const char *reason);

#endif
