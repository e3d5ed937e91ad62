/*
 * settings.c: Claude Code's settings.json with oak-log's hook entries
 * added or cut, edited as text: the file is parsed into jsmn tokens, the
 * spans of our entries are cut out and new ones spliced in where the
 * tokens say, laid out as the file is (indented, or on one line), so
 * every other byte stays as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* The events oak-log hook handles; tool events need the matcher. */
static const struct {
	const char *name;
	bool tool;
} events[] = {
	{ "PreToolUse", true },
	{ "PostToolUse", true },
	{ "PostToolUseFailure", true },
	{ "SubagentStop", false },
};
#define NEVENTS (sizeof(events) / sizeof(events[0]))
#define MATCHER "Agent|Task"

/* One splice: replace [at, at + len) of the text by text. */
struct edit {
	size_t at, len;
	struct buf text;
};
struct edits {
	struct edit *e;
	size_t n, cap;
	const char *unit;              /* indent unit; NULL: one line */
};

/* ---- text edits ------------------------------------------------------ */

static struct buf *
edit_add(struct edits *ed, size_t at, size_t len)
{
	struct edit *e;

	if (ed->n == ed->cap) {
		ed->cap = ed->cap ? ed->cap * 2 : 16;
		ed->e = oak_realloc(ed->e, ed->cap * sizeof(*ed->e));
	}
	e = &ed->e[ed->n++];
	e->at = at;
	e->len = len;
	buf_init(&e->text);
	return &e->text;
}

static int
edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* Applies the edits (they do not overlap) to text into out; frees them. */
static void
edits_apply(struct edits *ed, const char *text, size_t len, struct buf *out)
{
	size_t k, pos = 0;

	if (ed->n > 1)
		qsort(ed->e, ed->n, sizeof(*ed->e), edit_cmp);
	for (k = 0; k < ed->n; k++) {
		buf_add(out, text + pos, ed->e[k].at - pos);
		if (ed->e[k].text.len > 0)
			buf_add(out, ed->e[k].text.data, ed->e[k].text.len);
		pos = ed->e[k].at + ed->e[k].len;
		buf_release(&ed->e[k].text);
	}
	buf_add(out, text + pos, len - pos);
	ed->n = 0;
}

/* The indent unit of a text laid out on several lines: the leading
 * blanks of its first indented line ("  " when none is); NULL for a text
 * on one line (a newline after it aside). */
static const char *
indent_unit(const char *text, size_t len)
{
	static char unit[16];
	const char *nl;
	size_t n;

	while (len > 0 && strchr(" \t\r\n", text[len - 1]))
		len--;
	if (memchr(text, '\n', len) == NULL)
		return NULL;
	for (nl = memchr(text, '\n', len); nl != NULL;
	     nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - text))) {
		for (n = 0; nl + 1 + n < text + len && n < sizeof(unit) - 1 &&
		     (nl[1 + n] == ' ' || nl[1 + n] == '\t'); n++)
			unit[n] = nl[1 + n];
		if (n > 0) {
			unit[n] = '\0';
			return unit;
		}
	}
	return "  ";
}

static void
newline_indent(struct buf *b, const char *unit, int depth)
{
	buf_addc(b, '\n');
	while (depth-- > 0)
		buf_adds(b, unit);
}

/*
 * Writes the compact JSON text s (ours: no blanks outside strings) laid
 * out as the file is: on one line with ", " and ": ", or one member per
 * line indented by unit from depth on.
 */
