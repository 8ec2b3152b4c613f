#include <string.h>

#include <libos/args.h>

const char *arg_value(int argc, char *const *argv, const char *key)
{
	size_t k = strlen(key);
	const char *v = NULL;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], key, k) != 0)
			continue;
		if (argv[i][k] == '=')
			v = argv[i] + k + 1;
		else if (argv[i][k] == '\0')
			v = argv[i] + k;
	}
	return v;
}
