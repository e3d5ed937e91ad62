/*
 * category.c: the schema's agent_type for a subagent. Claude Code names
 * an agent but not its category, so the category is guessed from words
 * in the name (first match wins), else "utility". oak-log's hook and
 * oak-import share it, so one agent gets one category from both.
 */
#include <ctype.h>
#include <string.h>

#include "claude/claude.h"

const char *
claude_agent_category(const char *name)
{
	static const struct {
		const char *word, *type;
	} words[] = {
		{ "security", "security" }, { "architect", "architecture" },
		{ "review", "quality" }, { "test", "quality" },
		{ "qa", "quality" }, { "quality", "quality" },
		{ "lint", "quality" }, { "doc", "documentation" },
		{ "writer", "documentation" }, { "analy", "analysis" },
		{ "research", "analysis" }, { "explore", "analysis" },
		{ "plan", "workflow" }, { "orchestrat", "workflow" },
		{ "workflow", "workflow" }, { "develop", "development" },
		{ "engineer", "development" }, { "frontend", "development" },
		{ "backend", "development" }, { "debug", "development" },
		{ "fix", "development" }, { "coder", "development" },
	};
	char lower[128];
	size_t k;

	for (k = 0; k < sizeof(lower) - 1 && name[k] != '\0'; k++)
		lower[k] = (char)tolower((unsigned char)name[k]);
	lower[k] = '\0';
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strstr(lower, words[k].word) != NULL)
			return words[k].type;
	return "utility";
}
