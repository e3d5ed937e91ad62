/* hook.c: Claude Code hook events (stub). */
#include "log.h"

int
hook_run(const char *dir)
{
	(void)dir;
	return 0;
}
