/*
 * base/append.h: the one locked append of a record to a log, shared by
 * oak-log (its hook and its commands) and oak-import, and the one mkdir -p
 * (append.c).
 */
#ifndef OAK_BASE_APPEND_H
#define OAK_BASE_APPEND_H

#include <sys/types.h>

#include "base/base.h"

/*
 * Appends one record (line, no newline) to dir/name: creates dir (and
 * its missing parents, 0700) and the file (0600) when missing, then
 * under an exclusive flock writes the line and its newline in one
 * write(2) on an O_APPEND descriptor, preceded by "\n" when the file
 * does not end in one (a writer that died mid-line), so concurrent
 * writers never interleave and a torn line never swallows the record.
 * Returns 0, or -1 after a warning naming the file.
 */
int oak_append_line(const char *dir, const char *name, const struct buf *line);
/*
 * mkdir -p dir: each missing folder above dir is made with mode parents,
 * dir itself with mode (less the umask); existing folders are left as
 * they are. 0, or -1 with errno set (the caller names dir).
 */
int oak_make_dirs(const char *dir, mode_t parents, mode_t mode);

#endif
