/*
 * pattern.c: the patterns of "pattern" and "patternProperties". JSON
 * Schema patterns are ECMA-262 regular expressions over code points;
 * they run on PCRE2 in UTF and UCP mode after a translation of where the
 * two dialects differ: \d, \w and \b are ASCII-only in ECMA-262, \s is
 * ECMA's own white space set, '.' stops only at the four line
 * terminators, $ matches at the very end only (DOLLAR_ENDONLY), \uXXXX
 * (surrogate pairs joined) and \u{X} name code points, [] and [^] are
 * classes (ALLOW_EMPTY_CLASS). Matching is by length, so a string token
 * without escapes is matched where it lies.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "schema/node.h"

struct pattern {
	pcre2_code *code;
	pcre2_match_data *match;
};

/* Code point ranges of the ECMA-262 classes, ascending. */
struct range {
	unsigned long lo, hi;
};
static const struct range digit_ranges[] = {{'0', '9'}, {0, 0}};
static const struct range word_ranges[] = {
	{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}, {0, 0}
};
/* WhiteSpace and LineTerminator (ECMA-262 sections 12.2, 12.3). */
static const struct range space_ranges[] = {
	{0x09, 0x0d}, {0x20, 0x20}, {0xa0, 0xa0}, {0x1680, 0x1680},
	{0x2000, 0x200a}, {0x2028, 0x2029}, {0x202f, 0x202f},
	{0x205f, 0x205f}, {0x3000, 0x3000}, {0xfeff, 0xfeff}, {0, 0}
};
/* What '.' does not match. */
static const struct range terminator_ranges[] = {
	{0x0a, 0x0a}, {0x0d, 0x0d}, {0x2028, 0x2029}, {0, 0}
};

static void
add_range(struct buf *out, unsigned long lo, unsigned long hi)
{
	buf_printf(out, "\\x{%lx}", lo);
	if (hi != lo)
		buf_printf(out, "-\\x{%lx}", hi);
}

/* The ranges (or, negated, their complement up to U+10FFFF) as class
 * items, without the brackets: usable inside a class too. */
static void
add_class_items(struct buf *out, const struct range *r, bool negated)
{
	unsigned long next = 0;

	for (; r->hi != 0; r++) {
		if (!negated)
			add_range(out, r->lo, r->hi);
		else if (r->lo > next)
			add_range(out, next, r->lo - 1);
		next = r->hi + 1;
	}
	if (negated)
		add_range(out, next, 0x10ffff);
}

static void
add_class(struct buf *out, const struct range *r, bool negated,
	  bool in_class)
{
	if (!in_class)
		buf_addc(out, '[');
	add_class_items(out, r, negated);
	if (!in_class)
		buf_addc(out, ']');
}

/* General_Category values by long name and alias (Unicode's
 * PropertyValueAliases.txt), which ECMA-262 accepts and PCRE2 does not;
 * PCRE2 takes the short names, scripts and binary properties as they
 * are. */
