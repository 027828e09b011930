/* Fuzzes cfg_load_string with a small vsftpd-like key table, once
 * section-less (vsftpd.conf) and once with a [section] (INI). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct conf {
	bool enable;
	unsigned long port;
	unsigned long umask;
	char *banner;
	bool wrappers;
};

static const struct cfg_key keys[] = {
	{ "anonymous_enable", CFG_BOOL, offsetof(struct conf, enable), "NO", 0, 0, 0 },
	{ "listen_port", CFG_UINT, offsetof(struct conf, port), "21", 1, 65535, 0 },
	{ "local_umask", CFG_UINT, offsetof(struct conf, umask), "077", 0, 0777, CFG_OCTAL },
	{ "ftpd_banner", CFG_STR, offsetof(struct conf, banner), "hello", 0, 0, 0 },
	{ "tcp_wrappers", CFG_BOOL, offsetof(struct conf, wrappers), NULL, 0, 0, CFG_NOT_SERVED },
};

static void note(const struct cfg_key *key, const char *value, const char *file, int line, void *ctx)
{
	if (!key || !value || line <= 0)
		abort();
}

static void load(const char *text, const char *section)
{
	const struct cfg_schema s = { .keys = keys, .n_keys = sizeof keys / sizeof keys[0],
				      .section = section, .note = note };
	struct conf c;
	struct cfg_error err;
	char msg[512];
	cfg_defaults(&s, &c);
	if (cfg_load_string(&s, &c, text, "fuzz.conf", &err) != 0) {
		cfg_format_error(&err, msg, sizeof msg);
		if (err.line <= 0 || strncmp(msg, "fuzz.conf:", 10) != 0)
			abort();
	} else if (c.port < 1 || c.port > 65535 || c.umask > 0777) {
		abort();   /* bounds must hold after any accepted file */
	}
	cfg_free(&s, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	load(text, NULL);
	load(text, "ftp");
	free(text);
	return 0;
}
