/* apps/init: the first user program. Its parts share these entry points. */
#ifndef APPS_INIT_H
#define APPS_INIT_H

/*
 * fault=KIND (test=user-faults, driven by the kernel): null, priv, gp, div,
 * ud, bp and int raise an exception and never return; "none" returns 0
 * (non-zero if it finds state left behind by an earlier env).
 */
int trigger_fault(const char *kind);

/* test=boot: the user-mode environment is sane. Returns failures. */
int test_boot(int argc, char **argv);

/* test=syscall-badptr: hostile pointers get errors. Returns failures. */
int test_badptr(void);

#endif /* APPS_INIT_H */
