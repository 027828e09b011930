/* Command-line parsing; see args.h. */
#include "args.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "negotiate.h"
#include "proto.h"

/* A numeric flag: its range and the conf field it sets. */
struct num_spec {
	int base;
	unsigned long long min, max;
	size_t offset;
	size_t width;
};
#define NUM(base, min, max, field) \
	{ base, min, max, offsetof(struct tftpd_conf, field), sizeof(((struct tftpd_conf *)0)->field) }

struct arg_ctx {
	struct tftpd_conf *conf;
	const char *flag;
	const struct num_spec *num;
	const char *arg;
	char *err;
	size_t err_size;
};

typedef int arg_handler(struct arg_ctx *c);

/* Unsigned decimal (octal with base 8) within the flag's range, stored in
 * its field. */
static int a_number(struct arg_ctx *c)
{
	const struct num_spec *n = c->num;
	void *field = (char *)c->conf + n->offset;
	char *end;

	errno = 0;
	unsigned long long v = strtoull(c->arg, &end, n->base);
	if (c->arg[0] == '\0' || c->arg[0] == '-' || *end || errno || v < n->min || v > n->max) {
		snprintf(c->err, c->err_size, "--%s: bad value \"%s\" (expected %llu..%llu%s)", c->flag,
			 c->arg, n->min, n->max, n->base == 8 ? ", octal" : "");
		return -1;
	}
	if (n->width == sizeof(uint64_t))
		*(uint64_t *)field = v;
	else
		*(uint32_t *)field = (uint32_t)v;
	return 0;
}

static int a_listen(struct arg_ctx *c) { c->conf->listen = true; return 0; }
static int a_foreground(struct arg_ctx *c) { c->conf->listen = c->conf->foreground = true; return 0; }
static int a_ipv4(struct arg_ctx *c) { c->conf->family = AF_INET; return 0; }
static int a_ipv6(struct arg_ctx *c) { c->conf->family = AF_INET6; return 0; }
static int a_secure(struct arg_ctx *c) { c->conf->secure = true; return 0; }
static int a_create(struct arg_ctx *c) { c->conf->create = true; return 0; }
static int a_user(struct arg_ctx *c) { c->conf->user = c->arg; return 0; }
static int a_permissive(struct arg_ctx *c) { c->conf->permissive = true; return 0; }
static int a_pidfile(struct arg_ctx *c) { c->conf->pidfile = c->arg; return 0; }
static int a_mapfile(struct arg_ctx *c) { c->conf->remap_file = c->arg; return 0; }
static int a_verbose(struct arg_ctx *c) { c->conf->verbosity++; return 0; }
static int a_version(struct arg_ctx *c) { c->conf->version = true; return 0; }
static int a_help(struct arg_ctx *c) { c->conf->help = true; return 0; }

/* "[addr][:port]", "[v6]:port" or a bare IPv6 address: checked here, so
 * that a typo is a usage error; listen.c resolves the name. The port is
 * decimal or "tftp", 1..65535. */
static int split_address(const char *spec, char *host, size_t host_size, uint16_t *port)
{
	const char *colon = strrchr(spec, ':');
	size_t host_len = strlen(spec);

	*port = TFTPD_PORT;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || (close[1] && close[1] != ':'))
			return -1;
		colon = close[1] ? close + 1 : NULL;
		spec++;
		host_len = (size_t)(close - spec);
	} else if (colon && strchr(spec, ':') != colon) {
		colon = NULL;   /* several colons: an IPv6 address alone */
	} else if (colon) {
		host_len = (size_t)(colon - spec);
	}
	if (colon) {
		char *end;
		unsigned long p = strtoul(colon + 1, &end, 10);
		if (strcmp(colon + 1, "tftp") == 0)
			p = TFTPD_PORT;
		else if (colon[1] == '\0' || *end || p == 0 || p > 65535)
			return -1;   /* port 0 too: in.tftpd refuses it (exit 66) */
		*port = (uint16_t)p;
	}
	if (host_len >= host_size)
		return -1;
	memcpy(host, spec, host_len);
	host[host_len] = '\0';
	return 0;
}

static int a_address(struct arg_ctx *c)
{
	struct tftpd_conf *conf = c->conf;

	if (split_address(c->arg, conf->host, sizeof conf->host, &conf->port) != 0) {
		snprintf(c->err, c->err_size, "--address: bad value \"%s\"", c->arg);
		return -1;
	}
	return 0;
}

static int a_umask(struct arg_ctx *c)
{
	c->conf->umask_set = true;
	return a_number(c);
}

static int a_refuse(struct arg_ctx *c)
{
	int id = tftp_optid_lookup(c->arg);

	if (id < 0) {
		snprintf(c->err, c->err_size, "--refuse: unknown option \"%s\"", c->arg);
		return -1;
	}
	c->conf->refused |= 1u << id;
	return 0;
}

static int a_portrange(struct arg_ctx *c)
{
	unsigned lo, hi;
	char tail;

	if (sscanf(c->arg, "%u:%u%c", &lo, &hi, &tail) != 2 || lo == 0 || lo > hi || hi > 65535) {
		snprintf(c->err, c->err_size, "--port-range: bad value \"%s\" (expected lo:hi)", c->arg);
		return -1;
	}
	c->conf->port_lo = (uint16_t)lo;
	c->conf->port_hi = (uint16_t)hi;
	return 0;
}

