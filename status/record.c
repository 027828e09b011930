/* Parser for event records: a strict little scanner over the line, writing
 * unescaped strings into the record's own storage. Anything unexpected
 * rejects the whole line rather than guessing. */
#include "record.h"

#include <string.h>

struct scan {
	const char *p;
	const char *end;
	struct record *rec;
	size_t used;   /* bytes of rec->text filled */
};

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Appends one byte to the record's text storage. */
static bool put(struct scan *s, char c)
{
	if (s->used >= sizeof s->rec->text)
		return false;
	s->rec->text[s->used++] = c;
	return true;
}

static const char *start_string(const struct scan *s)
{
	return s->rec->text + s->used;
}

/* An identifier (daemon, event name or key) copied to storage. */
static const char *scan_ident(struct scan *s)
{
	const char *out = start_string(s);
	const char *first = s->p;
	while (s->p < s->end && is_ident(*s->p))
		if (!put(s, *s->p++))
			return NULL;
	if (s->p == first || !put(s, '\0'))
		return NULL;
	return out;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte an escape stands for, after the backslash; -1 when invalid.
 * \xNN is what log_escape writes; \n \t \r are accepted from hand-written
 * lines. NUL is refused: values are C strings. */
static int scan_escape(struct scan *s)
{
	static const char simple[][2] = {
		{ '\\', '\\' }, { '"', '"' }, { 'n', '\n' }, { 't', '\t' }, { 'r', '\r' },
	};
	if (s->p >= s->end)
		return -1;
	char c = *s->p++;
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
		if (c == simple[i][0])
			return simple[i][1];
	if (c != 'x' || s->end - s->p < 2)
		return -1;
	int hi = hex_digit(s->p[0]), lo = hex_digit(s->p[1]);
	s->p += 2;
	int byte = hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
	return byte == 0 ? -1 : byte;
}

static const char *scan_quoted(struct scan *s)
{
	const char *out = start_string(s);
	s->p++;   /* opening quote */
	while (s->p < s->end && *s->p != '"') {
		int c = (unsigned char)*s->p++;
		if (c == '\\')
			c = scan_escape(s);
		if (c < 0 || !put(s, (char)c))
			return NULL;
	}
	if (s->p >= s->end || !put(s, '\0'))
		return NULL;
	s->p++;   /* closing quote */
	return out;
}

static const char *scan_bare(struct scan *s)
{
	const char *out = start_string(s);
	while (s->p < s->end && !is_space(*s->p))
		if (*s->p == '"' || !put(s, *s->p++))
			return NULL;
	return put(s, '\0') ? out : NULL;
}

static const char *scan_value(struct scan *s)
{
	if (s->p < s->end && *s->p == '"')
		return scan_quoted(s);
	return scan_bare(s);
}

static bool scan_pair(struct scan *s)
{
	struct record *rec = s->rec;
	if (rec->n_kv >= RECORD_MAX_KV)
		return false;
	struct record_kv *kv = &rec->kv[rec->n_kv];
	kv->key = scan_ident(s);
	if (!kv->key || s->p >= s->end || *s->p++ != '=')
		return false;
	kv->value = scan_value(s);
	if (!kv->value || (s->p < s->end && !is_space(*s->p)))
		return false;
	rec->n_kv++;
	return true;
}

/* Where "event=" starts as a word of its own, or NULL. */
static const char *find_start(const char *line, size_t len)
{
	static const char tag[] = "event=";
	const char *p = line, *end = line + len;
	while ((p = memmem(p, (size_t)(end - p), tag, sizeof tag - 1)) != NULL) {
		if (p == line || memchr(" \t>:]", p[-1], 5))
			return p;
		p++;
	}
	return NULL;
}

static size_t trim_newline(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	return len;
}

bool record_parse(struct record *rec, const char *line, size_t len)
{
	len = trim_newline(line, len);
	const char *start = find_start(line, len);
	if (!start)
		return false;
	struct scan s = { .p = start + 6, .end = line + len, .rec = rec };
	rec->n_kv = 0;
	rec->prefix_len = (size_t)(start - line);
	rec->daemon = scan_ident(&s);
	if (!rec->daemon || s.p >= s.end || *s.p++ != '.')
		return false;
	rec->name = scan_ident(&s);
	if (!rec->name || (s.p < s.end && !is_space(*s.p)))
		return false;
	for (;;) {
		while (s.p < s.end && is_space(*s.p))
			s.p++;
		if (s.p >= s.end)
			return true;
		if (!scan_pair(&s))
			return false;
	}
}

const char *record_get(const struct record *rec, const char *key)
{
	for (size_t i = 0; i < rec->n_kv; i++)
		if (strcmp(rec->kv[i].key, key) == 0)
			return rec->kv[i].value;
	return NULL;
}
