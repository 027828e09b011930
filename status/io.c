/* Log reading, and the live loop: a libuv poll on the event socket, a
 * redraw timer, and signals to quit. */
#include "io.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "event.h"
#include "render.h"

#define REDRAW_MS 1000       /* time in stage ticks even without events */
#define MIN_REDRAW_MS 200    /* events redraw at once, but not more often */
#define RCVBUF_BYTES (1 << 20)   /* a burst of 40 PCs' events fits */
#define RECV_BATCH 256           /* then redraw: a flood never starves the view */

double io_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int io_read_log(FILE *f, struct feed *feed)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0)
		feed_line(feed, line, (size_t)n);
	free(line);
	return ferror(f) ? -1 : 0;
}

int io_listen(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len = strlen(name);
	if (len + 1 > sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path + 1, name, len);   /* sun_path[0] = 0: abstract */
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int rcvbuf = RCVBUF_BYTES;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	socklen_t addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	if (bind(fd, (struct sockaddr *)&sun, addr_len) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct live {
	struct feed *feed;
	uint64_t drawn_ms;
	uv_poll_t poll;
	uv_timer_t timer;
	uv_signal_t sigint;
	uv_signal_t sigterm;
};

static void redraw(struct live *live)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return;
	fputs("\033[H\033[J", mem);   /* home, clear: one write, no flicker */
	render_live(mem, live->feed->board, io_now());
	fclose(mem);
	live->drawn_ms = uv_now(live->timer.loop);
	fwrite(text, 1, len, stdout);
	fflush(stdout);
	free(text);
}

static void on_readable(uv_poll_t *poll, int status, int events)
{
	struct live *live = poll->data;
	char buf[EVENT_MAX_LINE + 1];
	uv_os_fd_t fd;
	ssize_t n;
	if (status < 0 || uv_fileno((uv_handle_t *)poll, &fd) != 0)
		return;
	for (int i = 0; i < RECV_BATCH && (n = recv(fd, buf, sizeof buf, 0)) >= 0; i++) {
		live->feed->now = io_now();
		feed_line(live->feed, buf, (size_t)n);
	}
	if (uv_now(poll->loop) - live->drawn_ms >= MIN_REDRAW_MS)
		redraw(live);
}

static void on_timer(uv_timer_t *timer)
{
	redraw(timer->data);
}

static void on_signal(uv_signal_t *sig, int signum)
{
	uv_stop(sig->loop);
}

static void close_all(uv_loop_t *loop, struct live *live)
{
	uv_close((uv_handle_t *)&live->poll, NULL);
	uv_close((uv_handle_t *)&live->timer, NULL);
	uv_close((uv_handle_t *)&live->sigint, NULL);
	uv_close((uv_handle_t *)&live->sigterm, NULL);
	uv_run(loop, UV_RUN_DEFAULT);   /* runs the close callbacks */
}

int io_live(int fd, struct feed *feed)
{
	uv_loop_t loop;
	struct live live = { .feed = feed };
	if (uv_loop_init(&loop) != 0)
		return -1;
	uv_poll_init_socket(&loop, &live.poll, fd);
	uv_timer_init(&loop, &live.timer);
	uv_signal_init(&loop, &live.sigint);
	uv_signal_init(&loop, &live.sigterm);
	live.poll.data = live.timer.data = &live;
	uv_poll_start(&live.poll, UV_READABLE, on_readable);
	uv_timer_start(&live.timer, on_timer, 0, REDRAW_MS);
	uv_signal_start(&live.sigint, on_signal, SIGINT);
	uv_signal_start(&live.sigterm, on_signal, SIGTERM);
	uv_run(&loop, UV_RUN_DEFAULT);
	close_all(&loop, &live);
	uv_loop_close(&loop);
	return 0;
}
