/*
 * Host tests for PCI configuration decoding (kernel/net/pci_cfg.c): BAR
 * sizing and the capability walk, on a fake configuration space that
 * behaves like hardware: BARs keep only their writable address bits, and
 * the command register records whether decoding was off while sizing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <net/pci.h>
#include <net/pci_regs.h>

struct fake {
	uint8_t cfg[256];
	uint32_t bar_wmask[6];   /* writable bits of each BAR dword */
	int sized_while_decoding;
};

static uint32_t get(struct fake *f, uint16_t off, int w)
{
	uint32_t v = 0;

	for (int i = 0; i < w; i++)
		v |= (uint32_t)f->cfg[(off + i) & 0xff] << (8 * i);
	return v;
}

static uint32_t fread_(void *ctx, uint16_t off, int w)
{
	return get(ctx, off, w);
}

static void fwrite_(void *ctx, uint16_t off, int w, uint32_t v)
{
	struct fake *f = ctx;

	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24 && w == 4) {
		unsigned i = (off - PCI_BAR0) / 4;
		uint32_t old = get(f, off, 4);
		if (v == 0xffffffffu && (get(f, PCI_COMMAND, 2) & (PCI_CMD_IO | PCI_CMD_MEMORY)))
			f->sized_while_decoding = 1;
		v = (v & f->bar_wmask[i]) | (old & ~f->bar_wmask[i]);
	}
	for (int i = 0; i < w; i++)
		f->cfg[(off + i) & 0xff] = (uint8_t)(v >> (8 * i));
}

static void put32(struct fake *f, uint16_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		f->cfg[off + i] = (uint8_t)(v >> (8 * i));
}

static struct fake F;
static struct pci_cfg C = { fread_, fwrite_, &F };

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	put32(&F, PCI_COMMAND, PCI_CMD_MEMORY | PCI_CMD_IO);
	return 0;
}

/* An e1000-like function: 128 KiB memory BAR0, 64-port I/O BAR1. */
static void mem32_and_io(void **state)
{
	struct pci_bar b;
	unsigned slots;

	(void)state;
	put32(&F, PCI_BAR0, 0xfebc0000);
	F.bar_wmask[0] = ~(0x20000u - 1) & PCI_BAR_MEM_MASK;
	put32(&F, PCI_BAR0 + 4, 0xc000 | PCI_BAR_IO);
	F.bar_wmask[1] = 0xffffffc0u;
	assert_int_equal(pci_bar_decode(&C, 0, &b, &slots), 0);
	assert_int_equal(slots, 1);
	assert_int_equal(b.kind, PCI_BAR_MEM32);
	assert_int_equal(b.base, 0xfebc0000);
	assert_int_equal(b.size, 0x20000);
	assert_int_equal(b.prefetch, 0);
	assert_int_equal(pci_bar_decode(&C, 1, &b, &slots), 0);
	assert_int_equal(b.kind, PCI_BAR_PORT);
	assert_int_equal(b.base, 0xc000);
	assert_int_equal(b.size, 0x40);
	/* Sizing restored the BARs and the command register. */
	assert_int_equal(get(&F, PCI_BAR0, 4), 0xfebc0000);
	assert_int_equal(get(&F, PCI_BAR0 + 4, 4), 0xc000 | PCI_BAR_IO);
	assert_int_equal(get(&F, PCI_COMMAND, 2), PCI_CMD_MEMORY | PCI_CMD_IO);
	assert_false(F.sized_while_decoding);
}

/* A virtio-like 64-bit prefetchable BAR4 (16 KiB) above 4 GiB. */
static void mem64(void **state)
{
	struct pci_bar b;
	unsigned slots;

	(void)state;
	put32(&F, PCI_BAR0 + 16, 0x0000c000u | PCI_BAR_MEM_64 | PCI_BAR_PREFETCH);
	put32(&F, PCI_BAR0 + 20, 0x1);
	F.bar_wmask[4] = ~(0x4000u - 1) & PCI_BAR_MEM_MASK;
	F.bar_wmask[5] = 0xffffffffu;
	assert_int_equal(pci_bar_decode(&C, 4, &b, &slots), 0);
	assert_int_equal(slots, 2);
	assert_int_equal(b.kind, PCI_BAR_MEM64);
	assert_int_equal(b.base, 0x10000c000ull);
	assert_int_equal(b.size, 0x4000);
	assert_int_equal(b.prefetch, 1);
	assert_int_equal(get(&F, PCI_BAR0 + 20, 4), 1);
}