static const char *const category_names[][2] = {
	{"Other", "C"}, {"Control", "Cc"}, {"cntrl", "Cc"}, {"Format", "Cf"},
	{"Unassigned", "Cn"}, {"Private_Use", "Co"}, {"Surrogate", "Cs"},
	{"Letter", "L"}, {"Cased_Letter", "L&"}, {"LC", "L&"},
	{"Lowercase_Letter", "Ll"}, {"Modifier_Letter", "Lm"},
	{"Other_Letter", "Lo"}, {"Titlecase_Letter", "Lt"},
	{"Uppercase_Letter", "Lu"}, {"Mark", "M"}, {"Combining_Mark", "M"},
	{"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"},
	{"Nonspacing_Mark", "Mn"}, {"Number", "N"}, {"Decimal_Number", "Nd"},
	{"digit", "Nd"}, {"Letter_Number", "Nl"}, {"Other_Number", "No"},
	{"Punctuation", "P"}, {"punct", "P"}, {"Connector_Punctuation", "Pc"},
	{"Dash_Punctuation", "Pd"}, {"Close_Punctuation", "Pe"},
	{"Final_Punctuation", "Pf"}, {"Initial_Punctuation", "Pi"},
	{"Other_Punctuation", "Po"}, {"Open_Punctuation", "Ps"},
	{"Symbol", "S"}, {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"},
	{"Math_Symbol", "Sm"}, {"Other_Symbol", "So"}, {"Separator", "Z"},
	{"Line_Separator", "Zl"}, {"Paragraph_Separator", "Zp"},
	{"Space_Separator", "Zs"},
};

static bool
name_is(const char *p, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(p, name, len) == 0;
}

/* \p{...} or \P{...} ('p' or 'P' at p[*i]): \p{Name}, \p{gc=Name},
 * \p{General_Category=Name}, \p{Script=X}, \p{sc=X},
 * \p{Script_Extensions=X}, \p{scx=X}, in PCRE2's spelling. */
static bool
add_property(const char *p, size_t len, size_t *i, struct buf *out)
{
	size_t k = *i + 1, end, eq, j;
	const char *name, *prefix = "";
	size_t nlen;

	if (k >= len || p[k] != '{')
		return false;
	for (end = k + 1; end < len && p[end] != '}'; end++)
		;
	if (end >= len)
		return false;
	name = p + k + 1;
	nlen = end - k - 1;
	for (eq = 0; eq < nlen && name[eq] != '='; eq++)
		;
	if (eq < nlen) {
		if (name_is(name, eq, "Script") || name_is(name, eq, "sc"))
			prefix = "sc:";
		else if (name_is(name, eq, "Script_Extensions") ||
			 name_is(name, eq, "scx"))
			prefix = "scx:";
		else if (!name_is(name, eq, "General_Category") &&
			 !name_is(name, eq, "gc"))
			return false;
		name += eq + 1;
		nlen -= eq + 1;
	}
	for (j = 0; *prefix == '\0' &&
	     j < sizeof(category_names) / sizeof(category_names[0]); j++)
		if (name_is(name, nlen, category_names[j][0])) {
			name = category_names[j][1];
			nlen = strlen(name);
			break;
		}
	buf_printf(out, "\\%c{%s%.*s}", p[*i], prefix, (int)nlen, name);
	*i = end;
	return true;
}

/* n hex digits at p[*i] as a number, or -1 (nothing consumed). */
static long
hex_digits(const char *p, size_t len, size_t *i, int n)
{
	long v = 0;
	int k;

	if (*i + (size_t)n > len)
		return -1;
	for (k = 0; k < n; k++) {
		char c = p[*i + (size_t)k];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*i += (size_t)n;
	return v;
}

/* \u after the backslash at p[*i] ('u' at p[*i]): \uXXXX, a surrogate
 * pair \uXXXX\uXXXX, or \u{X...}; appended as \x{...}. False when it is
 * none of these (then it is left to PCRE2, which refuses it). */
static bool
add_unicode_escape(const char *p, size_t len, size_t *i, struct buf *out)
{
	size_t k = *i + 1, end;
	long cp, lo;

	if (k < len && p[k] == '{') {
		for (end = k + 1; end < len && p[end] != '}'; end++)
			;
		if (end >= len || end == k + 1)
			return false;
		buf_adds(out, "\\x{");
		buf_add(out, p + k + 1, end - k - 1);
		buf_addc(out, '}');
		*i = end;
		return true;
	}
	if ((cp = hex_digits(p, len, &k, 4)) < 0)
		return false;
	if (cp >= 0xd800 && cp <= 0xdbff && k + 1 < len && p[k] == '\\' &&
	    p[k + 1] == 'u') {
		size_t k2 = k + 2;

		if ((lo = hex_digits(p, len, &k2, 4)) >= 0xdc00 && lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			k = k2;
		}
	}
	buf_printf(out, "\\x{%lx}", (unsigned long)cp);
	*i = k - 1;
	return true;
}

/* The escape at p[*i] (the character after a backslash). */
static void
add_escape(const char *p, size_t len, size_t *i, bool in_class,
	   struct buf *out)
{
	char c = p[*i];

	switch (c) {
	case 'd': case 'D':
		add_class(out, digit_ranges, c == 'D', in_class);
		return;
	case 'w': case 'W':
		add_class(out, word_ranges, c == 'W', in_class);
		return;
	case 's': case 'S':
		add_class(out, space_ranges, c == 'S', in_class);
		return;
	case 'b': case 'B':
		if (in_class) {         /* [\b] is a backspace */
			buf_adds(out, "\\x{8}");
			return;
		}
		/* an ASCII word boundary */
		buf_adds(out, c == 'b' ?
			 "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|"
			 "(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))" :
			 "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|"
			 "(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))");
		return;
	case 'u':
		if (add_unicode_escape(p, len, i, out))
			return;
		break;
	case 'p': case 'P':
		if (add_property(p, len, i, out))
			return;
		break;
	case 'v':               /* PCRE2's \v is a class */
		buf_adds(out, "\\x{b}");
		return;
	default:
		/* a letter ECMA-262 gives no meaning stands for itself
		 * (PCRE2 has \a, \e, \h, \K, \Q, ... of its own) */
		if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    strchr("cfknprtxP", c) == NULL) {
			buf_addc(out, c);
			return;
		}
		break;
	}
	buf_addc(out, '\\');
	buf_addc(out, c);
}

/* ECMA-262 pattern p[0..len) to PCRE2 syntax, appended to out. */
static void
translate(const char *p, size_t len, struct buf *out)
{
	size_t i;
	bool in_class = false;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\' && i + 1 < len) {
			i++;
			add_escape(p, len, &i, in_class, out);
			continue;
		}
		if (p[i] == '.' && !in_class) {
			add_class(out, terminator_ranges, true, false);
			continue;
		}
		if (p[i] == '[' && !in_class) {
			in_class = true;
			buf_addc(out, '[');
			if (i + 1 < len && p[i + 1] == '^')
				buf_addc(out, p[++i]);
			/* a ']' right after '[' or '[^' closes the class in
			 * ECMA-262, not in PCRE2: written so it does */
			if (i + 1 < len && p[i + 1] == ']') {
				buf_addc(out, ']');
				i++;
				in_class = false;
			}
			continue;
		}
		if (p[i] == ']' && in_class)
			in_class = false;
		else if (p[i] == '[' && in_class)
			buf_addc(out, '\\');  /* not a POSIX [:class:] */
		buf_addc(out, p[i]);
	}
}

