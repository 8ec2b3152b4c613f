/*
 * Line files (see lines.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
		     s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

static int append(struct lines *ls, const char *s, unsigned lineno)
{
	char **t = realloc(ls->text, (ls->n + 1) * sizeof(*t));
	unsigned *l;

	if (!t)
		return -1;
	ls->text = t;
	l = realloc(ls->lineno, (ls->n + 1) * sizeof(*l));
	if (!l)
		return -1;
	ls->lineno = l;
	ls->text[ls->n] = strdup(s);
	if (!ls->text[ls->n])
		return -1;
	ls->lineno[ls->n++] = lineno;
	return 0;
}

int lines_read(const char *path, struct lines *ls, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL, *s;
	size_t cap = 0;
	unsigned lineno = 0;

	memset(ls, 0, sizeof(*ls));
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&buf, &cap, fp) >= 0) {
		lineno++;
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		if (append(ls, s, lineno) < 0) {
			snprintf(err, errlen, "%s: out of memory", path);
			free(buf);
			fclose(fp);
			lines_free(ls);
			return -1;
		}
	}
	free(buf);
	fclose(fp);
	return 0;
}

void lines_free(struct lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->text[i]);
	free(ls->text);
	free(ls->lineno);
	memset(ls, 0, sizeof(*ls));
}
