/*
 * jsmn.c: the one translation unit that compiles jsmn's functions (the
 * header-only library is included plain here, with JSMN_HEADER
 * everywhere else through json/json.h). The programs no longer call
 * them (json_parse tokenizes in its own pass, into jsmn's token layout):
 * make bench's tokenizing floor and the unit test that holds our tokens
 * to jsmn's do.
 */
#ifndef JSMN_STRICT
#define JSMN_STRICT
#endif
#ifndef JSMN_PARENT_LINKS
#define JSMN_PARENT_LINKS
#endif
#include <jsmn.h>
