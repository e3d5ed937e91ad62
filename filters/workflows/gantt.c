/*
 * gantt.c: the HTML fragment (to be placed in oak-render-report's page,
 * whose style it uses).
 */
#include "grid.h"
#include "workflows.h"

void
gantt_chart(struct buf *b, const struct store *s, const struct analysis *a)
{
	(void)b;
	(void)s;
	(void)a;
}