static const struct flag {
	struct option opt;
	arg_handler *handle;
	struct num_spec num;
} flags[] = {
	{ .opt = { "listen", no_argument, NULL, 'l' }, .handle = a_listen },
	{ .opt = { "foreground", no_argument, NULL, 'L' }, .handle = a_foreground },
	{ .opt = { "address", required_argument, NULL, 'a' }, .handle = a_address },
	{ .opt = { "ipv4", no_argument, NULL, '4' }, .handle = a_ipv4 },
	{ .opt = { "ipv6", no_argument, NULL, '6' }, .handle = a_ipv6 },
	{ .opt = { "secure", no_argument, NULL, 's' }, .handle = a_secure },
	{ .opt = { "create", no_argument, NULL, 'c' }, .handle = a_create },
	{ .opt = { "user", required_argument, NULL, 'u' }, .handle = a_user },
	{ .opt = { "umask", required_argument, NULL, 'U' },
	  .handle = a_umask, .num = NUM(8, 0, 0777, umask) },
	{ .opt = { "permissive", no_argument, NULL, 'p' }, .handle = a_permissive },
	{ .opt = { "pidfile", required_argument, NULL, 'P' }, .handle = a_pidfile },
	{ .opt = { "timeout", required_argument, NULL, 't' },
	  .handle = a_number, .num = NUM(10, 0, 86400 * 365, idle_secs) },
	{ .opt = { "retransmit", required_argument, NULL, 'T' },
	  .handle = a_number, .num = NUM(10, 10000, 255000000, retransmit_us) },
	{ .opt = { "map-file", required_argument, NULL, 'm' }, .handle = a_mapfile },
	{ .opt = { "refuse", required_argument, NULL, 'r' }, .handle = a_refuse },
	{ .opt = { "blocksize", required_argument, NULL, 'B' },
	  .handle = a_number, .num = NUM(10, 512, TFTP_BLKSIZE_MAX, max_blksize) },
	{ .opt = { "port-range", required_argument, NULL, 'R' }, .handle = a_portrange },
	{ .opt = { "verbose", no_argument, NULL, 'v' }, .handle = a_verbose },
	{ .opt = { "verbosity", required_argument, NULL, 1 },
	  .handle = a_number, .num = NUM(10, 0, 10, verbosity) },
	{ .opt = { "version", no_argument, NULL, 'V' }, .handle = a_version },
	{ .opt = { "help", no_argument, NULL, 'h' }, .handle = a_help },
};
#define N_FLAGS (sizeof flags / sizeof flags[0])

static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t n = 0;

	for (size_t i = 0; i < N_FLAGS; i++) {
		longopts[i] = flags[i].opt;
		if (flags[i].opt.val <= 1)
			continue;
		shortopts[n++] = (char)flags[i].opt.val;
		if (flags[i].opt.has_arg)
			shortopts[n++] = ':';
	}
	shortopts[n] = '\0';
	longopts[N_FLAGS] = (struct option){ 0 };
}

static void set_defaults(struct tftpd_conf *conf)
{
	memset(conf, 0, sizeof *conf);
	conf->family = AF_UNSPEC;
	conf->user = "nobody";
	conf->port = TFTPD_PORT;
	conf->idle_secs = 900;
	conf->retransmit_us = 1000000;
	conf->max_blksize = TFTP_BLKSIZE_MAX;
}

static int take_dirs(int argc, char **argv, struct tftpd_conf *conf, char *err, size_t err_size)
{
	for (int i = optind; i < argc; i++) {
		if (conf->n_dirs == TFTPD_DIRS_MAX) {
			snprintf(err, err_size, "too many directories (at most %d)", TFTPD_DIRS_MAX);
			return -1;
		}
		conf->dirs[conf->n_dirs++] = argv[i];
	}
	if (conf->n_dirs == 0) {
		snprintf(err, err_size, "no directory to serve");
		return -1;
	}
	if (conf->secure && conf->n_dirs != 1) {
		snprintf(err, err_size, "-s needs exactly one directory");
		return -1;
	}
	return 0;
}

int tftpd_parse_args(int argc, char **argv, struct tftpd_conf *conf, char *err, size_t err_size)
{
	struct option longopts[N_FLAGS + 1];
	char shortopts[2 * N_FLAGS + 2];
	int ch, idx;

	set_defaults(conf);
	build_getopt(longopts, shortopts);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		size_t i;
		for (i = 0; i < N_FLAGS; i++)
			if (flags[i].opt.val == ch)
				break;
		if (i == N_FLAGS) {
			snprintf(err, err_size, "unknown flag or missing value: %s", argv[optind - 1]);
			return -1;
		}
		struct arg_ctx c = { conf, flags[i].opt.name, &flags[i].num, optarg, err, err_size };
		if (flags[i].handle(&c) != 0)
			return -1;
	}
	if (conf->version || conf->help)
		return 0;
	return take_dirs(argc, argv, conf, err, err_size);
}
