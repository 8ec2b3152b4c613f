/* C side of program start: set up upcalls, run main, exit with its status. */
#include <libos/libos.h>
#include <libos/upcall.h>

void libos_start(int argc, char **argv, char **envp) __attribute__((noreturn));

void libos_start(int argc, char **argv, char **envp)
{
	libos_upcall_init();
	exit(main(argc, argv, envp));
}

void exit(int status)
{
	sys_exit(status);
}
