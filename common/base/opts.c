/*
 * opts.c: the command line of every program (see opts.h).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/opts.h"

enum { KEY_HELP = 'h', KEY_VERSION = 0x1000, KEY_REJECTS, KEY_STRICT,
       KEY_SINCE, KEY_UNTIL, KEY_WEEK, KEY_PREVIOUS };

static const struct option shared_options[] = {
	{ "help", no_argument, NULL, KEY_HELP },
	{ "version", no_argument, NULL, KEY_VERSION },
	{ "rejects", required_argument, NULL, KEY_REJECTS },
	{ "strict", no_argument, NULL, KEY_STRICT },
	{ "since", required_argument, NULL, KEY_SINCE },
	{ "until", required_argument, NULL, KEY_UNTIL },
	{ "week", required_argument, NULL, KEY_WEEK },
	{ "previous", no_argument, NULL, KEY_PREVIOUS },
};

static unsigned
needs(int key)
{
	if (key == KEY_REJECTS || key == KEY_STRICT)
		return OAK_OPTS_REJECTS;
	if (key >= KEY_SINCE)
		return OAK_OPTS_WINDOW;
	return 0;
}

void
oak_opts_begin(struct oak_opts *o, int argc, char **argv,
	       const char *shortopts, const struct option *own,
	       unsigned shared, const char *usage)
{
	size_t nown = 0, n = 0, k;

	/* the arrays of the last scan are kept where LeakSanitizer sees
	 * them: a program may exit without oak_opts_end */
	static char **operands;
	static struct option *all;

	free(operands);
	free(all);
	memset(o, 0, sizeof(*o));
	o->usage = usage;
	o->argc = argc;
	o->argv = argv;
	o->shared = shared;
	o->operand = operands = oak_calloc((size_t)argc + 1,
					   sizeof(*o->operand));
	while (own != NULL && own[nown].name != NULL)
		nown++;
	o->all = all = oak_calloc(nown + sizeof(shared_options) /
				  sizeof(shared_options[0]) + 1, sizeof(*o->all));
	for (k = 0; k < nown; k++)
		o->all[n++] = own[k];
	for (k = 0; k < sizeof(shared_options) / sizeof(shared_options[0]); k++)
		if ((needs(shared_options[k].val) & ~shared) == 0)
			o->all[n++] = shared_options[k];
	/* "+": stop at an operand (stepped over below); ":": say why here */
	snprintf(o->shortopts, sizeof(o->shortopts), "+:h%s",
		 shortopts != NULL ? shortopts : "");
	opterr = 0;
	optind = 1;
}

static bool
shared_option(struct oak_opts *o, int c)
{
	switch (c) {
	case KEY_HELP: oak_usage(o, OAK_EXIT_OK);
	case KEY_VERSION: oak_version();
	case KEY_REJECTS: o->rejects = optarg; return true;
	case KEY_STRICT: oak_set_strict(true); return true;
	case KEY_SINCE: o->since = optarg; return true;
	case KEY_UNTIL: o->until = optarg; return true;
	case KEY_WEEK: o->week = optarg; return true;
	case KEY_PREVIOUS: o->previous = true; return true;
	case ':':
		oak_opts_fail(o, "option %s needs a value", o->argv[optind - 1]);
	case '?':
		if (optopt != 0 && optopt < 0x100)
			oak_opts_fail(o, "unknown option: -%c", optopt);
		oak_opts_fail(o, "unknown option: %s", o->argv[optind - 1]);
	default:
		return false;
	}
}

int
oak_opts_next(struct oak_opts *o)
{
	int c, before;

	for (;;) {
		if (o->no_more_options || optind >= o->argc) {
			while (optind < o->argc)
				o->operand[o->noperand++] = o->argv[optind++];
			if (o->rejects != NULL)  /* once every option is known */
				oak_rejects_open(o->rejects);
			o->rejects = NULL;
			return -1;
		}
		before = optind;
		optopt = 0;
		c = getopt_long(o->argc, o->argv, o->shortopts, o->all, NULL);
		if (c == -1) {
			if (optind == before + 1 &&
			    strcmp(o->argv[before], "--") == 0)
				o->no_more_options = true;
			else
				o->operand[o->noperand++] = o->argv[optind++];
			continue;
		}
		if (!shared_option(o, c))
			return c;
	}
}

void
oak_opts_end(struct oak_opts *o)
{
	/* the arrays are freed by the next oak_opts_begin, or at exit */
	o->noperand = 0;
}

void
oak_usage(const struct oak_opts *o, int status)
{
	FILE *fp = status == OAK_EXIT_OK ? stdout : stderr;

	fputs(o->usage, fp);
	if (status == OAK_EXIT_OK)
		oak_finish_output();
	exit(status);
}

void
oak_opts_fail(const struct oak_opts *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	oak_warn("%s", msg);
	oak_usage(o, OAK_EXIT_USAGE);
}

long long
oak_opt_ll(const struct oak_opts *o, const char *opt, const char *arg,
	   long long min, long long max)
{
	long long v;

	(void)o;
	if (oak_parse_ll(arg, min, max, &v) < 0) {
		if (max == LLONG_MAX)
			oak_die(OAK_EXIT_USAGE, "%s: want a whole number >= %lld: "
				"%s", opt, min, arg);
		oak_die(OAK_EXIT_USAGE, "%s: want a whole number from %lld to "
			"%lld: %s", opt, min, max, arg);
	}
	return v;
}
