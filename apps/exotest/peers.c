/*
 * Roles that work against another env: isolation and grants, and the
 * two sides of revocation (a cooperative owner, an uncooperative one)
 * plus a bystander that must not notice anything.
 */
#include <string.h>

#include <exo/book.h>

#include "exotest.h"

#define SECRET 0x5ec2e7a11ce0000dUL
#define PEER_VA 0x0000620000000000UL

static uint64_t recv_word(long *from)
{
	uint64_t m[3] = { 0, 0, 0 };

	ipc_wait(m);
	if (from)
		*from = (long)m[0];
	return m[1];
}

int role_iso_owner(int argc, char **argv)
{
	(void)argc, (void)argv;
	int failures = 0;
	volatile uint64_t *p = page_alloc();
	long peer;

	CHECK(p != NULL, "page_alloc\n");
	if (p == NULL)
		return failures;
	p[0] = SECRET;
	int h = (int)page_handle((void *)p);
	send_retry(book_parent_id(), (uint64_t)page_frame((void *)p), (uint64_t)p);
	CHECK(recv_word(&peer) == 1, "protocol step 1\n");
	CHECK(sys_page_grant(h, 0, EXO_PERM_R) == -EXO_ESRCH, "grant to nobody\n");
	CHECK(sys_page_grant(h, peer, 3) == -EXO_EINVAL, "grant with bad rights\n");
	CHECK(sys_page_grant(h, peer, EXO_PERM_R) == 0, "grant read-only\n");
	CHECK(sys_page_grant(h, peer, EXO_PERM_R) == -EXO_EEXIST, "grant twice\n");
	send_retry(peer, 2, 0);
	CHECK(recv_word(NULL) == 3, "protocol step 3\n");
	CHECK(sys_page_grant(h, peer, EXO_GRANT_NONE) == 0, "withdraw the grant\n");
	CHECK(sys_page_grant(h, peer, EXO_GRANT_NONE) == -EXO_ENOENT, "withdraw twice\n");
	send_retry(peer, 4, 0);
	CHECK(recv_word(NULL) == 5, "protocol step 5\n");
	CHECK(p[0] == SECRET, "my page changed under a read-only grant\n");
	/* Now read-write: B's store must show up here. */
	CHECK(sys_page_grant(h, peer, EXO_PERM_W) == 0, "grant read-write\n");
	send_retry(peer, 6, 0);
	CHECK(recv_word(NULL) == 7, "protocol step 7\n");
	CHECK(p[1] == ~SECRET, "B's write did not reach my page: %#lx\n", (unsigned long)p[1]);
	CHECK(sys_page_grant(h, peer, EXO_GRANT_NONE) == 0, "withdraw the read-write grant\n");
	send_retry(peer, 8, 0);
	CHECK(recv_word(NULL) == 9, "protocol step 9\n");
	return failures;
}

int role_iso_peer(int argc, char **argv)
{
	int failures = 0;
	long owner = arg_num(argc, argv, "owner", 0);
	long frame = arg_num(argc, argv, "frame", 0);
	uint64_t va = (uint64_t)arg_num(argc, argv, "va", 0), v = 0;

	/* Without a grant: A's page can be neither bound nor reached. */
	CHECK(bind_resource((int)frame) == -EXO_EBUSY, "A's page bound without a grant\n");
	CHECK(probe_read((void *)va, &v) && v == 0, "A's address readable in B\n");
	CHECK(sys_page_map(0, 400, (void *)PEER_VA, 0) == -EXO_EBADF,
	      "mapped through a handle B does not have\n");
	send_retry(owner, 1, 0);
	CHECK(recv_word(NULL) == 2, "protocol step 2\n");
	/* With a read-only grant. */
	int h = bind_resource((int)frame);
	CHECK(h >= 0, "bind under the grant: %d\n", h);
	CHECK(bind_resource((int)frame) == -EXO_EEXIST, "bind the grant twice\n");
	CHECK(sys_page_map(0, h, (void *)PEER_VA, EXO_PERM_W) == -EXO_EPERM,
	      "writable mapping under a read-only grant\n");
	CHECK(sys_page_map(0, h, (void *)PEER_VA, EXO_PERM_X) == -EXO_EPERM,
	      "executable mapping of another's page\n");
	CHECK(sys_page_map(0, h, (void *)PEER_VA, EXO_PERM_R) == 0, "read-only mapping\n");
	CHECK(!probe_read((void *)PEER_VA, &v) && v == SECRET, "read %#lx under the grant\n",
	      (unsigned long)v);
	CHECK(probe_write((void *)PEER_VA, 1), "write under a read-only grant\n");
	send_retry(owner, 3, 0);
	CHECK(recv_word(NULL) == 4, "protocol step 4\n");
	/* The grant is gone: so are the mapping and the handle. */
	CHECK(probe_read((void *)PEER_VA, &v), "readable after the grant was withdrawn\n");
	CHECK(sys_page_map(0, h, (void *)PEER_VA, 0) == -EXO_EBADF, "the handle survived\n");
	CHECK(bind_resource((int)frame) == -EXO_EBUSY, "bindable after the withdrawal\n");
	send_retry(owner, 5, 0);
	/* A read-write grant. */
	CHECK(recv_word(NULL) == 6, "protocol step 6\n");
	h = bind_resource((int)frame);
	CHECK(h >= 0 && sys_page_map(0, h, (void *)PEER_VA, EXO_PERM_W) == 0,
	      "writable mapping under a read-write grant\n");
	CHECK(!probe_write((void *)(PEER_VA + 8), ~SECRET), "write under the read-write grant\n");
	send_retry(owner, 7, 0);
	CHECK(recv_word(NULL) == 8, "protocol step 8\n");
	CHECK(probe_read((void *)PEER_VA, &v), "readable after the read-write grant ended\n");
	printf("exotest: iso-peer: no access without a grant, read-only with it, none after; "
	       "read-write grant shared the page (%lu faults)\n", (unsigned long)probe_faults);
	send_retry(owner, 9, 0);
	return failures;
}

