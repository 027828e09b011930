/* rbuf/wbuf: values in network order, overruns impossible and sticky. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"

static void test_read_values(void **state)
{
	static const uint8_t data[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct rbuf r;
	rbuf_init(&r, data, sizeof data);
	assert_int_equal(rbuf_u8(&r), 0x01);
	assert_int_equal(rbuf_u16(&r), 0x0203);
	assert_int_equal(rbuf_u32(&r), 0x04050607);
	assert_int_equal(rbuf_left(&r), 0);
	assert_true(rbuf_ok(&r));
}

static void test_read_overrun_is_sticky(void **state)
{
	static const uint8_t data[] = { 0xaa, 0xbb, 0xcc };
	struct rbuf r;
	rbuf_init(&r, data, sizeof data);
	assert_int_equal(rbuf_u16(&r), 0xaabb);
	assert_int_equal(rbuf_u16(&r), 0);        /* one byte left: overrun */
	assert_false(rbuf_ok(&r));
	assert_int_equal(rbuf_u8(&r), 0);         /* sticky, although a byte is left */
	assert_int_equal(rbuf_left(&r), 0);
	assert_null(rbuf_view(&r, 0));
}

static void test_copy_zeroes_on_overrun(void **state)
{
	static const uint8_t data[] = { 1, 2, 3 };
	uint8_t out[4];
	struct rbuf r;
	memset(out, 0xff, sizeof out);
	rbuf_init(&r, data, sizeof data);
	assert_false(rbuf_copy(&r, out, sizeof out));
	static const uint8_t zero[4] = { 0 };
	assert_memory_equal(out, zero, sizeof out);
	assert_false(rbuf_ok(&r));
}

static void test_view_skip_sub(void **state)
{
	static const uint8_t data[] = { 9, 8, 7, 6, 5 };
	struct rbuf r, sub;
	rbuf_init(&r, data, sizeof data);
	assert_true(rbuf_skip(&r, 1));
	const uint8_t *v = rbuf_view(&r, 2);
	assert_ptr_equal(v, data + 1);
	assert_true(rbuf_sub(&r, 2, &sub));
	assert_int_equal(rbuf_left(&r), 0);
	assert_int_equal(rbuf_u16(&sub), 0x0605);
	assert_int_equal(rbuf_u8(&sub), 0);       /* the sub-reader ends at its own end */
	assert_false(rbuf_ok(&sub));
	assert_true(rbuf_ok(&r));
	assert_false(rbuf_sub(&r, 1, &sub));
	assert_false(rbuf_ok(&sub));
	assert_false(rbuf_ok(&r));
}

static void test_cstr(void **state)
{
	static const char data[] = "abc\0de\0fg";  /* "fg" has no NUL inside the length */
	struct rbuf r;
	const char *s;
	size_t len;
	rbuf_init(&r, data, sizeof data - 1);
	assert_true(rbuf_cstr(&r, &s, &len));
	assert_string_equal(s, "abc");
	assert_int_equal(len, 3);
	assert_true(rbuf_cstr(&r, &s, &len));
	assert_string_equal(s, "de");
	assert_int_equal(rbuf_left(&r), 2);
	assert_false(rbuf_cstr(&r, &s, &len));
	assert_null(s);
	assert_false(rbuf_ok(&r));
}

static void test_empty_reader(void **state)
{
	struct rbuf r;
	const char *s;
	size_t len;
	rbuf_init(&r, NULL, 10);                  /* NULL data never reads */
	assert_int_equal(rbuf_left(&r), 0);
	assert_false(rbuf_cstr(&r, &s, &len));
}

static void test_write_values(void **state)
{
	uint8_t out[16];
	struct wbuf w;
	wbuf_init(&w, out, sizeof out);
	assert_true(wbuf_u8(&w, 0x11));
	assert_true(wbuf_u16(&w, 0x2233));
	assert_true(wbuf_u32(&w, 0x44556677));
	assert_true(wbuf_cstr(&w, "ab"));
	assert_true(wbuf_zero(&w, 2));
	uint8_t *len_field = wbuf_reserve(&w, 1);
	assert_non_null(len_field);
	*len_field = 0x99;
	static const uint8_t want[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 'a', 'b', 0, 0, 0, 0x99 };
	assert_int_equal(w.len, sizeof want);
	assert_memory_equal(out, want, sizeof want);
	assert_int_equal(wbuf_left(&w), 3);
}

static void test_write_overrun_is_sticky(void **state)
{
	uint8_t out[8];
	struct wbuf w;
	memset(out, 0xee, sizeof out);
	wbuf_init(&w, out, 3);
	assert_true(wbuf_u16(&w, 0x0102));
	assert_false(wbuf_u16(&w, 0x0304));
	assert_false(wbuf_ok(&w));
	assert_false(wbuf_u8(&w, 5));             /* sticky: one byte was still free */
	assert_int_equal(w.len, 2);
	assert_int_equal(out[2], 0xee);           /* nothing written past the failure */
	assert_null(wbuf_reserve(&w, 0));
	assert_int_equal(wbuf_left(&w), 0);
}

static void test_printf(void **state)
{
	char out[8];
	struct wbuf w;
	wbuf_init(&w, out, sizeof out);
	assert_true(wbuf_printf(&w, "%s-%d", "ab", 12));
	assert_int_equal(w.len, 5);
	assert_true(wbuf_printf(&w, "xyz"));      /* fills the buffer exactly */
	assert_int_equal(w.len, 8);
	assert_memory_equal(out, "ab-12xyz", 8);
	assert_true(wbuf_printf(&w, "%s", ""));
	assert_false(wbuf_printf(&w, "q"));
	assert_false(wbuf_ok(&w));
}

static void test_printf_overflow(void **state)
{
	char out[4] = "....";
	struct wbuf w;
	wbuf_init(&w, out, sizeof out);
	assert_false(wbuf_printf(&w, "%d", 12345));
	assert_int_equal(w.len, 0);
	assert_memory_equal(out, "....", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_values),
		cmocka_unit_test(test_read_overrun_is_sticky),
		cmocka_unit_test(test_copy_zeroes_on_overrun),
		cmocka_unit_test(test_view_skip_sub),
		cmocka_unit_test(test_cstr),
		cmocka_unit_test(test_empty_reader),
		cmocka_unit_test(test_write_values),
		cmocka_unit_test(test_write_overrun_is_sticky),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
