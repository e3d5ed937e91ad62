/*
 * base/opts.h: one way to read a command line, for every program.
 *
 * A program lists its own options (getopt_long's struct option, val its
 * key), its short letters, its usage text, and which of the shared
 * options it takes; oak_opts_next hands back its own options one at a
 * time, in order, with optarg set, and collects the operands wherever
 * they stand (a "--" ends the options). The shared ones it handles:
 *
 *   -h, --help        usage on stdout, exit 0
 *   --version         "PROG VERSION" on stdout, exit 0
 *   --rejects FILE    (OAK_OPTS_REJECTS) rejected lines copied to FILE
 *   --strict          (OAK_OPTS_REJECTS) the first bad line is fatal
 *   --since TIME, --until TIME, --week W, --previous
 *                     (OAK_OPTS_WINDOW) kept for oak_window_from_opts
 *
 * A wrong option or a missing value: the reason and usage on stderr,
 * exit 2. The scan starts afresh at every oak_opts_begin, portably: it
 * always runs in POSIX order ("+") and steps over operands itself, so no
 * implementation's hidden state (glibc's optind = 0) is relied on.
 */
#ifndef OAK_BASE_OPTS_H
#define OAK_BASE_OPTS_H

#include <getopt.h>

#include "base/base.h"

#define OAK_OPTS_REJECTS 1u
#define OAK_OPTS_WINDOW  2u

struct oak_opts {
	const char *usage;           /* "usage: oak-x ...\n" */
	/* the window options, when OAK_OPTS_WINDOW; NULL when not given */
	const char *since, *until, *week;
	bool previous;
	/* the operands, in order (valid once oak_opts_next returned -1) */
	char **operand;
	int noperand;
	/* private */
	int argc;
	char **argv;
	char shortopts[64];
	struct option *all;
	unsigned shared;
	const char *rejects;
	bool no_more_options;
};

void oak_opts_begin(struct oak_opts *o, int argc, char **argv,
		    const char *shortopts, const struct option *own,
		    unsigned shared, const char *usage);
/* The next of the program's own options (its val), or -1 at the end. */
int oak_opts_next(struct oak_opts *o);
void oak_opts_end(struct oak_opts *o);
/* Usage on stdout and exit 0 (OAK_EXIT_OK), or on stderr and exit status. */
_Noreturn void oak_usage(const struct oak_opts *o, int status);
/* "oak-PROG: reason", then usage on stderr, exit 2. */
_Noreturn void oak_opts_fail(const struct oak_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The value of option opt as a whole number in [min, max]; else
 * "oak-PROG: OPT: want a whole number ...: ARG" and exit 2. */
long long oak_opt_ll(const struct oak_opts *o, const char *opt,
		     const char *arg, long long min, long long max);

#endif