static void
layout(struct buf *b, const char *s, const char *unit, int depth)
{
	bool in_string = false;

	for (; *s != '\0'; s++) {
		if (in_string) {
			buf_addc(b, *s);
			if (*s == '\\')
				buf_addc(b, *++s);
			else if (*s == '"')
				in_string = false;
			continue;
		}
		switch (*s) {
		case '"': in_string = true; buf_addc(b, *s); break;
		case ':': buf_adds(b, ": "); break;
		case ',':
			buf_addc(b, ',');
			if (unit != NULL)
				newline_indent(b, unit, depth);
			else
				buf_addc(b, ' ');
			break;
		case '{': case '[':
			buf_addc(b, *s);
			if (unit != NULL)
				newline_indent(b, unit, ++depth);
			break;
		case '}': case ']':
			if (unit != NULL)
				newline_indent(b, unit, --depth);
			buf_addc(b, *s);
			break;
		default: buf_addc(b, *s);
		}
	}
}

/* Where child k of container c starts and ends (an object's child is the
 * member, key to value), and the token after it. */
static int
child_span(const struct json_doc *d, int i, bool member, size_t *from,
	   size_t *to)
{
	int v = member ? i + 1 : i;
	size_t len;

	*from = (size_t)(json_span(d, i, &len) - d->text);
	*to = (size_t)(json_span(d, v, &len) - d->text) + len;
	return json_skip(d, v);
}

/*
 * Cuts the children of container c marked in gone[] out of the text:
 * a run followed by a kept child goes with the blanks and comma after
 * it; a run at the end, with the comma before it; all of them leave the
 * container empty.
 */
static void
remove_children(struct edits *ed, const struct json_doc *d, int c,
		const bool *gone)
{
	bool member = d->tok[c].type == JSMN_OBJECT;
	int n = d->tok[c].size, k, r, i = c + 1;
	size_t *from = oak_calloc((size_t)n + 1, sizeof(*from));
	size_t *to = oak_calloc((size_t)n + 1, sizeof(*to));

	for (k = 0; k < n; k++)
		i = child_span(d, i, member, &from[k], &to[k]);
	for (k = 0; k < n; k = r) {
		for (r = k; r < n && gone[r]; r++)
			;
		if (r == k) {
			r++;
			continue;
		}
		if (r < n)
			edit_add(ed, from[k], from[r] - from[k]);
		else if (k > 0)
			edit_add(ed, to[k - 1], to[n - 1] - to[k - 1]);
		else
			edit_add(ed, (size_t)d->tok[c].start + 1,
				 (size_t)d->tok[c].end - 2 - (size_t)d->tok[c].start);
	}
	free(from);
	free(to);
}

/*
 * Adds the compact JSON texts items[] (values, or "key":value members)
 * at the end of container c at nesting depth: after its last child, or
 * inside it when it is empty.
 */
static void
append_children(struct edits *ed, const struct json_doc *d, int c, int depth,
		const char *const *items, size_t nitems)
{
	bool member = d->tok[c].type == JSMN_OBJECT;
	int k, i = c + 1;
	size_t from = 0, to = 0, j;
	struct buf *b;

	for (k = 0; k < d->tok[c].size; k++)
		i = child_span(d, i, member, &from, &to);
	if (d->tok[c].size > 0)
		b = edit_add(ed, to, 0);
	else
		b = edit_add(ed, (size_t)d->tok[c].start + 1,
			     (size_t)d->tok[c].end - 2 - (size_t)d->tok[c].start);
	for (j = 0; j < nitems; j++) {
		if (d->tok[c].size > 0 || j > 0)
			buf_addc(b, ',');
		if (ed->unit != NULL)
			newline_indent(b, ed->unit, depth + 1);
		else if (d->tok[c].size > 0 || j > 0)
			buf_addc(b, ' ');
		layout(b, items[j], ed->unit, depth + 1);
	}
	if (d->tok[c].size == 0 && ed->unit != NULL)
		newline_indent(b, ed->unit, depth);
}

/* ---- our entries ------------------------------------------------------- */

/* Is hook object h one of ours: a command "oak-log hook ..." (oak-log
 * named by any path)? */
