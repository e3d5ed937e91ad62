/*
 * frameworks.c: frameworks named by manifest files, by one table of
 * (manifest, dependency, framework). package.json is parsed: a row
 * matches a key of its dependencies, devDependencies or
 * peerDependencies. Other manifests are read as text: a row matches its
 * dependency as a whole word (not inside a longer name of letters,
 * digits, '-', '_' or '.'), case-insensitively; a pom.xml row matches
 * an artifactId that starts with it. oak-telemetry(5) prints the table.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "features/scan.h"

#define MANIFEST_MAX (256 * 1024)  /* bytes of a manifest read */

static const struct framework {
	const char *manifest;  /* basename; "requirements" is a prefix */
	const char *dependency;
	const char *name;
} frameworks[] = {
	{ "package.json", "react", "React" },
	{ "package.json", "next", "Next.js" },
	{ "package.json", "vue", "Vue" },
	{ "package.json", "nuxt", "Nuxt" },
	{ "package.json", "@angular/core", "Angular" },
	{ "package.json", "svelte", "Svelte" },
	{ "package.json", "express", "Express" },
	{ "package.json", "fastify", "Fastify" },
	{ "package.json", "@nestjs/core", "NestJS" },
	{ "package.json", "electron", "Electron" },
	{ "package.json", "react-native", "React Native" },
	{ "package.json", "tailwindcss", "Tailwind CSS" },
	{ "package.json", "jest", "Jest" },
	{ "package.json", "vitest", "Vitest" },
	{ "package.json", "mocha", "Mocha" },
	{ "python", "django", "Django" },
	{ "python", "flask", "Flask" },
	{ "python", "fastapi", "FastAPI" },
	{ "python", "sqlalchemy", "SQLAlchemy" },
	{ "python", "pytest", "pytest" },
	{ "python", "numpy", "NumPy" },
	{ "python", "pandas", "pandas" },
	{ "python", "torch", "PyTorch" },
	{ "python", "tensorflow", "TensorFlow" },
	{ "go.mod", "github.com/gin-gonic/gin", "Gin" },
	{ "go.mod", "github.com/labstack/echo", "Echo" },
	{ "go.mod", "github.com/gofiber/fiber", "Fiber" },
	{ "go.mod", "github.com/gorilla/mux", "Gorilla" },
	{ "Cargo.toml", "tokio", "Tokio" },
	{ "Cargo.toml", "actix-web", "Actix Web" },
	{ "Cargo.toml", "axum", "Axum" },
	{ "Cargo.toml", "rocket", "Rocket" },
	{ "Cargo.toml", "serde", "Serde" },
	{ "pom.xml", "spring-boot", "Spring Boot" },
	{ "pom.xml", "quarkus", "Quarkus" },
	{ "pom.xml", "junit", "JUnit" },
	{ "Gemfile", "rails", "Rails" },
	{ "Gemfile", "sinatra", "Sinatra" },
	{ "Gemfile", "rspec", "RSpec" },
};
#define NFRAMEWORKS (sizeof(frameworks) / sizeof(frameworks[0]))

/* The table's manifest kind of a basename, or NULL. */
static const char *
manifest_kind(const char *name)
{
	if (strcmp(name, "pyproject.toml") == 0 ||
	    (strncmp(name, "requirements", 12) == 0 &&
	     strlen(name) >= 16 &&
	     strcmp(name + strlen(name) - 4, ".txt") == 0))
		return "python";
	if (strcmp(name, "package.json") == 0 || strcmp(name, "go.mod") == 0 ||
	    strcmp(name, "Cargo.toml") == 0 || strcmp(name, "pom.xml") == 0 ||
	    strcmp(name, "Gemfile") == 0)
		return name;
	return NULL;
}

bool
manifest_name(const char *name)
{
	return manifest_kind(name) != NULL;
}

static bool
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* Does text hold word, bounded on the left, and on the right unless
 * prefix? */
static bool
has_word(const char *text, const char *word, bool prefix)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; *p != '\0'; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		if ((p == text || !name_char(p[-1])) &&
		    (prefix || !name_char(p[n])))
			return true;
	}
	return false;
}

/* Is dep a key of one of package.json's dependency objects? */
static bool
npm_has(const struct json_doc *d, const char *dep)
{
	static const char *const groups[] = {
		"dependencies", "devDependencies", "peerDependencies", NULL
	};
	int k, g;

	for (k = 0; groups[k] != NULL; k++) {
		g = json_get(d, 0, groups[k]);
		if (json_is_object(d, g) && json_get(d, g, dep) >= 0)
			return true;
	}
	return false;
}

/* Marks in found[] the rows that the manifest text (of kind) names. */
static void
match_manifest(const char *kind, const struct buf *text, bool *found)
{
	struct json_doc doc;
	const char *why, *needle;
	char pom[64];
	bool npm = strcmp(kind, "package.json") == 0, ok = false;
	size_t k;

	json_doc_init(&doc);
	if (npm)
		ok = json_parse(&doc, text->data, text->len, &why) == 0 &&
		     json_is_object(&doc, 0);
	for (k = 0; k < NFRAMEWORKS; k++) {
		if (found[k] || strcmp(frameworks[k].manifest, kind) != 0)
			continue;
		needle = frameworks[k].dependency;
		if (npm)
			found[k] = ok && npm_has(&doc, needle);
		else if (strcmp(kind, "pom.xml") == 0) {
			snprintf(pom, sizeof(pom), "<artifactId>%s", needle);
			found[k] = has_word(text->data, pom, true);
		} else
			found[k] = has_word(text->data, needle, false);
	}
	json_doc_release(&doc);
}

void
frameworks_write(struct buf *out, const char *top, char **path, int npath)
{
	bool found[NFRAMEWORKS] = { false };
	struct buf file, text;
	const char *base, *kind;
	size_t k;
	int m;

	buf_init(&file);
	buf_init(&text);
	for (m = 0; m < npath; m++) {
		base = strrchr(path[m], '/');
		kind = manifest_kind(base != NULL ? base + 1 : path[m]);
		buf_reset(&file);
		buf_printf(&file, "%s/%s", top, path[m]);
		if (kind != NULL &&
		    read_file_max(file.data, &text, MANIFEST_MAX) == 0)
			match_manifest(kind, &text, found);
	}
	for (k = 0; k < NFRAMEWORKS; k++)
		if (found[k]) {
			jw_sep(out);
			jw_cstring(out, frameworks[k].name);
		}
	buf_release(&file);
	buf_release(&text);
}
