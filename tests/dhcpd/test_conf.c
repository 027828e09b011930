/* dhcpd.conf parser: the compat files load as they are, errors name
 * file:line and keyword, the tutorial typo gets its hint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"

static struct dhcp_config *load_compat(const char *rel, char *err, size_t size)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", COMPAT_DIR, rel);
	return conf_load(path, err, size, NULL, NULL);
}

static struct dhcp_config *parse(const char *text, char *err, size_t size)
{
	return conf_parse("t.conf", text, strlen(text), err, size, NULL, NULL);
}

static uint32_t opt_ip(const struct conf_params *p, uint8_t code, size_t i)
{
	const uint8_t *b = p->opt[code] + 4 * i;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void tutorial_fixed_loads(void **state)
{
	char err[512] = "";
	struct dhcp_config *c = load_compat("seed-tutorial/dhcpd.fixed.conf", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->n_subnets, 1);
	assert_int_equal(c->subnets[0].net, 0xd3b70300);
	assert_int_equal(c->n_ranges, 1);
	assert_true(c->ranges[0].dynamic_bootp);
	assert_int_equal(c->ranges[0].lo, 0xd3b703f0);
	assert_int_equal(c->ranges[0].hi, 0xd3b703fa);
	struct conf_params p;
	conf_params_init(&p);
	conf_apply(&p, c->ranges[0].scope, NULL);
	assert_string_equal(p.filename, "pxelinux.0");
	assert_true(p.has_next_server);
	assert_int_equal(p.next_server, 0xd3b70315);
	assert_int_equal(p.opt_len[3], 4);
	assert_int_equal(opt_ip(&p, 3, 0), 0xd3b70302);
	assert_int_equal(opt_ip(&p, 6, 0), 0x08080808);
	assert_int_equal(p.allow[ALLOW_BOOTING], MODE_ALLOW);
	conf_free(c);
}

static void tutorial_typo_hint(void **state)
{
	char err[512] = "";
	assert_null(load_compat("seed-tutorial/dhcpd.conf", err, sizeof err));
	assert_non_null(strstr(err, "seed-tutorial/dhcpd.conf:24: \"pxelinux.0\": "));
	assert_non_null(strstr(err, "did you mean: filename \"pxelinux.0\";"));
}

static void isc_sample_loads(void **state)
{
	char err[512] = "";
	struct dhcp_config *c = load_compat("isc/dhcpd.conf", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->n_subnets, 2);
	assert_int_equal(c->n_ranges, 2);
	assert_int_equal(c->ranges[1].hi - c->ranges[1].lo + 1, 60160);
	struct conf_params p;
	conf_params_init(&p);
	conf_apply(&p, c->ranges[1].scope, NULL);
	assert_true(p.authoritative);
	assert_int_equal(p.default_lease, 3600);
	assert_int_equal(p.max_lease, 7200);
	assert_int_equal(opt_ip(&p, 3, 0), 0xc6130001);
	assert_int_equal(opt_ip(&p, 1, 0), 0xffff0000);
	conf_free(c);
}

static void error_is(const char *text, const char *want)
{
	char err[512] = "";
	struct dhcp_config *c = parse(text, err, sizeof err);
	if (c)
		fail_msg("accepted: %s", text);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void errors_name_file_line_keyword(void **state)
{
	error_is("subnet 198.18.0.0 netmask 255.255.255.0 {\n  filname \"a\";\n}\n",
		 "t.conf:2: filname: unknown statement; did you mean: filename");
	error_is("\n\nfrobnicate-everything 1;\n", "t.conf:3: frobnicate-everything: statement not supported");
	error_is("option routers 198.18.0.1\nsubnet", "t.conf:2: routers: expected ';'");
	error_is("subnet 198.18.0.0 netmask 255.255.255.0 {\n range 198.19.0.1 198.19.0.9;\n}",
		 "t.conf:2: range: range is not inside its subnet");
	error_is("option foo 1;", "t.conf:1: foo: unknown option");
	error_is("range 198.18.0.1 198.18.0.2;", "t.conf:1: range: not allowed in the global scope");
	error_is("subnet 198.18.0.0 netmask 255.255.255.0 {\n", "missing '}'");
	error_is("ddns-update-style interim;", "ddns-update-style: dynamic DNS updates are not supported");
	error_is("option routers hostname.example;", "routers: IPv4 address expected");
	/* the PXELINUX recipe's request-list trick and Foreman's fqdn options:
	 * said what they are, not "define it first" */
	error_is("option dhcp-parameter-request-list = concat(option dhcp-parameter-request-list, d0);",
		 "t.conf:1: dhcp-parameter-request-list: option values computed from expressions");
	error_is("option fqdn.no-client-update on;", "t.conf:1: fqdn.no-client-update: the client FQDN options");
}

static void hosts_and_user_options(void **state)
{
	const char *text =
		"option arch code 93 = unsigned integer 16;\n"
		"option pxe-list code 250 = array of ip-address;\n"
		"group {\n  filename \"g.0\";\n"
		"  host ws01 {\n    hardware ethernet 52:54:00:12:34:01;\n"
		"    fixed-address 198.18.50.21, 198.18.51.21;\n    option arch 7;\n  }\n}\n"
		"option pxe-list 198.18.0.1, 198.18.0.2;\n";
	char err[512] = "";
	struct dhcp_config *c = parse(text, err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->n_hosts, 1);
	const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 1 };
	const struct conf_host *h = conf_host_by_hw(c, 1, mac, 6, NULL);
	assert_non_null(h);
	assert_int_equal(h->n_fixed, 2);
	assert_int_equal(h->fixed[1], 0xc6123315);
	struct conf_params p;
	conf_params_init(&p);
	conf_apply(&p, h->scope, NULL);
	assert_string_equal(p.filename, "g.0");
	assert_int_equal(p.opt_len[93], 2);
	assert_int_equal(p.opt[93][1], 7);
	assert_int_equal(p.opt_len[250], 8);
	conf_free(c);
}

static void host_declared_globally_keeps_subnet_values(void **state)
{
	const char *text = "filename \"global\";\nsubnet 198.18.0.0 netmask 255.255.255.0 {\n filename \"subnet\";\n"
			   "}\nhost a { hardware ethernet 00:00:00:00:00:01; }\n";
	char err[512] = "";
	struct dhcp_config *c = parse(text, err, sizeof err);
	assert_non_null(c);
	struct conf_params p;
	conf_params_init(&p);
	conf_apply(&p, c->subnets[0].scope, NULL);
	conf_apply_limited(&p, c->hosts[0].scope, c->subnets[0].scope, NULL);
	assert_string_equal(p.filename, "subnet");
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tutorial_fixed_loads),
		cmocka_unit_test(tutorial_typo_hint),
		cmocka_unit_test(isc_sample_loads),
		cmocka_unit_test(errors_name_file_line_keyword),
		cmocka_unit_test(hosts_and_user_options),
		cmocka_unit_test(host_declared_globally_keeps_subnet_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