static bool
hook_is_ours(const struct json_doc *d, int h)
{
	int c = json_get(d, h, "command");
	const char *s, *word;
	struct buf cmd;
	bool ours;

	if (c < 0 || !json_is_string(d, c))
		return false;
	buf_init(&cmd);
	json_unescape(d, c, &cmd);
	buf_addc(&cmd, '\0');
	s = cmd.data + strspn(cmd.data, " \t");
	word = s;
	s += strcspn(s, " \t");
	while (s > word && s[-1] != '/')
		s--;
	ours = strncmp(s, "oak-log", 7) == 0 && (s[7] == ' ' || s[7] == '\t');
	if (ours) {
		s += 7 + strspn(s + 7, " \t");
		ours = strncmp(s, "hook", 4) == 0 &&
		       (s[4] == '\0' || s[4] == ' ' || s[4] == '\t');
	}
	buf_release(&cmd);
	return ours;
}

enum mine { MINE_NONE, MINE_SOME, MINE_ALL };

/* How much of group g (an object with a "hooks" array) is ours. *gone
 * is new: which of the hooks are ours (NULL unless MINE_SOME). */
static enum mine
group_mine(const struct json_doc *d, int g, int *hooks, bool **gone)
{
	int n = 0, k, i, size;

	*gone = NULL;
	*hooks = json_get(d, g, "hooks");
	if (*hooks < 0 || !json_is_array(d, *hooks) || d->tok[*hooks].size == 0)
		return MINE_NONE;
	size = d->tok[*hooks].size;
	*gone = oak_calloc((size_t)size, sizeof(**gone));
	for (k = 0, i = *hooks + 1; k < size; k++, i = json_skip(d, i))
		n += (*gone)[k] = json_is_object(d, i) && hook_is_ours(d, i);
	if (n == 0 || n == size) {
		free(*gone);
		*gone = NULL;
	}
	return n == 0 ? MINE_NONE : n == size ? MINE_ALL : MINE_SOME;
}

/*
 * Cuts our entries out of event array a: the groups that are all ours,
 * and our hooks from the others; counts the groups that held ours.
 * Returns MINE_ALL when every group is ours: then, with prune, nothing
 * is cut here, the caller cuts the whole event.
 */
static enum mine
event_remove(struct edits *ed, const struct json_doc *d, int a, bool prune,
	     int *count)
{
	int n = d->tok[a].size, k, i, hooks, gone_n = 0;
	bool *gone = oak_calloc((size_t)n + 1, sizeof(*gone)), *inner;
	enum mine m;

	for (k = 0, i = a + 1; k < n; k++, i = json_skip(d, i)) {
		m = json_is_object(d, i) ? group_mine(d, i, &hooks, &inner) :
		    MINE_NONE;
		if (m == MINE_ALL)
			gone_n += gone[k] = true;
		if (m != MINE_NONE)
			(*count)++;
		if (m == MINE_SOME)
			remove_children(ed, d, hooks, inner);
		if (m != MINE_NONE)
			free(inner);
	}
	m = gone_n == 0 ? MINE_NONE : gone_n < n ? MINE_SOME : MINE_ALL;
	if (m == MINE_SOME || (m == MINE_ALL && !prune))
		remove_children(ed, d, a, gone);
	free(gone);
	return m;
}

/* Index among the members of object o of the member whose value is v. */
static int
member_index(const struct json_doc *d, int o, int v)
{
	int k, i;

	for (k = 0, i = o + 1; k < d->tok[o].size; k++, i = json_skip(d, i + 1))
		if (i + 1 == v)
			return k;
	return -1;
}

/*
 * Edits that cut every oak-log hook entry out of the settings. With
 * prune, an event array or "hooks" object left empty by the cut goes too
 * (uninstall); without, they stay, so entries put back land where they
 * were. Returns how many groups held ours.
 */
