/*
 * PCI configuration-space layout. Section numbers: PCI Local Bus
 * Specification 3.0 (type 0 header 6.1-6.2, base address registers 6.2.5.1,
 * capabilities list 6.7, MSI 6.8.1, MSI-X 6.8.2) and the configuration
 * mechanism #1 ports (3.2.2.3.2).
 */
#ifndef NET_PCI_REGS_H
#define NET_PCI_REGS_H

#include <stdint.h>

/* Configuration mechanism #1 (3.2.2.3.2): address port, then data port. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_CONFIG_ENABLE  (1u << 31)

/* Type 0/1 common header (6.1, Figure 6-1). */
#define PCI_VENDOR_ID     0x00   /* 0xffff: no function here */
#define PCI_DEVICE_ID     0x02
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_REVISION      0x08
#define PCI_PROG_IF       0x09
#define PCI_SUBCLASS      0x0a
#define PCI_CLASS         0x0b
#define PCI_HEADER_TYPE   0x0e   /* bits 6:0 layout, bit 7 multi-function */
#define PCI_BAR0          0x10   /* six BARs in a type 0 header (6.2.5.1) */
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID     0x2e
#define PCI_CAP_PTR       0x34   /* valid if PCI_STATUS_CAP_LIST (6.7) */
#define PCI_INTR_LINE     0x3c   /* written by firmware: the routed IRQ (6.2.4) */
#define PCI_INTR_PIN      0x3d   /* 1-4 = INTA#-INTD#, 0 = none */

/* Type 1 (PCI-to-PCI bridge) header: the bus behind the bridge. */
#define PCI_SECONDARY_BUS 0x19

#define PCI_HEADER_MULTIFN 0x80
#define PCI_HEADER_BRIDGE  0x01

/* Command register bits (6.2.2, Table 6-2). */
#define PCI_CMD_IO          (1u << 0)
#define PCI_CMD_MEMORY      (1u << 1)
#define PCI_CMD_BUS_MASTER  (1u << 2)
#define PCI_CMD_INTX_DISABLE (1u << 10)

/* Status register bits (6.2.3, Table 6-3). */
#define PCI_STATUS_CAP_LIST (1u << 4)

/* Base address register encoding (6.2.5.1, Figures 6-5 and 6-6). */
#define PCI_BAR_IO          0x1u   /* bit 0: I/O space */
#define PCI_BAR_IO_MASK     0xfffffffcu
#define PCI_BAR_MEM_TYPE    0x6u   /* bits 2:1: 00 = 32-bit, 10 = 64-bit */
#define PCI_BAR_MEM_64      0x4u
#define PCI_BAR_PREFETCH    0x8u
#define PCI_BAR_MEM_MASK    0xfffffff0u

/* Capability IDs (PCI Code and ID Assignment Specification, 2). */
#define PCI_CAP_MSI    0x05
#define PCI_CAP_VENDOR 0x09   /* virtio uses these (virtio 1.0, 4.1.4) */
#define PCI_CAP_MSIX   0x11

/* MSI capability (6.8.1, Figure 6-9): offsets from the capability. */
#define MSI_CTRL          0x02
#define MSI_CTRL_ENABLE   (1u << 0)
#define MSI_CTRL_MME_MASK (7u << 4)   /* multiple message enable */
#define MSI_CTRL_64BIT    (1u << 7)
#define MSI_ADDR_LO       0x04
#define MSI_ADDR_HI       0x08         /* 64-bit capable only */
#define MSI_DATA_32       0x08
#define MSI_DATA_64       0x0c

/* MSI-X capability (6.8.2, Figure 6-10) and table (6.8.2.6). */
#define MSIX_CTRL            0x02
#define MSIX_CTRL_SIZE_MASK  0x07ffu   /* table size - 1 */
#define MSIX_CTRL_FUNC_MASK  (1u << 14)
#define MSIX_CTRL_ENABLE     (1u << 15)
#define MSIX_TABLE           0x04      /* offset | BIR (bits 2:0) */
#define MSIX_PBA             0x08
#define MSIX_BIR_MASK        0x7u

struct msix_entry {
	uint32_t addr_lo;
	uint32_t addr_hi;
	uint32_t data;
	uint32_t vector_ctrl;   /* bit 0: masked */
};

#define MSIX_ENTRY_MASKED 1u
_Static_assert(sizeof(struct msix_entry) == 16, "MSI-X table entry layout");

#endif /* NET_PCI_REGS_H */
