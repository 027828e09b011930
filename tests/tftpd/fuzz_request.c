/* Fuzz target: a datagram as the listener or a transfer port receives it,
 * through the request parser, the option string logged even for a refused
 * request, option checks and negotiation, name policy (with and without
 * -s) and OACK builder, and the reply parser; in io.c's order. */
#include <stddef.h>
#include <stdint.h>

#include "negotiate.h"
#include "path.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const roots[] = { "/var/lib/tftpboot" };
	struct tftp_request req;
	struct tftp_reply rep;
	struct tftp_params params;
	uint8_t oack[TFTP_PKT_MAX];
	char opts[512];
	const char *rel;
	int root;

	tftp_parse_reply(data, size, &rep);
	enum tftp_parse_status st = tftp_parse_request(data, size, &req);
	if (st == TFTP_PARSE_SHORT || st == TFTP_PARSE_BADOP)
		return 0;
	tftp_options_str(&req, opts, sizeof opts);
	if (st != TFTP_PARSE_OK) {
		tftp_parse_refusal_code(st);
		return 0;
	}
	struct tftp_policy pol = {
		.refused = size > 2 ? data[size - 1] : 0,
		.max_blksize = 512 + (size * 977) % (TFTP_BLKSIZE_MAX - 511),
		.mtu_blksize = size % 3 ? 1468 : 0,
		.timeout_us = 1000000,
	};
	tftp_options_valid(&req, &pol);
	tftp_negotiate(&req, &pol, size * 1000003ull, &params);
	if (params.blksize < 8 || params.blksize > TFTP_BLKSIZE_MAX || params.windowsize < 1 ||
	    params.n_oack > req.n_opts)
		__builtin_trap();
	tftp_build_oack(oack, sizeof oack, params.oack, params.n_oack);
	if (path_resolve(req.filename, roots, 1, &rel, &root) == PATH_OK &&
	    (rel[0] == '/' || !rel[0] || root > 0))
		__builtin_trap();
	if (path_resolve_in_root(req.filename, &rel) == PATH_OK && (rel[0] == '/' || !rel[0]))
		__builtin_trap();
	return 0;
}
