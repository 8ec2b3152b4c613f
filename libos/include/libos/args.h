/*
 * Program arguments in the "key=value" style of the kernel command line
 * (init's argv[1..] are its words).
 */
#ifndef LIBOS_ARGS_H
#define LIBOS_ARGS_H

/*
 * The value of the last argument "key=value" in argv[1..argc-1], "" for a
 * bare "key", or NULL if there is none. argv[0] (the program) is skipped.
 */
const char *arg_value(int argc, char *const *argv, const char *key);

#endif /* LIBOS_ARGS_H */