int role_revoke_coop(int argc, char **argv)
{
	(void)argc, (void)argv;
	int failures = 0;
	volatile uint64_t *p = page_alloc();
	uint64_t v;

	CHECK(p != NULL, "page_alloc\n");
	if (p == NULL)
		return failures;
	for (int i = 0; i < 512; i++)
		p[i] = 0xabababababababab;
	/* A second slice, which init will ask back too. */
	uint32_t idx = 0;
	int s = slice_bind_free(&idx);
	CHECK(s >= 0, "slice_bind_free: %d\n", s);
	send_retry(book_parent_id(), (uint64_t)page_frame((void *)p),
		   (uint64_t)idx | (uint64_t)s << 32);
	recv_word(NULL);   /* init has the page back and used it */
	CHECK(libos_upcall_counts[EXO_SIG_REVOC_REQ] == 2, "%lu revocation upcalls\n",
	      (unsigned long)libos_upcall_counts[EXO_SIG_REVOC_REQ]);
	CHECK(revoke_resource(s) == -EXO_EBADF, "the slice handle survived\n");
	CHECK(page_frame((void *)p) == -1, "the allocator still lists the page\n");
	CHECK(probe_read((void *)p, &v), "the page is still mapped\n");
	CHECK(book_self()->repo_count == 0, "a cooperative release counted as repossession\n");
	return failures;
}

static volatile uint64_t ignored, told_at, told_deadline;

static void ignore_request(int64_t handle, uint64_t name, uint64_t deadline)
{
	(void)handle, (void)name;
	told_at = exo_book()->ticks;
	told_deadline = deadline;
	ignored++;   /* and keep the page */
}

/* grace=N: the ticks init's revoke_demand gives; the deadline must count
 * them from when this env was told, and the page must outlive it. */
int role_revoke_abort(int argc, char **argv)
{
	uint64_t grace = (uint64_t)arg_num(argc, argv, "grace", 0);
	int failures = 0;
	volatile uint64_t *p = page_alloc();
	uint64_t v = 0, sum = 0;

	CHECK(bind_signal(REVOC_REQ, ignore_request) == 0, "bind_signal(REVOC_REQ)\n");
	CHECK(p != NULL, "page_alloc\n");
	if (p == NULL)
		return failures;
	uint32_t frame = (uint32_t)page_frame((void *)p);
	p[7] = 77;
	send_retry(book_parent_id(), frame, 0);
	/* Keep using the page until the kernel takes it. */
	while (!probe_read((void *)&p[7], &v))
		sum += v;
	const struct exo_book_env *me = book_self();
	CHECK(ignored == 1, "%lu revocation requests seen\n", (unsigned long)ignored);
	/* Told at kernel tick d - grace; the handler reads the tick a moment
	 * later (a loaded TCG host may deliver a few ticks at once). */
	CHECK(told_deadline >= grace && told_at + grace >= told_deadline &&
	      told_at + grace - told_deadline <= 50,
	      "deadline %lu for grace %lu, told at tick %lu\n", (unsigned long)told_deadline,
	      (unsigned long)grace, (unsigned long)told_at);
	CHECK(me->repo_count >= 1 && me->repo[0].tick >= told_deadline,
	      "taken at tick %lu, before the deadline %lu\n",
	      (unsigned long)me->repo[0].tick, (unsigned long)told_deadline);
	CHECK(probe_addr == (uint64_t)&p[7] && probe_error == 4, "the fault\n");
	CHECK(me->repo_count == 1 && me->repo[0].name == frame, "repossession vector: %u, %#x\n",
	      me->repo_count, me->repo[0].name);
	CHECK(sum % 77 == 0, "the page changed under me\n");
	printf("exotest: revoke-abort: lost frame %#x at tick %lu; the repossession vector says so\n",
	       frame, (unsigned long)me->repo[0].tick);
	return failures;
}

int role_bystander(int argc, char **argv)
{
	(void)argc, (void)argv;
	int failures = 0;
	volatile uint64_t *p = page_alloc();
	uint64_t t_end = exo_book()->ticks + 300, rounds = 0;

	CHECK(p != NULL, "page_alloc\n");
	if (p == NULL)
		return failures;
	for (int i = 0; i < 512; i++)
		p[i] = (uint64_t)i * 2654435761u;
	while (*(const volatile uint64_t *)&exo_book()->ticks < t_end) {
		uint64_t s = 0;
		for (int i = 0; i < 512; i++)
			s += p[i] - (uint64_t)i * 2654435761u;
		CHECK(s == 0, "my page changed in round %lu\n", (unsigned long)rounds);
		if (s)
			break;
		rounds++;
	}
	CHECK(book_self()->repo_count == 0, "I lost something\n");
	return failures;
}
