/* The board as text: a table, the same with progress bars for the live
 * view, or JSON. Peer-supplied strings are sanitised here: control bytes never
 * reach the terminal, and JSON is always valid. */
#ifndef STATUS_RENDER_H
#define STATUS_RENDER_H

#include <stdio.h>

#include "board.h"

void render_table(FILE *out, const struct board *b, double now);
void render_live(FILE *out, const struct board *b, double now);
void render_json(FILE *out, const struct board *b, double now);

#endif
