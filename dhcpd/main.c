/* pxe-dhcpd: ISC dhcpd's command line, config and leases file. Parse the
 * flags, load the config and the leases, open the sockets, drop to -user
 * (keeping no capability: see io.c), serve. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "event.h"
#include "io.h"
#include "log.h"
#include "privdrop.h"
#include "slurp.h"
#include "store.h"
#include "svc.h"

struct opts {
	bool foreground, debug, quiet, test_conf, test_leases, no_pid;
	const char *conf, *leases, *pidfile, *user, *group, *chroot, *port, *send_to;
	char *ifnames[64];
	size_t n_ifnames;
};

enum arg_kind { FLAG, VALUE, IGNORED };

static struct opts o = { .conf = "/etc/dhcp/dhcpd.conf", .pidfile = "/var/run/dhcpd.pid", .port = "67" };

static const struct {
	const char *name;
	enum arg_kind kind;
	void *dst;
} flags[] = {
	{ "-f", FLAG, &o.foreground }, { "-d", FLAG, &o.debug }, { "-q", FLAG, &o.quiet },
	{ "-t", FLAG, &o.test_conf }, { "-T", FLAG, &o.test_leases }, { "--no-pid", FLAG, &o.no_pid },
	{ "-4", IGNORED, NULL }, { "-cf", VALUE, &o.conf }, { "-lf", VALUE, &o.leases },
	{ "-pf", VALUE, &o.pidfile }, { "-user", VALUE, &o.user }, { "-group", VALUE, &o.group },
	{ "-chroot", VALUE, &o.chroot }, { "-p", VALUE, &o.port }, { "-s", VALUE, &o.send_to },
};

static void __attribute__((noreturn)) usage(const char *why)
{
	fprintf(stderr, "pxe-dhcpd: %s\nusage: dhcpd [-4] [-f] [-d] [-q] [-t|-T] [-p port] [-s server] [-cf config]\n"
		"             [-lf leases] [-pf pidfile] [--no-pid] [-user user] [-group group] [-chroot dir] [if ...]\n", why);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t f = 0;
		while (f < sizeof flags / sizeof flags[0] && strcmp(argv[i], flags[f].name) != 0)
			f++;
		if (f == sizeof flags / sizeof flags[0]) {
			if (argv[i][0] == '-')
				usage(argv[i][1] == '6' ? "DHCPv6 is not supported" : "unknown flag");
			if (o.n_ifnames == sizeof o.ifnames / sizeof o.ifnames[0])
				usage("too many interfaces");
			o.ifnames[o.n_ifnames++] = argv[i];
		} else if (flags[f].kind == FLAG) {
			*(bool *)flags[f].dst = true;
		} else if (flags[f].kind == VALUE) {
			if (++i == argc)
				usage("flag needs a value");
			*(const char **)flags[f].dst = argv[i];
		}
	}
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

static void print_warning(const char *msg, void *ctx)
{
	if (o.test_conf)
		fprintf(stderr, "warning: %s\n", msg);
	else
		log_warn("%s", msg);
}

static const char *lease_path(const struct dhcp_config *cfg)
{
	return o.leases ? o.leases : cfg->lease_file ? cfg->lease_file : "/var/lib/dhcpd/dhcpd.leases";
}

/* Reads the leases file without opening it for writing. */
static int test_leases(const struct dhcp_config *cfg, struct lease_db *db)
{
	struct leasefile_stats st;
	char err[512];
	size_t len;
	char *text = slurp(lease_path(cfg), (size_t)1 << 30, &len);
	if (!text) {
		fprintf(stderr, "%s: cannot read: %s\n", lease_path(cfg), strerror(errno));
		return 1;
	}
	int rc = leasefile_parse(db, lease_path(cfg), text, len, &st, err, sizeof err);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (!o.quiet)
		printf("%s: OK: %zu lease records, %zu outside the configured pools, %zu statements not kept\n",
		       lease_path(cfg), st.records, st.outside_pools, st.skipped);
	return 0;
}

/* Opened before daemon() moves to "/", so a relative -pf is taken from the
 * start directory, as ISC dhcpd writes it before its chdir. */
