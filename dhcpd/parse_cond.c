/* Conditions and classes: if/elsif/else, class, match, spawn, subclass. */
#include "parse.h"

#include <string.h>

/* if COND { ... } [elsif COND { ... }]... [else { ... }]; elsif and
 * "else if" nest in the else branch. */
static int parse_if(struct parser *p, struct block *b, const char *kw, struct conf_stmt *st)
{
	st->kind = STMT_IF;
	if (p_bool_expr(p, kw, &st->cond, 0) < 0 || p_cond_body(p, b, kw, &st->then_list, &st->n_then) < 0)
		return -1;
	bool elsif = p_accept(p, "elsif");
	if (!elsif && p_accept(p, "else"))
		elsif = p_accept(p, "if");
	else if (!elsif)
		return 0;
	if (!elsif)
		return p_cond_body(p, b, "else", &st->otherwise, &st->n_otherwise);
	struct conf_stmt *nested = arena_alloc(p->cfg->arena, sizeof *nested);
	if (!nested)
		return p_error(p, p_peek(p)->line, kw, "out of memory");
	st->otherwise = nested;
	st->n_otherwise = 1;
	return parse_if(p, b, "elsif", nested);
}

static int h_if(struct parser *p, struct block *b, const char *kw, int line)
{
	struct conf_stmt st = { 0 };
	return parse_if(p, b, kw, &st) < 0 ? -1 : p_add_stmt(p, b, &st);
}

static int class_name(struct parser *p, const char *kw, char *buf, size_t size)
{
	const struct token *t = p_next(p);
	if ((t->kind != TOK_STRING && t->kind != TOK_WORD) || t->len >= size || !t->len)
		return p_error(p, t->line, kw, "class name expected");
	memcpy(buf, t->text, t->len + 1);
	return 0;
}

static struct conf_class *new_class(struct parser *p, const char *name)
{
	struct conf_class *c = p_grow(p, (void **)&p->cfg->classes, &p->cfg->n_classes, &p->cap_classes, sizeof *c);
	if (c && !(c->name = arena_strdup(p->cfg->arena, name)))
		return NULL;
	return c;
}

static int class_block(struct parser *p, struct block *b, const char *kw, int line, size_t idx)
{
	struct block in;
	b->class_index = (int)idx;
	int rc = p_block(p, b, &in, SCOPE_CLASS, kw, line);
	b->class_index = -1;
	struct conf_class *c = &p->cfg->classes[idx];
	c->scope = in.scope;
	if (rc == 0 && c->spawn && c->match && !expr_is_boolean(c->match))
		return p_error(p, line, c->name, "'spawn with' goes with 'match if', not 'match DATA;'");
	return rc;
}

static int h_class(struct parser *p, struct block *b, const char *kw, int line)
{
	char name[128];
	if (class_name(p, kw, name, sizeof name) < 0)
		return -1;
	for (size_t i = 0; i < p->cfg->n_classes; i++)
		if (!p->cfg->classes[i].parent_index && strcmp(p->cfg->classes[i].name, name) == 0)
			return p_error(p, line, name, "class declared twice");
	if (!new_class(p, name))
		return -1;
	return class_block(p, b, kw, line, p->cfg->n_classes - 1);
}

/* match if BOOLEAN;  or  match DATA; (the value subclasses are keyed on) */
static int h_match(struct parser *p, struct block *b, const char *kw, int line)
{
	struct conf_class *c = &p->cfg->classes[b->class_index];
	if (c->match)
		return p_error(p, line, kw, "class %s already has a match", c->name);
	int rc = p_accept(p, "if") ? p_bool_expr(p, kw, &c->match, 0) : p_data_expr(p, kw, &c->match, 0);
	return rc < 0 ? -1 : p_semi(p, kw);
}

/* spawn with DATA;  beside `match if` or alone (`match DATA` selects
 * declared subclasses instead: the two do not mix). */
static int h_spawn(struct parser *p, struct block *b, const char *kw, int line)
{
	struct conf_class *c = &p->cfg->classes[b->class_index];
	if (c->parent_index)
		return p_error(p, line, kw, "a subclass cannot spawn");
	if (c->spawn)
		return p_error(p, line, kw, "class %s already has a spawn with", c->name);
	if (!p_accept(p, "with"))
		return p_error(p, line, kw, "expected 'spawn with EXPRESSION;'");
	if (p_data_expr(p, kw, &c->spawn, 0) < 0)
		return -1;
	return p_semi(p, kw);
}

/* subclass "PARENT" DATA;  or  subclass "PARENT" DATA { ... } */
static int h_subclass(struct parser *p, struct block *b, const char *kw, int line)
{
	char parent[128];
	if (class_name(p, kw, parent, sizeof parent) < 0)
		return -1;
	size_t pi = 0;
	while (pi < p->cfg->n_classes && strcmp(p->cfg->classes[pi].name, parent) != 0)
		pi++;
	if (pi == p->cfg->n_classes || !p->cfg->classes[pi].match || expr_is_boolean(p->cfg->classes[pi].match))
		return p_error(p, line, parent, "subclass of a class without 'match DATA;' (declare the class first)");
	const uint8_t *data;
	uint16_t len;
	if (p_data_const(p, kw, &data, &len) < 0 || !new_class(p, parent))
		return -1;
	size_t idx = p->cfg->n_classes - 1;
	p->cfg->classes[idx].parent_index = pi + 1;
	p->cfg->classes[idx].data = data;
	p->cfg->classes[idx].len = len;
	if (p_accept(p, ";"))
		return 0;
	return class_block(p, b, kw, line, idx);
}

#define CLASS_SCOPES (IN(SCOPE_GLOBAL) | IN(SCOPE_SHARED) | IN(SCOPE_SUBNET) | IN(SCOPE_GROUP))

const struct stmt_handler cond_handlers[] = {
	{ "if", h_if, IN_PARAMS, true },
	{ "class", h_class, CLASS_SCOPES, false },
	{ "subclass", h_subclass, CLASS_SCOPES, false },
	{ "match", h_match, IN(SCOPE_CLASS), false },
	{ "spawn", h_spawn, IN(SCOPE_CLASS), false },
};

const size_t n_cond_handlers = sizeof cond_handlers / sizeof cond_handlers[0];
