/* C side of program start: run main and exit with its status. */
#include <libos/libos.h>

void libos_start(int argc, char **argv, char **envp) __attribute__((noreturn));

void libos_start(int argc, char **argv, char **envp)
{
	exit(main(argc, argv, envp));
}

void exit(int status)
{
	sys_exit(status);
}
