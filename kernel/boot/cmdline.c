#include <stddef.h>
#include <string.h>

#include <boot/cmdline.h>

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int cmdline_parse(struct cmdline *c, const char *s)
{
	size_t len = strnlen(s, EXO_CMDLINE_MAX);

	c->nwords = 0;
	if (len == EXO_CMDLINE_MAX)
		return -1;
	memcpy(c->buf, s, len + 1);
	for (size_t i = 0; i < len;) {
		if (is_space(c->buf[i])) {
			c->buf[i++] = '\0';
			continue;
		}
		if (c->nwords == CMDLINE_MAX_WORDS) {
			c->nwords = 0;
			return -1;
		}
		c->words[c->nwords++] = &c->buf[i];
		while (i < len && !is_space(c->buf[i]))
			i++;
	}
	return 0;
}

const char *cmdline_get(const struct cmdline *c, const char *key)
{
	size_t klen = strlen(key);
	const char *found = NULL;

	for (int i = 0; i < c->nwords; i++) {
		const char *w = c->words[i];
		if (strncmp(w, key, klen) != 0)
			continue;
		if (w[klen] == '=')
			found = w + klen + 1;
		else if (w[klen] == '\0')
			found = w + klen;
	}
	return found;
}