static void unimplemented(void **state)
{
	struct pci_bar b;
	unsigned slots;

	(void)state;
	assert_int_equal(pci_bar_decode(&C, 2, &b, &slots), 0);
	assert_int_equal(b.kind, PCI_BAR_NONE);
	assert_int_equal(slots, 1);
}

static void malformed(void **state)
{
	struct pci_bar b;
	unsigned slots;

	(void)state;
	/* 64-bit BAR in the last slot: no room for its high half. */
	put32(&F, PCI_BAR0 + 20, PCI_BAR_MEM_64);
	F.bar_wmask[5] = 0xfffff000u;
	assert_int_equal(pci_bar_decode(&C, 5, &b, &slots), -1);
	assert_int_equal(b.kind, PCI_BAR_NONE);
	/* Reserved memory type 01b. */
	put32(&F, PCI_BAR0, 0x2);
	F.bar_wmask[0] = 0xfffff000u;
	assert_int_equal(pci_bar_decode(&C, 0, &b, &slots), -1);
	/* A size mask with a hole is not a power of two. */
	put32(&F, PCI_BAR0 + 4, 0);
	F.bar_wmask[1] = 0xffff0f00u;
	assert_int_equal(pci_bar_decode(&C, 1, &b, &slots), -1);
	assert_int_equal(b.kind, PCI_BAR_NONE);
	assert_int_equal(pci_bar_decode(&C, 6, &b, &slots), -1);
}

static void caps(void **state)
{
	(void)state;
	/* No capability list bit: nothing, whatever the pointer says. */
	F.cfg[PCI_CAP_PTR] = 0x40;
	assert_int_equal(pci_cap_find(&C, PCI_CAP_MSIX, 0), 0);
	F.cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	/* 0x40 MSI-X -> 0x50 vendor -> 0x60 vendor -> end. Low bits of
	 * pointers are reserved and ignored. */
	F.cfg[0x40] = PCI_CAP_MSIX; F.cfg[0x41] = 0x53;
	F.cfg[0x50] = PCI_CAP_VENDOR; F.cfg[0x51] = 0x60;
	F.cfg[0x60] = PCI_CAP_VENDOR; F.cfg[0x61] = 0x00;
	assert_int_equal(pci_cap_find(&C, PCI_CAP_MSIX, 0), 0x40);
	assert_int_equal(pci_cap_find(&C, PCI_CAP_VENDOR, 0), 0x50);
	assert_int_equal(pci_cap_find(&C, PCI_CAP_VENDOR, 0x50), 0x60);
	assert_int_equal(pci_cap_find(&C, PCI_CAP_VENDOR, 0x60), 0);
	assert_int_equal(pci_cap_find(&C, PCI_CAP_MSI, 0), 0);
}

static void cap_loop_and_header_pointer(void **state)
{
	(void)state;
	F.cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	/* A loop 0x40 -> 0x80 -> 0x40 must end. */
	F.cfg[PCI_CAP_PTR] = 0x40;
	F.cfg[0x40] = 0x01; F.cfg[0x41] = 0x80;
	F.cfg[0x80] = 0x01; F.cfg[0x81] = 0x40;
	assert_int_equal(pci_cap_find(&C, PCI_CAP_MSI, 0), 0);
	/* A pointer into the header ends the walk. */
	F.cfg[0x81] = 0x10;
	assert_int_equal(pci_cap_find(&C, PCI_CAP_MSI, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(mem32_and_io, setup),
		cmocka_unit_test_setup(mem64, setup),
		cmocka_unit_test_setup(unimplemented, setup),
		cmocka_unit_test_setup(malformed, setup),
		cmocka_unit_test_setup(caps, setup),
		cmocka_unit_test_setup(cap_loop_and_header_pointer, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
