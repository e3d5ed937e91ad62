/*
 * fuzz_import: one transcript line of oak-import. Each line of the input
 * is parsed from a buffer of exactly its length and its tokens summed
 * (claude_usage_add, common/claude); then the whole input is read as a
 * transcript by session_read (filters/import, linked without main.c),
 * once as a session's main file and once as a subagent's own file, and
 * the sums written and priced as oak-import does (FUZZ_TOP: the tree).
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../filters/import/import.h"
#include "fuzz.h"

static char dir[] = "/tmp/oak-fuzz-import-XXXXXX";
static char path[128];
static struct claude_pricing *pricing;

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

/* The private directory of the transcript file (removed at exit) and
 * the price table, made at the first input. */
static void
setup(void)
{
	if (path[0] != '\0')
		return;
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/session.jsonl", dir);
	atexit(cleanup);
	oak_setprog("oak-import");
	pricing = claude_pricing_load(FUZZ_TOP "/data/pricing.json");
}

/* Each line of data[0..size) as its own buffer, its usage summed. */
static void
usage_lines(const uint8_t *data, size_t size)
{
	static struct json_doc doc;
	static struct buf out;
	struct claude_usage u;
	const uint8_t *nl;
	const char *why;
	size_t len;
	char *text;

	claude_usage_init(&u);
	while (size > 0) {
		nl = memchr(data, '\n', size);
		len = nl != NULL ? (size_t)(nl - data) : size;
		text = fuzz_copy(data, len);
		if (json_parse(&doc, text, len, &why) == 0)
			claude_usage_add(&u, &doc);
		free(text);
		len += nl != NULL;
		data += len;
		size -= len;
	}
	buf_reset(&out);
	buf_addc(&out, '{');
	claude_usage_write(&out, &u, pricing);
	buf_addc(&out, '}');
	claude_usage_release(&u);
}

/* The input as a transcript file, read by session_read: a newline is
 * added, else a last line would be left for the next run unread. */
static void
session_file(const uint8_t *data, size_t size, const char *agent)
{
	struct session s;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    write(fd, "\n", 1) != 1 || close(fd) != 0)
		abort();
	session_init(&s);
	session_read(&s, path, agent);
	session_release(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	usage_lines(data, size);
	session_file(data, size, NULL);
	session_file(data, size, "a1b2c3");
	unlink(path);
	return 0;
}
