/*
 * features/scan.h: private to common/features: the repository a folder
 * is in (gitdir.c), git run under a deadline, the tree's scan
 * (codebase.c) and the manifests' frameworks (frameworks.c).
 */
#ifndef OAK_FEATURES_SCAN_H
#define OAK_FEATURES_SCAN_H

#include "features/features.h"

/* ---- gitdir.c ----------------------------------------------------- */
struct repo {
	char *cwd;          /* the folder asked about, its real path */
	char *root;         /* the work tree holding it; NULL outside git */
	char *gitdir;       /* its .git folder (a worktree's own) */
	char *commondir;    /* where refs and config live */
	char *branch;       /* HEAD's branch; NULL when detached */
	char *repository;   /* the remote's URL, cleaned; NULL: no remote */
	char commit[41];    /* HEAD's commit; "" when unknown */
};
/* Fills r for dir; false when dir is not a folder (r is then empty). */
bool repo_find(struct repo *r, const char *dir);
void repo_release(struct repo *r);
/* Sets r->repository from the config of r's repository ("origin", else
 * the first remote with a url). */
void repo_remote(struct repo *r);
/* url without scheme, credentials, query and ".git" into out. */
void url_clean(const char *url, struct buf *out);
/*
 * Runs "git -C dir args..." (at most 12 args, NULL-terminated) with its
 * output in out, until it ends or the monotonic clock reaches deadline
 * (ms, now_ms()), when it is killed. 0: it ended with status 0; 1: out
 * of time (out holds what it wrote); -1: it failed or could not run.
 */
int git_run(const char *dir, char **args, long long deadline,
	    struct buf *out);
long long now_ms(void);
/* At most max bytes of path into out, NUL-terminated; 0, or -1. */
int read_file_max(const char *path, struct buf *out, size_t max);

/* ---- index.c ------------------------------------------------------ */
/*
 * The paths of the git index in gitdir, each NUL-terminated, one after
 * the other in paths (a conflict's path once). 0, or -1 when the index
 * is missing or of a kind this reader leaves to git.
 */
int index_paths(const char *gitdir, struct buf *paths);

/* ---- codebase.c ---------------------------------------------------- */
#define MANIFESTS_MAX 32

/* The language table: a name and its extensions, separated by blanks. */
struct language {
	const char *name;
	const char *exts;
};
extern const struct language languages[];
extern const size_t nlanguages;

/* What a scan of the tree found. */
struct scan {
	long long deadline;         /* for the listing and the line count */
	bool partial;               /* the deadline cut something short */
	bool loc_stopped;
	unsigned long files;
	unsigned long long loc;
	unsigned long *lang_files;  /* per language of the table */
	bool tests, docs, ci;
	char *manifest[MANIFESTS_MAX];  /* paths from the tree's top */
	int nmanifest;
	struct ht *exts, *dirs;     /* codebase.c's lookup tables */
	const char *skip_path;      /* a walk leaves this folder out */
};
void scan_init(struct scan *s, long long deadline);
void scan_release(struct scan *s);
/* The files git tracks in the work tree top (its index in gitdir);
 * false when they cannot be listed (the caller walks instead). */
bool scan_git(struct scan *s, const char *top, const char *gitdir);
/* The files found walking the folder top, but skip_dir (NULL: none). */
void scan_walk(struct scan *s, const char *top, const char *skip_dir);

/* ---- frameworks.c -------------------------------------------------- */
/* Is name (a basename) a manifest of the framework table? */
bool manifest_name(const char *name);
/* Appends to out, as JSON strings separated by jw_sep, the frameworks
 * that the manifests at top/path[k] name, in the table's order. */
void frameworks_write(struct buf *out, const char *top, char **path,
		      int npath);

#endif
