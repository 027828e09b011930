/* Table-driven configuration on top of inih.
 *
 * Debian's libinih is built without line numbers in the handler and with a
 * 200-byte line buffer, ';' inline comments and indented continuation
 * lines. Text therefore goes through ini_parse_stream with our own line
 * reader, which counts lines (for file:line errors), rejects over-long
 * lines instead of letting inih split them, drops leading blanks, and in
 * section-less files (vsftpd.conf) hides ';' from inih: vsftpd keeps
 * "banner=a ; b" whole and only knows '#' comments. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CFG_MAX_FILE (1u << 20)
#define SEMICOLON_STANDIN '\x1f'   /* stands for ';' while inih looks at the line */

struct cfg_parse {
	const struct cfg_schema *schema;
	void *obj;
	const char *name;
	const char *next;       /* unread text */
	int line;
	bool protect_semicolons;
	bool failed;
	int failed_line;
	struct cfg_error *err;
};

static void set_error(struct cfg_error *err, const char *file, int line, const char *key,
		      const char *msg)
{
	if (!err)
		return;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	snprintf(err->key, sizeof err->key, "%s", key ? key : "");
	snprintf(err->msg, sizeof err->msg, "%s", msg);
}

int cfg_parse_bool(const char *text, bool *out)
{
	static const struct { const char *word; bool value; } words[] = {
		{ "YES", true }, { "TRUE", true }, { "1", true },
		{ "NO", false }, { "FALSE", false }, { "0", false },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(text, words[i].word) == 0) {
			*out = words[i].value;
			return 0;
		}
	return -1;
}

/* Strict unsigned parse: digits only, no sign, no overflow. */
static int parse_uint(const char *text, int base, unsigned long *out)
{
	if (text[0] < '0' || text[0] > '9')
		return -1;
	char *end;
	errno = 0;
	*out = strtoul(text, &end, base);
	return errno || *end ? -1 : 0;
}

static int store_bool(const struct cfg_key *k, void *field, const char *value, char *msg,
		      size_t msg_size)
{
	if (cfg_parse_bool(value, field) == 0)
		return 0;
	snprintf(msg, msg_size, "not a boolean (YES/NO/TRUE/FALSE/1/0): \"%.40s\"", value);
	return -1;
}

static int store_uint(const struct cfg_key *k, void *field, const char *value, char *msg,
		      size_t msg_size)
{
	unsigned long v;
	bool octal = k->flags & CFG_OCTAL;
	if (parse_uint(value, octal ? 8 : 10, &v) != 0) {
		snprintf(msg, msg_size, "not %s number: \"%.40s\"", octal ? "an octal" : "a", value);
		return -1;
	}
	if (v < k->min || (k->max && v > k->max)) {
		snprintf(msg, msg_size, "%lu out of range [%lu, %lu]", v, k->min,
			 k->max ? k->max : (unsigned long)-1);
		return -1;
	}
	*(unsigned long *)field = v;
	return 0;
}

static int store_str(const struct cfg_key *k, void *field, const char *value, char *msg,
		     size_t msg_size)
{
	char *copy = strdup(value);
	if (!copy) {
		snprintf(msg, msg_size, "out of memory");
		return -1;
	}
	free(*(char **)field);
	*(char **)field = copy;
	return 0;
}

typedef int store_fn(const struct cfg_key *k, void *field, const char *value, char *msg,
		     size_t msg_size);
static store_fn *const store_by_type[] = {
	[CFG_BOOL] = store_bool,
	[CFG_UINT] = store_uint,
	[CFG_STR] = store_str,
};

static const size_t field_size[] = {
	[CFG_BOOL] = sizeof(bool),
	[CFG_UINT] = sizeof(unsigned long),
	[CFG_STR] = sizeof(char *),
};

static const struct cfg_key *find_key(const struct cfg_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n_keys; i++)
		if (strcmp(s->keys[i].name, name) == 0)
			return &s->keys[i];
	return NULL;
}

/* One assignment from a file (line > 0) or an override (line 0). */
static int assign(const struct cfg_schema *s, void *obj, const char *name, const char *value,
		  const char *file, int line, struct cfg_error *err)
{
	const struct cfg_key *k = find_key(s, name);
	if (!k) {
		set_error(err, file, line, name, "unknown key");
		return -1;
	}
	char msg[sizeof err->msg];
	if (store_by_type[k->type](k, (char *)obj + k->offset, value, msg, sizeof msg) != 0) {
		set_error(err, file, line, name, msg);
		return -1;
	}
	if ((k->flags & CFG_NOT_SERVED) && s->note)
		s->note(k, value, file, line, s->note_ctx);
	return 0;
}

int cfg_defaults(const struct cfg_schema *s, void *obj)
{
	int rc = 0;
	for (size_t i = 0; i < s->n_keys; i++) {
		const struct cfg_key *k = &s->keys[i];
		void *field = (char *)obj + k->offset;
		char msg[64];
		/* No free here: obj may still hold garbage before its first defaults. */
		if (k->type == CFG_STR)
			*(char **)field = NULL;
		if (!k->defval)
			memset(field, 0, field_size[k->type]);
		else if (store_by_type[k->type](k, field, k->defval, msg, sizeof msg) != 0)
			rc = -1;   /* a bad default is a bug in the key table */
	}
	return rc;
}

