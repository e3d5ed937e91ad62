/*
 * test_features.c: the task-type rule against descriptions labelled by
 * hand (tests/data/task-types/labelled.tsv, "-": no type). The rule was
 * tuned on the first TUNED rows only; the rest are held out. Prints the
 * accuracy of each part (right: the label, or no type for "-"), and
 * the precision of the types it gives; fails below the floors stated
 * here. Then the rule's edges and the scope thresholds.
 */
#include <stdlib.h>

#include "features/features.h"
#include "unit.h"

#define TUNED 68

struct tally {
	int rows, right, abstained, answered_right;
};

static void
score_row(struct tally *t, const char *label, const char *text)
{
	const char *got = features_task_type(text, strlen(text));

	t->rows++;
	if (got == NULL)
		t->abstained++;
	if (got != NULL && strcmp(label, got) == 0)
		t->answered_right++;
	if ((got == NULL && strcmp(label, "-") == 0) ||
	    (got != NULL && strcmp(label, got) == 0))
		t->right++;
	else
		printf("#miss: %s for [%s], labelled %s\n",
		       got ? got : "(none)", text, label);
}

static void
print_tally(const char *what, const struct tally *t)
{
	int answered = t->rows - t->abstained;

	printf("# task-type inference, %s: %d/%d right (%.1f%%); "
	       "%d typed, %d of them right (%.1f%%)\n", what, t->right,
	       t->rows, t->rows ? 100.0 * t->right / t->rows : 0.0, answered,
	       t->answered_right,
	       answered ? 100.0 * t->answered_right / answered : 0.0);
}

static void
labelled(void)
{
	char *dir = unit_data_dir("task-types"), path[PATH_MAX + 80];
	struct tally tuned = { 0 }, held = { 0 }, all;
	char *text, *line, *tab, *save = NULL;
	size_t len;

	CHECK(dir != NULL);
	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/labelled.tsv", dir);
	text = unit_slurp(path, &len);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || (tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		score_row(tuned.rows < TUNED ? &tuned : &held, line, tab + 1);
	}
	all.rows = tuned.rows + held.rows;
	all.right = tuned.right + held.right;
	all.abstained = tuned.abstained + held.abstained;
	all.answered_right = tuned.answered_right + held.answered_right;
	print_tally("tuning rows", &tuned);
	print_tally("held-out rows", &held);
	print_tally("all rows", &all);
	CHECK(all.rows >= 100);
	CHECK(tuned.right * 100 >= tuned.rows * 75);
	CHECK(held.right * 100 >= held.rows * 40);
	CHECK((held.rows - held.abstained) * 75 <= held.answered_right * 100);
	free(text);
}

#define TYPE(text) features_task_type(text, strlen(text))
#define SCOPE(text) features_task_scope(text, strlen(text))

static void
rule_edges(void)
{
	CHECK(TYPE("") == NULL);
	CHECK(TYPE("Run the migration") == NULL);
	CHECK(features_task_type("fix it", 0) == NULL);
	CHECK_STR(TYPE("FIX THE CRASH"), "bug_fix");
	/* endings: fixes, fixing are fix; fixture and address are not */
	CHECK_STR(TYPE("fixing"), "bug_fix");
	CHECK(TYPE("fixture") == NULL);
	CHECK(TYPE("address the review") != NULL);
	CHECK_STR(TYPE("address the review"), "analysis");
	/* two words in a row; apart they are not the stem */
	CHECK_STR(TYPE("Clean up the parser"), "refactoring");
	CHECK(TYPE("clean the parser up") == NULL);
	/* weights: test (2) beats add (1); a tie goes to the first named */
	CHECK_STR(TYPE("Add tests for the lexer"), "testing");
	CHECK_STR(TYPE("Review and plan"), "analysis");
	CHECK_STR(TYPE("Plan and review"), "architecture");
	/* a word longer than 24 bytes matches nothing; bytes >= 0x80 cut words */
	CHECK(TYPE("fixfixfixfixfixfixfixfixfix") == NULL);
	CHECK_STR(TYPE("R\xc3\xa9parer: fix \xff"), "bug_fix");
}

static void
scope_thresholds(void)
{
	struct buf b;
	int k;

	CHECK(SCOPE("") == NULL);
	CHECK(SCOPE(" \n\t") == NULL);
	CHECK_STR(SCOPE("Fix the bug in src/a.c"), "small");
	CHECK_STR(SCOPE("Touch src/a.c, lib/b.go and (README.md)."), "medium");
	/* URLs, versions, e.g. are not paths */
	CHECK_STR(SCOPE("See https://x.org/a/b, v2.4, e.g. and 3.1."), "small");
	CHECK_STR(SCOPE("a/b c/d e/f g/h i/j k/l m/n o/p"), "large");
	buf_init(&b);
	for (k = 0; k < 79; k++)
		buf_adds(&b, "word ");
	CHECK_STR(features_task_scope(b.data, b.len), "small");
	buf_adds(&b, "word ");
	CHECK_STR(features_task_scope(b.data, b.len), "medium");
	for (k = 80; k < 399; k++)
		buf_adds(&b, "word ");
	CHECK_STR(features_task_scope(b.data, b.len), "medium");
	buf_adds(&b, "word");
	CHECK_STR(features_task_scope(b.data, b.len), "large");
	buf_release(&b);
}

int
main(void)
{
	labelled();
	rule_edges();
	scope_thresholds();
	return unit_done();
}