struct pattern *
pattern_compile(const char *pattern, size_t len, struct buf *err)
{
	struct pattern *p;
	struct buf pcre;
	pcre2_code *code;
	PCRE2_UCHAR msg[128];
	PCRE2_SIZE at;
	int rc;

	buf_init(&pcre);
	translate(pattern, len, &pcre);
	code = pcre2_compile((PCRE2_SPTR)(pcre.data ? pcre.data : ""), pcre.len,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY |
			     PCRE2_ALLOW_EMPTY_CLASS, &rc, &at, NULL);
	buf_release(&pcre);
	if (code == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		buf_adds(err, (const char *)msg);
		return NULL;
	}
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  /* when it can */
	p = oak_malloc(sizeof(*p));
	p->code = code;
	p->match = pcre2_match_data_create_from_pattern(code, NULL);
	if (p->match == NULL)
		oak_die(OAK_EXIT_IO, "out of memory");
	return p;
}

bool
pattern_match(const struct pattern *p, const char *s, size_t len)
{
	/* s is valid UTF-8: the JSON text it comes from was checked */
	return pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK,
			   p->match, NULL) >= 0;
}

void
pattern_release(struct pattern *p)
{
	if (p == NULL)
		return;
	pcre2_match_data_free(p->match);
	pcre2_code_free(p->code);
	free(p);
}
