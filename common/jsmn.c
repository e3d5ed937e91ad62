/*
 * jsmn.c: the one translation unit that compiles jsmn's functions (the
 * header-only library is included plain here, with JSMN_HEADER
 * everywhere else through oak.h). json_read.c's own plain include comes
 * after oak.h has already included the header, so it defines nothing.
 */
#ifndef JSMN_STRICT
#define JSMN_STRICT
#endif
#include <jsmn.h>
