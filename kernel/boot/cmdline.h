/*
 * The kernel command line: whitespace-separated words, options written
 * key=value ("test=boot") or as a bare key. Pure logic (host-tested). The
 * same words become init's argv[1..].
 */
#ifndef BOOT_CMDLINE_H
#define BOOT_CMDLINE_H

#include <exo/bootinfo.h>

#define CMDLINE_MAX_WORDS 64

struct cmdline {
	char buf[EXO_CMDLINE_MAX];            /* the words, NUL-separated */
	const char *words[CMDLINE_MAX_WORDS];
	int nwords;
};

/*
 * Split s into words. Returns 0, or -1 (and no words) if s does not fit
 * EXO_CMDLINE_MAX bytes with its NUL or has more than CMDLINE_MAX_WORDS
 * words.
 */
int cmdline_parse(struct cmdline *c, const char *s);

/*
 * Value of option `key`: the text after "key=" of the last word that
 * starts so, "" for a bare word equal to key, NULL if absent.
 */
const char *cmdline_get(const struct cmdline *c, const char *key);

#endif /* BOOT_CMDLINE_H */
