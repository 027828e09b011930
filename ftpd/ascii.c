#include "ascii.h"

size_t ascii_to_crlf(const char *in, size_t n, char *out, bool *prev_cr)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\n' && !*prev_cr)
			out[w++] = '\r';
		out[w++] = in[i];
		*prev_cr = in[i] == '\r';
	}
	return w;
}
