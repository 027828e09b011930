/* in.tftpd's command line, parsed into a configuration. No side effects
 * beyond the struct: main() acts on it. */
#ifndef TFTPD_ARGS_H
#define TFTPD_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define TFTPD_DIRS_MAX 16
#define TFTPD_PORT 69

struct tftpd_conf {
	bool listen;              /* -l / -L: standalone */
	bool foreground;          /* -L */
	char host[128];           /* -a [addr][:port]: "" for any address */
	uint16_t port;
	int family;               /* -4 / -6: AF_INET / AF_INET6, AF_UNSPEC by default */
	bool secure;              /* -s: chroot to the directory */
	bool create;              /* -c */
	const char *user;         /* -u */
	mode_t umask;             /* -U */
	bool umask_set;
	bool permissive;          /* -p */
	const char *pidfile;      /* -P */
	unsigned idle_secs;       /* -t */
	uint64_t retransmit_us;   /* -T */
	const char *remap_file;   /* -m */
	unsigned refused;         /* -r, bit per tftp_optid */
	unsigned max_blksize;     /* -B */
	uint16_t port_lo, port_hi; /* -R */
	int verbosity;            /* -v, --verbosity */
	bool version;             /* -V */
	bool help;                /* -h */
	const char *dirs[TFTPD_DIRS_MAX];
	unsigned n_dirs;
};

/* Returns 0, or -1 with a message in err (the caller exits with 64). */
int tftpd_parse_args(int argc, char **argv, struct tftpd_conf *conf, char *err, size_t err_size);

#endif