static FILE *open_pidfile(void)
{
	FILE *f = o.no_pid ? NULL : fopen(o.pidfile, "we");
	if (!f && !o.no_pid)
		log_warn("cannot write %s: %s", o.pidfile, strerror(errno));
	return f;
}

/* The pid of the process that serves: written after daemon()'s fork. */
static void write_pidfile(FILE *f)
{
	if (!f)
		return;
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

static void drop_privileges(void)
{
	struct privdrop_ids ids;
	char err[256];
	if (!o.user && o.chroot)
		die("-chroot %s needs -user", o.chroot);
	if (!o.user)
		return;
	if (privdrop_resolve(o.user, o.group, &ids, err, sizeof err) < 0 ||
	    privdrop_apply(&ids, o.chroot, NULL, 0, err, sizeof err) < 0)
		die("privilege drop: %s", err);
}

static struct io_config io_config(void)
{
	struct io_config c = { .ifnames = o.ifnames, .n_ifnames = o.n_ifnames };
	char *end;
	unsigned long port = strtoul(o.port, &end, 10);
	if (*end || port == 0 || port > 65534)
		usage("bad -p port");
	c.port = (uint16_t)port;
	if (o.send_to && !ip_parse(o.send_to, &c.send_to))
		usage("-s needs an IPv4 address");
	return c;
}

/* -t and -T: load, report, exit. */
static int check(void)
{
	char err[1024];
	struct dhcp_config *cfg = conf_load(o.conf, err, sizeof err, print_warning, NULL);
	if (!cfg) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	int rc = 0;
	if (o.test_conf) {
		if (!o.quiet)   /* ISC's -q -t says nothing about a good file */
			printf("%s: OK: %zu subnets, %zu ranges, %zu hosts\n", o.conf, cfg->n_subnets, cfg->n_ranges,
			       cfg->n_hosts);
	} else {
		struct lease_db *db = lease_db_new(cfg);
		rc = db ? test_leases(cfg, db) : 1;
		lease_db_free(db);
	}
	conf_free(cfg);
	return rc;
}

int main(int argc, char **argv)
{
	char err[1024];
	parse_args(argc, argv);
	struct io_config ioc = io_config();
	if (o.test_conf || o.test_leases) {
		log_open("dhcpd", LOG_DAEMON, LOG_TARGET_STDERR);
		return check();
	}
	log_open("dhcpd", LOG_DAEMON, o.debug ? LOG_TARGET_STDERR : LOG_TARGET_AUTO);
	struct dhcp_config *cfg = conf_load(o.conf, err, sizeof err, print_warning, NULL);
	if (!cfg)
		die("%s (exiting; check with: dhcpd -t -cf FILE)", err);
	if (cfg->log_facility >= 0 && !o.debug)
		log_open("dhcpd", cfg->log_facility, LOG_TARGET_AUTO);
	struct lease_db *db = lease_db_new(cfg);
	if (!db)
		die("out of memory for the leases");
	if (!o.quiet)
		log_notice("pxe-dhcpd %s (ISC dhcpd compatible), config %s", PXE_VERSION, o.conf);
	struct lease_store store;
	struct leasefile_stats st;
	if (store_open(&store, lease_path(cfg), db, &st, err, sizeof err) < 0)
		die("%s", err);
	if (store_compact(&store, db) < 0)
		die("%s: cannot rewrite: %s", lease_path(cfg), strerror(errno));
	log_info("%s: %zu lease records read", lease_path(cfg), st.records);
	struct dhcpd_io *io = io_open(&ioc, db, &store, err, sizeof err);
	if (!io)
		die("%s", err);
	FILE *pidfile = open_pidfile();
	if (!o.foreground && !o.debug && daemon(0, 0) < 0)
		die("daemon: %s", strerror(errno));
	write_pidfile(pidfile);
	svc_notify_open();
	event_open("dhcpd");
	drop_privileges();
	int status = io_run(io);
	store_commit(&store);
	io_free(io);
	store_close(&store);
	lease_db_free(db);
	conf_free(cfg);
	return status;
}
