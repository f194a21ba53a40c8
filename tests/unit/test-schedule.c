// SPDX-License-Identifier: GPL-2.0
/* Schedule strings: the run-length format and its errors. */
#include "engine/schedule.h"
#include "util/error.h"

static void test_format_run_length(void)
{
	static const struct sim_choice c[] = { { 1, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 },
					       { 1, 0 }, { 0, 1 }, { 0, 0 }, { 0, 0 } };
	struct sim_schedule s = { 0 };
	g_autofree char *str = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(c); i++)
		sim_schedule_append(&s, c[i]);
	str = sim_schedule_format(&s, s.n);
	g_assert_cmpstr(str, ==, "1.0x3.1.0!.0x2");
	g_free(str);
	str = sim_schedule_format(&s, 3);
	g_assert_cmpstr(str, ==, "1.0x2");
	sim_schedule_release(&s);
}

static void test_parse_roundtrip(void)
{
	static const char *const in[] = { "0", "1.0x5.1x3.0!.0x2", "3!x2.2.1.0x100" };
	struct sim_schedule s = { 0 };
	int col;

	for (size_t i = 0; i < G_N_ELEMENTS(in); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *out = NULL;

		g_assert_true(sim_schedule_parse(in[i], 4, &s, &col, &error));
		g_assert_no_error(error);
		out = sim_schedule_format(&s, s.n);
		g_assert_cmpstr(out, ==, in[i]);
	}
	sim_schedule_release(&s);
}

static void test_parse_errors(void)
{
	static const struct {
		const char *in;
		int col;
		const char *message;
	} bad[] = {
		{ "", 1, "expected a schedule, found nothing" },
		{ "0.", 3, "expected a CPU number after '.'" },
		{ "0.a", 3, "expected a CPU number, found 'a'" },
		{ "0.5", 3, "CPU 5 does not exist (the scenario has 2 CPUs)" },
		{ "0x0", 3, "expected a repeat count from 1 to 100000000 after 'x'" },
		{ "1y", 2, "expected '.', '!', 'x' or the end, found 'y'" },
		{ "1x999999999", 3, "expected a repeat count from 1 to 100000000 after 'x'" },
	};
	struct sim_schedule s = { 0 };

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		int col = 0;

		g_assert_false(sim_schedule_parse(bad[i].in, 2, &s, &col, &error));
		g_assert_error(error, SIM_ERROR, SIM_ERROR_PARSE);
		g_assert_cmpstr(error->message, ==, bad[i].message);
		g_assert_cmpint(col, ==, bad[i].col);
	}
	sim_schedule_release(&s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/schedule/format/run-length", test_format_run_length);
	g_test_add_func("/schedule/parse/roundtrip", test_parse_roundtrip);
	g_test_add_func("/schedule/parse/errors", test_parse_errors);
	return g_test_run();
}
