/* pxe-status: one row per PC booting from pxesuite, joined from the
 * events of dhcpd, tftpd and ftpd. Reads logs (--from) or listens live on
 * the daemons' event socket (--live). Needs no privileges. */
#include <err.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "event.h"
#include "feed.h"
#include "io.h"
#include "render.h"

enum mode { MODE_ONCE, MODE_JSON, MODE_LIVE };

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: pxe-status [--once | --json | --live] [--from FILE|-] [--at-end]\n"
		"                  [--stuck SECS] [--done-marker GLOB] [--socket NAME]\n"
		"  --once         print the table once (default; reads --from, default stdin)\n"
		"  --json         the same as JSON, for scripts\n"
		"  --live         redraw as events arrive on the daemons' socket\n"
		"                 (after reading --from, when given)\n"
		"  --from FILE    journalctl/syslog/stderr lines holding event=... ('-': stdin)\n"
		"  --at-end       measure times up to the log's last event, not now\n"
		"                 (for yesterday's logs)\n"
		"  --stuck SECS   STUCK after SECS without progress (default 60; 0: never)\n"
		"  --done-marker GLOB  a fetch of a file matching GLOB means done\n"
		"                 (default: an FTP session that fetched a file ends)\n"
		"  --socket NAME  abstract socket name (default $PXE_EVENT_SOCKET or %s)\n",
		EVENT_SOCKET_NAME);
	exit(status);
}

static double parse_secs(const char *arg)
{
	char *end;
	double secs = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || secs < 0)
		errx(2, "--stuck: not a number of seconds: %s", arg);
	return secs;
}

static FILE *open_log(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "r");
	if (!f)
		err(1, "%s", path);
	return f;
}

struct opts {
	enum mode mode;
	const char *from;          /* log to read first; NULL: none */
	bool at_end;
	const char *socket_name;
	struct board_config cfg;
};

static void parse_flags(int argc, char **argv, struct opts *o)
{
	static const struct option options[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "live", no_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'f' },
		{ "at-end", no_argument, NULL, 'e' },
		{ "stuck", required_argument, NULL, 's' },
		{ "done-marker", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct opts){ .mode = MODE_ONCE, .socket_name = getenv("PXE_EVENT_SOCKET"),
			    .cfg = { .stuck_secs = 60 } };
	int c;
	while ((c = getopt_long(argc, argv, "ojlf:es:d:S:h", options, NULL)) != -1) {
		switch (c) {
		case 'o': o->mode = MODE_ONCE; break;
		case 'j': o->mode = MODE_JSON; break;
		case 'l': o->mode = MODE_LIVE; break;
		case 'f': o->from = optarg; break;
		case 'e': o->at_end = true; break;
		case 's': o->cfg.stuck_secs = parse_secs(optarg); break;
		case 'd': o->cfg.done_marker = optarg; break;
		case 'S': o->socket_name = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	if (!o->socket_name || !*o->socket_name)
		o->socket_name = EVENT_SOCKET_NAME;
	if (o->from || o->mode == MODE_LIVE)
		return;
	if (isatty(STDIN_FILENO))
		errx(2, "nothing to read: pipe a log in (journalctl -o short-iso | pxe-status), "
			"use --from FILE, or --live");
	o->from = "-";
}

int main(int argc, char **argv)
{
	struct opts o;
	struct board board;
	struct feed feed;
	int fd = -1;

	parse_flags(argc, argv, &o);
	FILE *log = o.from ? open_log(o.from) : NULL;
	if (o.mode == MODE_LIVE && (fd = io_listen(o.socket_name)) < 0)
		err(1, "listen on abstract socket @%s (another pxe-status running?)", o.socket_name);

	board_init(&board, &o.cfg);
	feed_init(&feed, &board, io_now(), true);
	if (log && io_read_log(log, &feed) != 0)
		err(1, "%s", o.from);
	if (o.mode == MODE_LIVE) {
		feed.use_stamps = false;   /* live events happen when they arrive */
		if (io_live(fd, &feed) != 0)
			errx(1, "cannot start the event loop");
	} else {
		double now = o.at_end ? feed.last_t : io_now();
		(o.mode == MODE_JSON ? render_json : render_table)(stdout, &board, now);
	}
	board_free(&board);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return 0;
}
