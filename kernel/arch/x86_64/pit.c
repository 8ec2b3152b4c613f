/*
 * The PIT: channel 2 as a stopwatch, channel 0 as the tick source on
 * machines without a local APIC.
 *
 * Channel 2 as a stopwatch. Channel 2's gate and output are wired to
 * port 0x61 (bits 0 and 5), so the CPU can start a one-shot count and poll
 * for its end without interrupts. Mode 0 ("interrupt on terminal count"):
 * the output goes high when the count reaches zero. Command byte layout:
 * Intel 8254 datasheet, "Control Word Format".
 */
#include <arch/cpu.h>
#include <arch/pit.h>
#include <portio.h>

#define PIT_CH0  0x40
#define PIT_CH2  0x42
#define PIT_CMD  0x43
#define PORT_61  0x61
#define P61_GATE2 0x01
#define P61_SPKR  0x02
#define P61_OUT2  0x20
#define CMD_CH2_LOHI_MODE0 0xb0  /* channel 2, lobyte/hibyte, mode 0, binary */
#define CMD_CH0_LOHI_MODE2 0x34  /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
#define MAX_CHUNK_US 50000       /* 50 ms = 59659 counts < 65536 */

static void wait_counts(uint16_t count)
{
	uint8_t p = inb(PORT_61) & (uint8_t)~(P61_SPKR | P61_GATE2);

	outb(PORT_61, p);                 /* gate low: hold the counter */
	outb(PIT_CMD, CMD_CH2_LOHI_MODE0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	outb(PORT_61, p | P61_GATE2);     /* gate high: count down */
	while (!(inb(PORT_61) & P61_OUT2))
		cpu_relax();
}

void pit_wait_us(uint32_t us)
{
	while (us > 0) {
		uint32_t chunk = us > MAX_CHUNK_US ? MAX_CHUNK_US : us;
		uint64_t counts = (uint64_t)chunk * PIT_HZ / 1000000;

		wait_counts(counts ? (uint16_t)counts : 1);
		us -= chunk;
	}
}

void pit_periodic(uint32_t hz)
{
	uint32_t div = PIT_HZ / hz;

	if (div == 0 || div > 0xffff)
		div = 0xffff;
	outb(PIT_CMD, CMD_CH0_LOHI_MODE2);
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, (div >> 8) & 0xff);
}
