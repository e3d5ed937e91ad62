/*
 * Conformance of common/'s JSON parser with JSONTestSuite
 * (tests/data/json-parsing): each file's bytes are given whole to
 * json_parse(). Every y_ file is accepted, except the two with duplicate
 * keys, which I-JSON (RFC 7493, DESIGN.md) rejects on purpose (they still
 * pass the RFC 8259 check alone); every n_ file is rejected; each i_ file
 * gets the outcome documented in tests/data/json-parsing/OAK.md.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json/json.h"
#include "unit.h"

/* i_ files json_parse accepts; every other i_ file is rejected. */
static const char *const i_accepted[] = {
	"i_number_double_huge_neg_exp.json",
	"i_number_huge_exp.json",
	"i_number_neg_int_huge_exp.json",
	"i_number_pos_double_huge_exp.json",
	"i_number_real_neg_overflow.json",
	"i_number_real_pos_overflow.json",
	"i_number_real_underflow.json",
	"i_number_too_big_neg_int.json",
	"i_number_too_big_pos_int.json",
	"i_number_very_big_negative_int.json",
	"i_structure_500_nested_arrays.json",
	NULL
};

/* y_ files rejected by I-JSON's unique keys. */
static const char *const y_duplicate_keys[] = {
	"y_object_duplicated_key.json",
	"y_object_duplicated_key_and_value.json",
	NULL
};

static bool
listed(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* The directory of the conformance files: found upwards from the test
 * binary (build/unit/ or build/san/unit/ under the top of the tree). */
static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	const char *dir = unit_data_dir("json-parsing");
	char *names[512];
	int nnames = 0, i, y_ok = 0, n_ok = 0, y_total = 0, n_total = 0;
	DIR *d;
	struct dirent *e;
	struct json_doc doc;

	CHECK(dir != NULL);
	if (dir == NULL || (d = opendir(dir)) == NULL)
		return unit_done();
	while ((e = readdir(d)) != NULL && nnames < 512)
		if (strlen(e->d_name) > 5 && e->d_name[1] == '_' &&
		    strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0)
			names[nnames++] = oak_strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)nnames, sizeof(names[0]), by_name);
	json_doc_init(&doc);
	for (i = 0; i < nnames; i++) {
		char path[PATH_MAX + 256];
		const char *why = NULL, *swhy;
		size_t len, at;
		char *text;
		int rc, src;
		bool want;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		text = unit_slurp(path, &len);
		CHECK(text != NULL);
		if (text == NULL)
			continue;
		rc = json_parse(&doc, text, len, &why);
		switch (names[i][0]) {
		case 'y':
			y_total++;
			src = json_strict_check(text, len, &swhy, &at);
			want = !listed(y_duplicate_keys, names[i]);
			unit_report(src == 0, names[i], 0, "RFC 8259 check accepts");
			unit_report((rc == 0) == want, names[i], 0,
				    want ? "json_parse accepts" :
					   "json_parse rejects (duplicate key)");
			if (src == 0)
				y_ok++;
			break;
		case 'n':
			n_total++;
			unit_report(rc != 0, names[i], 0, "json_parse rejects");
			if (rc != 0)
				n_ok++;
			break;
		default:
			want = listed(i_accepted, names[i]);
			unit_report((rc == 0) == want, names[i], 0,
				    want ? "json_parse accepts" :
					   "json_parse rejects");
			break;
		}
		if (rc != 0 && why == NULL)
			unit_report(0, names[i], 0, "a reason is given");
		free(text);
	}
	printf("# json-parsing: %d/%d y_ accepted (RFC 8259 check), "
	       "%d/%d n_ rejected\n", y_ok, y_total, n_ok, n_total);
	CHECK(y_total == 95 && n_total == 188);
	json_doc_release(&doc);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	return unit_done();
}
