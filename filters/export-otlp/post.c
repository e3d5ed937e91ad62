/*
 * post.c: one batch to an OTLP/HTTP receiver, with curl(1). The body
 * goes to curl through a temporary file (--data-binary @FILE); curl
 * writes the HTTP status and its error message, if any, on its standard
 * output, which is read back through a pipe. curl is run directly (fork and execvp), never through
 * a shell, so a URL or a header is never parsed as shell words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "otlp.h"

/* The argument vector of curl; freed by the caller. */
static char **
curl_args(const char *url, char **headers, size_t nheaders, char *data)
{
	char **argv = oak_calloc(2 * nheaders + 16, sizeof(*argv));
	size_t n = 0, i;

	argv[n++] = "curl";
	argv[n++] = "--silent";
	argv[n++] = "--output";
	argv[n++] = "/dev/null";
	argv[n++] = "--write-out";
	argv[n++] = "%{http_code} %{errormsg}";
	argv[n++] = "--header";
	argv[n++] = "Content-Type: application/json";
	for (i = 0; i < nheaders; i++) {
		argv[n++] = "--header";
		argv[n++] = headers[i];
	}
	argv[n++] = "--data-binary";
	argv[n++] = data;
	argv[n++] = (char *)url;
	argv[n] = NULL;
	return argv;
}

static int
write_body(const struct buf *body, char *path)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	if (write(fd, body->data, body->len) != (ssize_t)body->len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int
otlp_post(const char *url, char **headers, size_t nheaders,
	  const struct buf *body, struct buf *why)
{
	char path[] = "/tmp/oak-export-otlp.XXXXXX", code[512];
	char data[sizeof(path) + 1];
	char **argv;
	ssize_t got;
	size_t len = 0;
	int fds[2], status;
	pid_t pid;

	buf_reset(why);
	if (write_body(body, path) < 0 || pipe(fds) < 0) {
		buf_printf(why, "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	snprintf(data, sizeof(data), "@%s", path);
	argv = curl_args(url, headers, nheaders, data);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp("curl", argv);
		fprintf(stderr, "oak-export-otlp: curl: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while (len < sizeof(code) - 1 &&
	       (got = read(fds[0], code + len, sizeof(code) - 1 - len)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		len += (size_t)got;
	}
	code[len] = '\0';
	close(fds[0]);
	free(argv);
	unlink(path);
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		buf_printf(why, "curl: %s", strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_printf(why, "curl: %s", len > 4 ? code + 4 : "failed");
		return -1;
	}
	return atoi(code);
}
