/* key=value / INI configuration through inih, with keys declared in tables.
 * Errors name file:line and the key. */
#ifndef PXE_CONFIG_H
#define PXE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum cfg_type {
	CFG_BOOL,   /* YES/NO/TRUE/FALSE/1/0, any case -> bool */
	CFG_UINT,   /* decimal (or 0-prefixed octal when CFG_OCTAL) -> unsigned long, within [min,max] */
	CFG_STR,    /* -> char * (heap, owned by the object; freed by cfg_free) */
};

enum cfg_flags {
	CFG_OCTAL = 1 << 0,        /* CFG_UINT read as octal, as umask keys are */
	CFG_NOT_SERVED = 1 << 1,   /* accepted, but reported once as not served by this build */
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t offset;          /* offsetof(struct your_conf, field) */
	const char *defval;     /* text form, parsed like a file value; NULL = zero/NULL */
	unsigned long min, max; /* bounds for CFG_UINT (max 0 = no upper bound) */
	unsigned flags;
};

struct cfg_error {
	char file[256];
	int line;       /* 0 when not from a file (e.g. a -o override) */
	char key[64];
	char msg[192];
};

/* Called for every CFG_NOT_SERVED key that is set, with where it was set. */
typedef void cfg_note_fn(const struct cfg_key *key, const char *value,
			 const char *file, int line, void *ctx);

struct cfg_schema {
	const struct cfg_key *keys;
	size_t n_keys;
	const char *section;    /* only keys in this [section] (NULL: no section, as vsftpd.conf) */
	cfg_note_fn *note;      /* may be NULL */
	void *note_ctx;
};

/* Sets every key of the schema to its default. Returns 0, or -1 when a
 * table default does not parse (a bug in the table). */
int cfg_defaults(const struct cfg_schema *s, void *obj);
/* Loads a file on top of what obj holds. Returns 0, or -1 with *err filled
 * (unknown key, bad value, out of bounds, unreadable file). */
int cfg_load_file(const struct cfg_schema *s, void *obj, const char *path, struct cfg_error *err);
/* The same for text in memory; `name` stands for the file in errors. */
int cfg_load_string(const struct cfg_schema *s, void *obj, const char *text, const char *name,
		    struct cfg_error *err);
/* One assignment, for command-line overrides (-oKEY=VALUE). */
int cfg_set(const struct cfg_schema *s, void *obj, const char *key, const char *value,
	    struct cfg_error *err);
/* "file:line: key: message" (or "key: message" without a file). */
void cfg_format_error(const struct cfg_error *err, char *buf, size_t size);
/* Frees the CFG_STR fields. */
void cfg_free(const struct cfg_schema *s, void *obj);
/* Case-insensitive YES/NO/TRUE/FALSE/1/0. Returns 0, or -1 if none. */
int cfg_parse_bool(const char *text, bool *out);

#endif