static int
remove_ours(struct edits *ed, const struct json_doc *d, bool prune)
{
	int hooks = json_get(d, 0, "hooks"), n, k, i, count = 0, all = 0;
	bool *gone;

	if (hooks < 0 || !json_is_object(d, hooks))
		return 0;
	n = d->tok[hooks].size;
	gone = oak_calloc((size_t)n + (size_t)d->tok[0].size + 1,
			  sizeof(*gone));
	for (k = 0, i = hooks + 1; k < n; k++, i = json_skip(d, i + 1))
		if (json_is_array(d, i + 1) &&
		    event_remove(ed, d, i + 1, prune, &count) == MINE_ALL &&
		    prune)
			all += gone[k] = true;
	if (all > 0 && all == n) {
		/* nothing else in "hooks": the edits inside it give way to
		 * cutting "hooks" itself */
		for (k = 0; k < (int)ed->n; k++)
			buf_release(&ed->e[k].text);
		ed->n = 0;
		memset(gone, 0, (size_t)d->tok[0].size * sizeof(*gone));
		gone[member_index(d, 0, hooks)] = true;
		remove_children(ed, d, 0, gone);
	} else if (all > 0) {
		remove_children(ed, d, hooks, gone);
	}
	free(gone);
	return count;
}

/* Our group for event k, compact: {"matcher":...,"hooks":[{...}]}. */
static void
group_text(struct buf *b, size_t k, const char *command)
{
	buf_addc(b, '{');
	if (events[k].tool)
		buf_adds(b, "\"matcher\":\"" MATCHER "\",");
	buf_adds(b, "\"hooks\":[{\"type\":\"command\",\"command\":");
	jw_cstring(b, command);
	buf_adds(b, "}]}");
}

/* Why the settings cannot take our entries, or NULL. */
static const char *
shape_problem(const struct json_doc *d)
{
	int hooks = json_get(d, 0, "hooks"), a;
	size_t k;

	if (!json_is_object(d, 0))
		return "not a JSON object";
	if (hooks < 0)
		return NULL;
	if (!json_is_object(d, hooks))
		return "\"hooks\" is not an object";
	for (k = 0; k < NEVENTS; k++)
		if ((a = json_get(d, hooks, events[k].name)) >= 0 &&
		    !json_is_array(d, a))
			return "an event in \"hooks\" is not an array";
	return NULL;
}

/*
 * Edits that add our group to each event: at the end of its array, or
 * as a new event at the end of "hooks", or as a new "hooks" at the end.
 */
static void
add_ours(struct edits *ed, const struct json_doc *d, const char *command)
{
	int hooks = json_get(d, 0, "hooks"), a;
	struct buf item[NEVENTS], all;
	const char *member[NEVENTS];
	size_t k, nmember = 0;

	buf_init(&all);
	for (k = 0; k < NEVENTS; k++) {
		buf_init(&item[k]);
		a = hooks < 0 ? -1 : json_get(d, hooks, events[k].name);
		if (a < 0)
			buf_printf(&item[k], "\"%s\":[", events[k].name);
		group_text(&item[k], k, command);
		if (a >= 0) {
			append_children(ed, d, a, 2, (const char *[]){
						item[k].data }, 1);
			continue;
		}
		buf_addc(&item[k], ']');
		member[nmember++] = item[k].data;
	}
	if (hooks >= 0 && nmember > 0) {
		append_children(ed, d, hooks, 1, member, nmember);
	} else if (nmember > 0) {
		buf_adds(&all, "\"hooks\":{");
		for (k = 0; k < nmember; k++)
			buf_printf(&all, "%s%s", k ? "," : "", member[k]);
		buf_addc(&all, '}');
		append_children(ed, d, 0, 0, (const char *[]){ all.data }, 1);
	}
	for (k = 0; k < NEVENTS; k++)
		buf_release(&item[k]);
	buf_release(&all);
}

/* Is token i the string s? */
static bool
string_is(const struct json_doc *d, int i, const char *s)
{
	struct buf v;
	bool same;

	if (i < 0 || !json_is_string(d, i))
		return false;
	buf_init(&v);
	json_unescape(d, i, &v);
	same = v.len == strlen(s) && (v.len == 0 || memcmp(v.data, s, v.len) == 0);
	buf_release(&v);
	return same;
}

