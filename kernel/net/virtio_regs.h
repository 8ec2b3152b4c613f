/*
 * Virtio 1.0 over PCI, and the network device. Section numbers: "Virtual
 * I/O Device (VIRTIO) Version 1.0", OASIS Committee Specification 04.
 * Every multi-byte field is little endian (1.4), as x86 is.
 */
#ifndef NET_VIRTIO_REGS_H
#define NET_VIRTIO_REGS_H

#include <stdint.h>

/* PCI IDs (4.1.2): 0x1040 + device type for modern-only devices; the
 * transitional network device keeps the legacy ID 0x1000. */
#define VIRTIO_VENDOR          0x1af4
#define VIRTIO_DEV_NET_LEGACY  0x1000
#define VIRTIO_DEV_NET_MODERN  0x1041   /* 0x1040 + 1 (network card, 5) */

/* Device status field (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED      128

/* Feature bits (2.2, 6; network device 5.1.3). */
#define VIRTIO_NET_F_MAC       5     /* config space holds the MAC */
#define VIRTIO_NET_F_STATUS    16    /* config space holds link status */
#define VIRTIO_F_VERSION_1     32    /* modern (non-legacy) interface */
/* Legacy only (6.3): header and packet may share a descriptor (2.4.4.3). */
#define VIRTIO_F_ANY_LAYOUT    27

/* Virtio PCI capability (4.1.4, vendor-specific capability 0x09). */
struct virtio_pci_cap {
	uint8_t cap_vndr;        /* 0x09 */
	uint8_t cap_next;
	uint8_t cap_len;
	uint8_t cfg_type;        /* VIRTIO_PCI_CAP_* */
	uint8_t bar;
	uint8_t padding[3];
	uint32_t offset;         /* within the BAR */
	uint32_t length;
} __attribute__((packed));

_Static_assert(sizeof(struct virtio_pci_cap) == 16, "virtio PCI capability layout");

#define VIRTIO_PCI_CAP_COMMON 1   /* 4.1.4.3 */
#define VIRTIO_PCI_CAP_NOTIFY 2   /* 4.1.4.4: followed by notify_off_multiplier */
#define VIRTIO_PCI_CAP_ISR    3   /* 4.1.4.5 */
#define VIRTIO_PCI_CAP_DEVICE 4   /* 4.1.4.6 */
#define VIRTIO_PCI_NOTIFY_MULT_OFF 16  /* le32 after the capability (4.1.4.4) */

/* Common configuration structure (4.1.4.3). */
struct virtio_pci_common_cfg {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t msix_config;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint64_t queue_desc;
	uint64_t queue_avail;     /* "queue_driver" in later versions */
	uint64_t queue_used;      /* "queue_device" */
} __attribute__((packed));

_Static_assert(sizeof(struct virtio_pci_common_cfg) == 56, "virtio common config layout");

#define VIRTIO_MSI_NO_VECTOR 0xffff   /* 4.1.5.1.2 */

/* ISR status (4.1.4.5): read to acknowledge an INTx interrupt. */
#define VIRTIO_ISR_QUEUE  1
#define VIRTIO_ISR_CONFIG 2

/*
 * Legacy register block in I/O BAR0 (4.1.4.8, "Legacy Interfaces: A Note
 * on PCI Device Layout"). Device-specific configuration follows at 0x14,
 * or at 0x18 once MSI-X is enabled (the two vector registers come first).
 */
#define VIRTIO_LEGACY_DEVICE_FEATURES 0x00   /* le32, feature bits 0-31 only */
#define VIRTIO_LEGACY_DRIVER_FEATURES 0x04   /* le32 */
#define VIRTIO_LEGACY_QUEUE_PFN       0x08   /* le32, queue address >> 12 */
#define VIRTIO_LEGACY_QUEUE_SIZE      0x0c   /* le16, read-only */
#define VIRTIO_LEGACY_QUEUE_SELECT    0x0e   /* le16 */
#define VIRTIO_LEGACY_QUEUE_NOTIFY    0x10   /* le16 */
#define VIRTIO_LEGACY_STATUS          0x12   /* u8 */
#define VIRTIO_LEGACY_ISR             0x13   /* u8 */
#define VIRTIO_LEGACY_MSIX_CONFIG     0x14   /* le16, with MSI-X only */
#define VIRTIO_LEGACY_MSIX_QUEUE      0x16   /* le16, with MSI-X only */
#define VIRTIO_LEGACY_CONFIG          0x14
#define VIRTIO_LEGACY_CONFIG_MSIX     0x18
#define VIRTIO_LEGACY_QUEUE_ALIGN     4096   /* 2.4.2: used ring alignment */
#define VIRTIO_LEGACY_PFN_SHIFT       12

/* Split virtqueue descriptor (2.4.5). */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
} __attribute__((packed));

_Static_assert(sizeof(struct virtq_desc) == 16, "virtq descriptor layout");

#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2   /* device writes (RX buffers) */

/* Available ring (2.4.6); ring[] has queue-size entries, then used_event. */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
} __attribute__((packed));

_Static_assert(sizeof(struct virtq_avail) == 4, "virtq avail header layout");

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1   /* 2.4.7: a hint to suppress interrupts */

/* Used ring (2.4.8); ring[] has queue-size entries, then avail_event. */
struct virtq_used_elem {
	uint32_t id;     /* head of the descriptor chain */
	uint32_t len;    /* bytes the device wrote */
} __attribute__((packed));

_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtq used element layout");

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
} __attribute__((packed));

_Static_assert(sizeof(struct virtq_used) == 4, "virtq used header layout");

#define VIRTQ_USED_F_NO_NOTIFY 1   /* 2.4.8: the device needs no kick */

/* Network device configuration (5.1.4). */
struct virtio_net_config {
	uint8_t mac[6];
	uint16_t status;
	uint16_t max_virtqueue_pairs;
} __attribute__((packed));

_Static_assert(sizeof(struct virtio_net_config) == 10, "virtio-net config layout");

#define VIRTIO_NET_S_LINK_UP 1

/* Queues of a single-pair network device (5.1.2). */
#define VIRTIO_NET_RXQ 0
#define VIRTIO_NET_TXQ 1

/*
 * Header before every packet (5.1.6). With VIRTIO_F_VERSION_1 it always
 * has num_buffers, so it is 12 bytes even without VIRTIO_NET_F_MRG_RXBUF;
 * a legacy device without MRG_RXBUF omits num_buffers: 10 bytes (5.1.6.1).
 */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
} __attribute__((packed));

_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio-net header layout");

#define VIRTIO_NET_HDR_LEGACY_LEN 10

#endif /* NET_VIRTIO_REGS_H */
