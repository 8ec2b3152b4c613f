#include <exo/errno.h>
#include <libos/page.h>
#include <libos/resource.h>
#include <libos/syscall.h>
#include <libos/upcall.h>

int bind_resource(int name)
{
	return (int)sys_bind_resource(name);
}

int revoke_resource(int handle)
{
	int r = (int)sys_revoke_resource(handle);

	if (r == 0)
		page_released(handle);
	return r;
}

int bind_signal(int kind, revocation_request_fn handler)
{
	if (kind != REVOC_REQ)
		return -EXO_EINVAL;
	libos_handlers.revocation_request =
		handler ? handler : libos_default_revocation;
	return (int)sys_bind_signal(REVOC_REQ, (void *)libos_upcall_entry);
}

const struct exo_book_env *book_env(long id)
{
	for (int i = 0; i < EXO_BOOK_NENV; i++)
		if (exo_book()->env[i].id == id && id > 0)
			return &exo_book()->env[i];
	return 0;
}

const struct exo_book_env *book_self(void)
{
	return book_env(sys_env_self());
}

long book_parent_id(void)
{
	const struct exo_book_env *me = book_self();
	return me && me->parent_slot ? exo_book()->env[me->parent_slot - 1].id : -1;
}

int slice_bind_free(uint32_t *index)
{
	for (int i = 0; i < EXO_NSLICE; i++) {
		if (exo_book()->slice_owner[i] != 0)
			continue;
		int h = bind_resource((int)EXO_NAME_SLICE(i));
		if (h >= 0) {
			if (index)
				*index = (uint32_t)i;
			return h;
		}
	}
	return -EXO_EBUSY;
}

long ipc_wait(uint64_t msg[3])
{
	long r;

	while ((r = sys_ipc_recv((long *)msg)) == -EXO_EAGAIN)
		;   /* interrupted for an upcall: handled, wait again */
	return r;
}

long wait_env(long id)
{
	long r;

	while ((r = sys_env_wait(id)) == -EXO_EAGAIN)
		;
	return r;
}