/* Are our entries there, each exactly once, with this command, and no
 * other oak-log hook? */
static bool
installed(const struct json_doc *d, const char *command)
{
	int hooks = json_get(d, 0, "hooks"), a, k, i, h, c, found = 0;
	struct edits none = { 0 };
	size_t e;
	bool *gone;

	if (hooks < 0 || !json_is_object(d, hooks))
		return false;
	for (e = 0; e < NEVENTS; e++) {
		if ((a = json_get(d, hooks, events[e].name)) < 0 ||
		    !json_is_array(d, a))
			return false;
		for (k = 0, i = a + 1; k < d->tok[a].size; k++, i = json_skip(d, i)) {
			if (!json_is_object(d, i))
				continue;
			if (group_mine(d, i, &h, &gone) != MINE_ALL) {
				free(gone);
				continue;
			}
			c = json_get(d, i, "matcher");
			if (d->tok[h].size == 1 &&
			    string_is(d, json_get(d, h + 1, "command"), command) &&
			    (events[e].tool ? string_is(d, c, MATCHER) :
					      c < 0))
				found++;
		}
	}
	k = remove_ours(&none, d, false);
	for (e = 0; e < none.n; e++)
		buf_release(&none.e[e].text);
	free(none.e);
	return found == (int)NEVENTS && k == (int)NEVENTS;
}

/* ---- the settings file ------------------------------------------------- */

/* "LINE:COLUMN: reason" of a text that is not JSON, into why. */
static void
json_problem(const char *text, size_t len, const char *parse_why,
	     struct buf *why)
{
	const char *reason;
	size_t at, k, line = 1, col = 1;

	if (json_strict_check(text, len, &reason, &at) == 0) {
		buf_printf(why, "1: %s", parse_why);
		return;
	}
	for (k = 0; k < at && k < len; k++, col++)
		if (text[k] == '\n') {
			line++;
			col = 0;
		}
	buf_printf(why, "%zu: invalid JSON: %s at column %zu", line, reason,
		   col);
}

static bool
blank(const char *text, size_t len)
{
	return text == NULL || len == strspn(text, " \t\r\n");
}

static void
edits_release(struct edits *ed)
{
	size_t k;

	for (k = 0; k < ed->n; k++)
		buf_release(&ed->e[k].text);
	free(ed->e);
}

int
settings_edit(bool install, const char *command, const char *old, size_t len,
	      struct buf *out, struct buf *why)
{
	struct json_doc d, d2;
	struct edits ed = { 0 };
	bool fresh = blank(old, len);
	struct buf mid;
	const char *reason;
	int found;

	if (fresh && !install) {
		if (old != NULL)
			buf_add(out, old, len);
		return 0;
	}
	if (fresh) {
		old = "{}";
		len = 2;
	}
	ed.unit = fresh ? "  " : indent_unit(old, len);
	json_doc_init(&d);
	if (json_parse(&d, old, len, &reason) < 0)
		json_problem(old, len, reason, why);
	else if ((reason = shape_problem(&d)) != NULL)
		buf_printf(why, "1: %s", reason);
	if (why->len > 0) {
		json_doc_release(&d);
		return -1;
	}
	buf_init(&mid);
	found = remove_ours(&ed, &d, !install);
	if (!install) {
		edits_apply(&ed, old, len, out);
	} else if (installed(&d, command)) {
		buf_add(out, old, len);
	} else {
		edits_apply(&ed, old, len, &mid);
		json_doc_init(&d2);
		if (json_parse(&d2, mid.data, mid.len, &reason) < 0)
			oak_die(OAK_EXIT_IO, "internal error: %s", reason);
		add_ours(&ed, &d2, command);
		edits_apply(&ed, mid.data, mid.len, out);
		json_doc_release(&d2);
		if (fresh)
			buf_addc(out, '\n');
	}
	edits_release(&ed);
	buf_release(&mid);
	json_doc_release(&d);
	return found;
}
