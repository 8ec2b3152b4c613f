/*
 * Error codes returned (negated) by system calls. The values follow Linux
 * so that strace-trained eyes recognise them; the set is the kernel's own.
 * docs/syscalls.md lists which call returns which.
 */
#ifndef EXO_ERRNO_H
#define EXO_ERRNO_H

#define EXO_EPERM   1   /* not allowed in this configuration */
#define EXO_ENOENT  2   /* no such object */
#define EXO_ESRCH   3   /* no such env (or not one the caller may act on) */
#define EXO_EBADF   9   /* not a handle of the caller's (of the right type) */
#define EXO_EAGAIN  11  /* resource temporarily full (a NIC ring): retry later */
#define EXO_ENOMEM  12  /* out of physical memory */
#define EXO_EFAULT  14  /* bad user pointer or range */
#define EXO_EBUSY   16  /* resource bound to another env */
#define EXO_EEXIST  17  /* already bound / already mapped */
#define EXO_ENODEV  19  /* no such device */
#define EXO_EINVAL  22  /* bad argument value */
#define EXO_ERANGE  34  /* result does not fit the caller's buffer */
#define EXO_ENOSYS  38  /* no such system call */

#endif /* EXO_ERRNO_H */
