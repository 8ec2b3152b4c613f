/* hello: the smallest program in the initrd; init starts it with exec. */
#include <libos/args.h>
#include <libos/libos.h>

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *g = arg_value(argc, argv, "greeting");

	printf("hello: env %ld started by exec from the initrd%s%s\n", sys_env_self(),
	       g ? ", greeting " : "", g ? g : "");
	return 0;
}
