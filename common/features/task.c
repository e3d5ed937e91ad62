/*
 * task.c: a task's type and scope from its words. The text is cut into
 * words (runs of ASCII letters and digits, lowercased); each word is
 * looked up in one table of stems, each with its task type and weight.
 * A stem matches a word equal to it or to it plus one of a few endings
 * (fix: fixes, fixed, fixing); a stem of two words matches two words in
 * a row. The type with the highest total weight wins; a tie goes to the
 * type whose first word comes first. oak-telemetry(5) prints the table.
 */
#include <ctype.h>
#include <string.h>

#include "features/features.h"

#define WORD_MAX 24      /* longer words match nothing */

enum task_type {
	BUG_FIX, FEATURE, REFACTORING, TESTING, DOCUMENTATION, ANALYSIS,
	OPTIMIZATION, ARCHITECTURE, NTYPES
};

static const char *const type_names[NTYPES] = {
	"bug_fix", "feature_development", "refactoring", "testing",
	"documentation", "analysis", "optimization", "architecture"
};

/* One row per stem: the man page's table, in the same order. Words
 * that name the kind of work weigh 2; verbs that many kinds of work
 * share (add, plan, investigate) weigh 1. */
static const struct stem {
	const char *stem;       /* one word, or two separated by a space */
	enum task_type type;
	int weight;
} stems[] = {
	{ "fix", BUG_FIX, 2 }, { "bug", BUG_FIX, 2 }, { "crash", BUG_FIX, 2 },
	{ "debug", BUG_FIX, 2 }, { "broken", BUG_FIX, 2 },
	{ "leak", BUG_FIX, 2 }, { "race condition", BUG_FIX, 2 },
	{ "error", BUG_FIX, 1 }, { "fail", BUG_FIX, 1 },
	{ "throw", BUG_FIX, 1 }, { "exception", BUG_FIX, 1 },
	{ "resolv", BUG_FIX, 1 },
	{ "add", FEATURE, 1 }, { "implement", FEATURE, 1 },
	{ "creat", FEATURE, 1 }, { "build", FEATURE, 1 },
	{ "support", FEATURE, 1 }, { "integrat", FEATURE, 1 },
	{ "wire up", FEATURE, 1 },
	{ "refactor", REFACTORING, 2 }, { "clean up", REFACTORING, 2 },
	{ "cleanup", REFACTORING, 2 },
	{ "renam", REFACTORING, 2 }, { "extract", REFACTORING, 2 },
	{ "simplif", REFACTORING, 2 }, { "convert", REFACTORING, 1 },
	{ "split", REFACTORING, 1 }, { "mov", REFACTORING, 1 },
	{ "test", TESTING, 2 }, { "coverage", TESTING, 2 },
	{ "flaky", TESTING, 2 },
	{ "docs", DOCUMENTATION, 2 }, { "readme", DOCUMENTATION, 2 },
	{ "document", DOCUMENTATION, 2 }, { "docstring", DOCUMENTATION, 2 },
	{ "changelog", DOCUMENTATION, 2 }, { "guide", DOCUMENTATION, 2 },
	{ "reference", DOCUMENTATION, 1 },
	{ "investigat", ANALYSIS, 1 }, { "analyz", ANALYSIS, 1 },
	{ "analys", ANALYSIS, 1 }, { "research", ANALYSIS, 1 },
	{ "review", ANALYSIS, 1 }, { "explain", ANALYSIS, 1 },
	{ "find", ANALYSIS, 1 }, { "audit", ANALYSIS, 1 },
	{ "summariz", ANALYSIS, 1 }, { "summaris", ANALYSIS, 1 },
	{ "optimiz", OPTIMIZATION, 2 }, { "optimis", OPTIMIZATION, 2 },
	{ "speed up", OPTIMIZATION, 2 }, { "fast", OPTIMIZATION, 2 },
	{ "lazy", OPTIMIZATION, 2 }, { "parallel", OPTIMIZATION, 2 },
	{ "performance", OPTIMIZATION, 1 }, { "memory", OPTIMIZATION, 1 },
	{ "cach", OPTIMIZATION, 1 }, { "reduc", OPTIMIZATION, 1 },
	{ "architect", ARCHITECTURE, 2 }, { "design", ARCHITECTURE, 1 },
	{ "plan", ARCHITECTURE, 1 }, { "sketch", ARCHITECTURE, 1 },
	{ "decid", ARCHITECTURE, 1 },
};