int cfg_set(const struct cfg_schema *s, void *obj, const char *key, const char *value,
	    struct cfg_error *err)
{
	return assign(s, obj, key, value, NULL, 0, err);
}

static void fail(struct cfg_parse *p)
{
	p->failed = true;
	p->failed_line = p->line;
}

static void restore_semicolons(char *text)
{
	for (char *p = strchr(text, SEMICOLON_STANDIN); p; p = strchr(p, SEMICOLON_STANDIN))
		*p = ';';
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct cfg_parse *p = user;
	const char *want = p->schema->section;
	if (p->failed)
		return 1;
	if (!want && section[0]) {
		set_error(p->err, p->name, p->line, name, "sections are not allowed in this file");
		fail(p);
		return 1;
	}
	if (want && strcmp(section, want) != 0)
		return 1;   /* another program's section */
	char *val = strdup(value);
	if (!val) {
		set_error(p->err, p->name, p->line, name, "out of memory");
		fail(p);
		return 1;
	}
	restore_semicolons(val);
	if (assign(p->schema, p->obj, name, val, p->name, p->line, p->err) != 0)
		fail(p);
	free(val);
	return 1;
}

/* inih's line source: one line per call, without leading blanks. */
static char *read_line(char *buf, int size, void *user)
{
	struct cfg_parse *p = user;
	if (p->failed || !*p->next)
		return NULL;
	p->line++;
	p->next += strspn(p->next, " \t");
	size_t len = strcspn(p->next, "\n");
	if (len >= (size_t)size) {
		char msg[64];
		snprintf(msg, sizeof msg, "line longer than %d bytes", size - 1);
		set_error(p->err, p->name, p->line, NULL, msg);
		fail(p);
		return NULL;
	}
	memcpy(buf, p->next, len);
	buf[len] = '\0';
	p->next += len + (p->next[len] == '\n');
	if (p->protect_semicolons && strchr(buf, SEMICOLON_STANDIN)) {
		set_error(p->err, p->name, p->line, NULL, "control character in line");
		fail(p);
		return NULL;
	}
	for (char *c = p->protect_semicolons ? strchr(buf, ';') : NULL; c; c = strchr(c, ';'))
		*c = SEMICOLON_STANDIN;
	return buf;
}

int cfg_load_string(const struct cfg_schema *s, void *obj, const char *text, const char *name,
		    struct cfg_error *err)
{
	struct cfg_parse p = {
		.schema = s, .obj = obj, .name = name, .next = text, .err = err,
		.protect_semicolons = s->section == NULL,
	};
	int bad_line = ini_parse_stream(read_line, &p, on_pair, &p);
	/* inih reads on after a syntax error; the first error is the one to show. */
	if (p.failed && (bad_line <= 0 || p.failed_line < bad_line))
		return -1;
	if (bad_line != 0) {
		set_error(err, name, bad_line, NULL,
			  bad_line < 0 ? "out of memory" : "syntax error (expected key=value)");
		return -1;
	}
	return 0;
}

/* The whole file in memory (configuration files are small), NUL-terminated. */
static char *read_file(const char *path, char *msg, size_t msg_size)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(msg, msg_size, "cannot open: %s", strerror(errno));
		return NULL;
	}
	char *text = malloc(CFG_MAX_FILE + 1);
	size_t n = text ? fread(text, 1, CFG_MAX_FILE + 1, f) : 0;
	int failed = ferror(f);
	fclose(f);
	if (!text || failed || n > CFG_MAX_FILE || memchr(text, '\0', n)) {
		snprintf(msg, msg_size, "%s", !text ? "out of memory" : failed ? "read error"
			 : n > CFG_MAX_FILE ? "file too large" : "NUL byte in file");
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

int cfg_load_file(const struct cfg_schema *s, void *obj, const char *path, struct cfg_error *err)
{
	char msg[sizeof err->msg];
	char *text = read_file(path, msg, sizeof msg);
	if (!text) {
		set_error(err, path, 0, NULL, msg);
		return -1;
	}
	int rc = cfg_load_string(s, obj, text, path, err);
	free(text);
	return rc;
}

void cfg_format_error(const struct cfg_error *err, char *buf, size_t size)
{
	char where[sizeof err->file + 16] = "";
	if (err->file[0] && err->line > 0)
		snprintf(where, sizeof where, "%s:%d: ", err->file, err->line);
	else if (err->file[0])
		snprintf(where, sizeof where, "%s: ", err->file);
	snprintf(buf, size, "%s%s%s%s", where, err->key, err->key[0] ? ": " : "", err->msg);
}

void cfg_free(const struct cfg_schema *s, void *obj)
{
	for (size_t i = 0; i < s->n_keys; i++) {
		if (s->keys[i].type != CFG_STR)
			continue;
		char **field = (char **)((char *)obj + s->keys[i].offset);
		free(*field);
		*field = NULL;
	}
}
