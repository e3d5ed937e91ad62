/*
 * session.c: the session_id of records written from a shell. The
 * reference logger made one per TelemetryLogger object; a command has no
 * such object, so the id is derived from the process's session (setsid:
 * a login shell, a terminal, one cron job): the v5 uuid, under oak-log's
 * namespace, of "session:BOOT_ID:SID:START" where SID is the session
 * leader's pid and START its start time in clock ticks since boot
 * (/proc/SID/stat, field 22). Every command of one session shares it,
 * and a later session that reuses the pid does not.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Reads the first line of path into out; 0 or -1. */
static int
read_small(const char *path, char *out, size_t size)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return -1;
	n = fread(out, 1, size - 1, fp);
	fclose(fp);
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return n > 0 ? 0 : -1;
}

/* Field 22 (starttime) of /proc/PID/stat, as text; 0 or -1. */
static int
start_time(pid_t pid, char *out, size_t size)
{
	char path[64], stat[1024], *p;
	int field;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (read_small(path, stat, sizeof(stat)) < 0)
		return -1;
	/* the command name, field 2, is in parentheses and may hold both */
	p = strrchr(stat, ')');
	if (p == NULL)
		return -1;
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	n = strcspn(++p, " ");
	if (n == 0 || n >= size)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

const char *
session_id(void)
{
	static char id[OAK_UUID_LEN + 1];
	char boot[64] = "", start[32] = "", host[256] = "";
	const char *env = getenv("OAK_SESSION_ID");
	struct buf name;
	pid_t sid;

	if (env != NULL && *env != '\0')
		return env;
	if (id[0] != '\0')
		return id;
	sid = getsid(0);
	buf_init(&name);
	if (read_small("/proc/sys/kernel/random/boot_id", boot,
		       sizeof(boot)) == 0 &&
	    start_time(sid, start, sizeof(start)) == 0) {
		buf_printf(&name, "session:%s:%ld:%s", boot, (long)sid, start);
	} else {
		/* no /proc: the host, user and session leader's pid */
		gethostname(host, sizeof(host) - 1);
		buf_printf(&name, "session:%s:%ld:%ld", host, (long)getuid(),
			   (long)sid);
	}
	oak_uuid_v5(id, OAK_LOG_NAMESPACE, name.data, name.len);
	buf_release(&name);
	return id;
}
