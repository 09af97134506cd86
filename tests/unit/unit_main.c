/* unit_main.c: runs every unit test; prints "ok NAME" or "FAIL NAME: why" and a count. */
#include "unit.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "read/xmlread.h"

struct unit_ctx *unit_current;

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("  %s:%d: check failed: ", file, line);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	unit_current->failed++;
}

int main(int argc, char **argv)
{
	const struct unit_test *tables[] = {base_tests, read_tests, layout_tests};
	int passed = 0, failed = 0;
	const char *only = argc > 1 ? argv[1] : NULL;
	xmlread_init();
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
		for (const struct unit_test *u = tables[t]; u->name; u++) {
			if (only && strstr(u->name, only) == NULL)
				continue;
			struct unit_ctx c = {0};
			unit_current = &c;
			u->fn();
			fflush(stdout);
			if (c.failed) {
				printf("FAIL unit/%s\n", u->name);
				failed++;
			} else {
				printf("ok unit/%s\n", u->name);
				passed++;
			}
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
