/*
 * features.c: the state_features oak-log writes when they are inferred
 * (start --features auto, and every hook event that starts a call): the
 * caller's object, if any, completed by common/features, then parsed
 * again so that record_start writes it as the reference would.
 */
#include <string.h>

#include "log.h"

void
log_features(struct log_features *f, const struct json_doc *given,
	     const struct features_call *call)
{
	const char *why;

	buf_init(&f->text);
	json_doc_init(&f->doc);
	features_infer(&f->text, given, 0, call);
	if (json_parse(&f->doc, f->text.data, f->text.len, &why) < 0) {
		/* cannot happen: features_infer writes valid JSON */
		oak_warn("state features: %s (left empty)", why);
		buf_reset(&f->text);
		buf_adds(&f->text, "{}");
		json_parse(&f->doc, f->text.data, f->text.len, &why);
	}
}

void
log_features_release(struct log_features *f)
{
	json_doc_release(&f->doc);
	buf_release(&f->text);
}
