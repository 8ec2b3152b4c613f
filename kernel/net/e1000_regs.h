/*
 * Intel 8254x (QEMU's 82540EM) registers and descriptors. Section numbers:
 * "PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's
 * Manual" (8254x SDM), revision 4.0. Register offsets are from BAR0.
 */
#ifndef NET_E1000_REGS_H
#define NET_E1000_REGS_H

#include <stdint.h>

#define E1000_VENDOR_INTEL 0x8086
#define E1000_DEV_82540EM  0x100e   /* 5.2, Table 5-1: QEMU's -device e1000 */

/* Device Control (13.4.1). */
#define E1000_CTRL        0x0000
#define   CTRL_ASDE       (1u << 5)    /* auto-speed detection */
#define   CTRL_SLU        (1u << 6)    /* set link up */
#define   CTRL_RST        (1u << 26)   /* device reset, self-clearing */
#define   CTRL_PHY_RST    (1u << 31)

/* Device Status (13.4.2). */
#define E1000_STATUS      0x0008
#define   STATUS_FD       (1u << 0)
#define   STATUS_LU       (1u << 1)    /* link up */

/* EEPROM Read (13.4.4): start, done, address 15:8, data 31:16. */
#define E1000_EERD        0x0014
#define   EERD_START      (1u << 0)
#define   EERD_DONE       (1u << 4)
#define   EERD_ADDR_SHIFT 8
#define   EERD_DATA_SHIFT 16

/* Interrupt Cause Read, clear on read (13.4.17); the same bits are used by
 * ITR/ICS/IMS/IMC (13.4.18-13.4.21). */
#define E1000_ICR         0x00c0
#define E1000_ITR         0x00c4
#define E1000_IMS         0x00d0       /* set mask bits: enable causes */
#define E1000_IMC         0x00d8       /* clear mask bits: disable causes */
#define   ICR_TXDW        (1u << 0)    /* TX descriptor written back */
#define   ICR_LSC         (1u << 2)    /* link status change */
#define   ICR_RXDMT0      (1u << 4)    /* RX descriptors below threshold */
#define   ICR_RXO         (1u << 6)    /* receiver overrun */
#define   ICR_RXT0        (1u << 7)    /* receiver timer: frames arrived */

/* Receive Control (13.4.22). */
#define E1000_RCTL        0x0100
#define   RCTL_EN         (1u << 1)
#define   RCTL_UPE        (1u << 3)    /* unicast promiscuous */
#define   RCTL_MPE        (1u << 4)
#define   RCTL_LPE        (1u << 5)    /* long packets (> 1522) */
#define   RCTL_BAM        (1u << 15)   /* accept broadcast */
#define   RCTL_BSIZE_2048 (0u << 16)   /* with BSEX = 0 */
#define   RCTL_SECRC      (1u << 26)   /* strip the Ethernet CRC */

/* Receive descriptor ring (13.4.25-13.4.30). RDLEN: multiple of 128 bytes. */
#define E1000_RDBAL       0x2800
#define E1000_RDBAH       0x2804
#define E1000_RDLEN       0x2808
#define E1000_RDH         0x2810
#define E1000_RDT         0x2818
#define E1000_RDTR        0x2820       /* receive delay timer */

/* Transmit Control (13.4.33) and inter-packet gap (13.4.34). */
#define E1000_TCTL        0x0400
#define   TCTL_EN         (1u << 1)
#define   TCTL_PSP        (1u << 3)    /* pad short packets */
#define   TCTL_CT_SHIFT   4            /* collision threshold, 0x0f */
#define   TCTL_COLD_SHIFT 12           /* collision distance, 0x40 full duplex */
#define E1000_TIPG        0x0410
#define   TIPG_82540_COPPER (10u | (8u << 10) | (6u << 20))  /* IPGT, IPGR1, IPGR2 */

/* Transmit descriptor ring (13.4.36-13.4.40). */
#define E1000_TDBAL       0x3800
#define E1000_TDBAH       0x3804
#define E1000_TDLEN       0x3808
#define E1000_TDH         0x3810
#define E1000_TDT         0x3818

/* Statistics (13.7): Missed Packets Count, clear on read (13.7.5). */
#define E1000_MPC         0x4010

/* Multicast Table Array (13.5.1) and Receive Address 0 (13.5.2, 13.5.3). */
#define E1000_MTA         0x5200       /* 128 dwords */
#define E1000_MTA_LEN     128
#define E1000_RAL0        0x5400
#define E1000_RAH0        0x5404
#define   RAH_AV          (1u << 31)   /* address valid */

/* Legacy receive descriptor (3.2.3, Table 3-1). */
struct e1000_rx_desc {
	uint64_t addr;       /* buffer physical address */
	uint16_t length;     /* bytes written to this buffer */
	uint16_t csum;
	uint8_t status;      /* 3.2.3.1 */
	uint8_t errors;      /* 3.2.3.2 */
	uint16_t special;
} __attribute__((packed));

_Static_assert(sizeof(struct e1000_rx_desc) == 16, "e1000 RX descriptor layout");

#define RXD_STAT_DD   (1u << 0)   /* descriptor done */
#define RXD_STAT_EOP  (1u << 1)   /* last descriptor of a frame */
/* CRC/alignment, symbol, sequence, carrier extension, RX data errors. */
#define RXD_ERR_FRAME ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 4) | (1u << 7))

/* Legacy transmit descriptor (3.3.3, Table 3-10). */
struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;         /* 3.3.3.1 */
	uint8_t status;      /* 3.3.3.2 */
	uint8_t css;
	uint16_t special;
} __attribute__((packed));

_Static_assert(sizeof(struct e1000_tx_desc) == 16, "e1000 TX descriptor layout");

#define TXD_CMD_EOP  (1u << 0)   /* end of packet */
#define TXD_CMD_IFCS (1u << 1)   /* insert FCS */
#define TXD_CMD_RS   (1u << 3)   /* report status: set DD when done */
#define TXD_STAT_DD  (1u << 0)

#endif /* NET_E1000_REGS_H */
