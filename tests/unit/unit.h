/* unit.h: a minimal unit-test harness: CHECK records a failure with its place and goes on. */
#ifndef BRIEFC_UNIT_H
#define BRIEFC_UNIT_H

#include <stdio.h>

struct unit_ctx {
	int failed; /* failures in the current test */
};

extern struct unit_ctx *unit_current;

void unit_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			unit_fail(__FILE__, __LINE__, "%s", #cond); \
	} while (0)
#define CHECK_MSG(cond, ...) \
	do { \
		if (!(cond)) \
			unit_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

typedef void (*unit_fn)(void);
struct unit_test {
	const char *name;
	unit_fn fn;
};

/* Each test file exports a NULL-terminated table. */
extern const struct unit_test base_tests[];
extern const struct unit_test read_tests[];
extern const struct unit_test layout_tests[];

#endif
