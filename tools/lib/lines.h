/*
 * Line files for the host tools: one pcap-filter expression per line;
 * blank lines and lines starting with '#' are skipped, and each kept line
 * remembers its line number for messages.
 */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>

struct lines {
	char **text;
	unsigned *lineno;
	size_t n;
};

/* 0, or -1 with err set. */
int lines_read(const char *path, struct lines *ls, char *err, size_t errlen);
void lines_free(struct lines *ls);

#endif /* LINES_H */