/* Endings a stem may take: fix-es, creat-ion, simplif-ied, plan-ning. */
static const char *const endings[] = {
	"s", "es", "d", "ed", "ing", "er", "ers", "e", "ion", "ions",
	"ation", "ations", "ment", "ments", "ure", "ures", "ural", "y",
	"ies", "ied", "ication", "is", "ize", "ise", "ized", "ised", "ning",
	"ned", NULL
};

/* Does word equal stem (its first n bytes) plus an allowed ending? */
static bool
word_matches(const char *word, const char *stem, size_t n)
{
	size_t k;

	if (strncmp(word, stem, n) != 0)
		return false;
	if (word[n] == '\0')
		return true;
	for (k = 0; endings[k] != NULL; k++)
		if (strcmp(word + n, endings[k]) == 0)
			return true;
	return false;
}

/* Does the stem match word (after prev, for a stem of two words)? */
static bool
stem_matches(const char *stem, const char *prev, const char *word)
{
	const char *space = strchr(stem, ' ');

	if (space == NULL)
		return word_matches(word, stem, strlen(stem));
	return word_matches(prev, stem, (size_t)(space - stem)) &&
	       word_matches(word, space + 1, strlen(space + 1));
}

/* The next word of text from *i, lowercased into word ("" when longer
 * than WORD_MAX); false at the end. */
static bool
next_word(const char *text, size_t len, size_t *i, char *word)
{
	size_t k = 0;

	while (*i < len && !isalnum((unsigned char)text[*i]))
		(*i)++;
	if (*i == len)
		return false;
	for (; *i < len && isalnum((unsigned char)text[*i]); (*i)++)
		if (k <= WORD_MAX)
			word[k++] = (char)tolower((unsigned char)text[*i]);
	word[k <= WORD_MAX ? k : 0] = '\0';
	return true;
}

const char *
features_task_type(const char *text, size_t len)
{
	char word[2][WORD_MAX + 2] = { "", "" };
	int score[NTYPES] = { 0 };
	size_t first[NTYPES], i = 0, n, k;
	int best = -1, t;

	for (t = 0; t < NTYPES; t++)
		first[t] = (size_t)-1;
	for (n = 0; next_word(text, len, &i, word[n % 2]); n++) {
		for (k = 0; k < sizeof(stems) / sizeof(stems[0]); k++) {
			if (!stem_matches(stems[k].stem, word[(n + 1) % 2],
					  word[n % 2]))
				continue;
			t = (int)stems[k].type;
			score[t] += stems[k].weight;
			if (first[t] == (size_t)-1)
				first[t] = n;
			break;
		}
	}
	for (t = 0; t < NTYPES; t++) {
		if (score[t] <= 0)
			continue;
		if (best < 0 || score[t] > score[best] ||
		    (score[t] == score[best] && first[t] < first[best]))
			best = t;
	}
	return best < 0 ? NULL : type_names[best];
}

/* A word that names a file: holds a '/' between non-blanks, or ends in
 * ".ext" (1 to 5 letters or digits, the first a letter) after a name of
 * two or more bytes; URLs are not paths. Quotes and punctuation around
 * the word are not part of it. */
static bool
is_path(const char *tok, size_t n)
{
	size_t k, dot = n;

	while (n > 0 && strchr(".,;:!?)\"'`", tok[n - 1]) != NULL)
		n--;
	while (n > 0 && strchr("(\"'`", tok[0]) != NULL) {
		tok++;
		n--;
	}
	if (n < 3)
		return false;
	for (k = 0; k + 2 < n; k++)
		if (memcmp(tok + k, "://", 3) == 0)
			return false;
	if (memchr(tok + 1, '/', n - 2) != NULL)
		return true;
	for (k = n; k > 1; k--)
		if (tok[k - 1] == '.') {
			dot = k - 1;
			break;
		}
	if (dot == n || dot < 2 || n - dot - 1 < 1 || n - dot - 1 > 5 ||
	    !isalpha((unsigned char)tok[dot + 1]))
		return false;
	for (k = dot + 1; k < n; k++)
		if (!isalnum((unsigned char)tok[k]))
			return false;
	return true;
}

const char *
features_task_scope(const char *prompt, size_t len)
{
	size_t i = 0, start, words = 0, paths = 0;

	while (i < len) {
		while (i < len && isspace((unsigned char)prompt[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !isspace((unsigned char)prompt[i]))
			i++;
		words++;
		if (is_path(prompt + start, i - start))
			paths++;
	}
	if (words == 0)
		return NULL;
	if (words >= 400 || paths >= 8)
		return "large";
	if (words >= 80 || paths >= 3)
		return "medium";
	return "small";
}
