/*
 * fuzz_hook: `oak-log hook` on any payload. hook_run (filters/log/hook.c,
 * linked with the rest of filters/log but main.c) reads the event from
 * fd 0, so each input becomes a file on fd 0; the records it writes go
 * to a private directory, emptied after each input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../filters/log/log.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[] = "/tmp/oak-fuzz-hook-XXXXXX";
static const char *const logs[] = {
	INVOCATIONS_FILE, UPDATES_FILE, METRICS_FILE, "event"
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL)
		abort();
	oak_setprog("oak-log");
	return 0;
}

static void
path_of(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", dir, name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128];
	size_t i;
	int fd;

	path_of(path, sizeof(path), "event");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, 0) < 0)
		abort();
	close(fd);
	if (hook_run(dir) != 0)
		abort();        /* the hook exits 0 whatever happens */
	for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		path_of(path, sizeof(path), logs[i]);
		unlink(path);
	}
	return 0;
}
