/*
 * COM1 console and the fatal-error path (see console.h).
 *
 * Port offsets and bits: PC16550D datasheet, Table II "Summary of
 * Registers". The 32-bit entry already programmed the UART; console_init()
 * does it again so the C side does not depend on that detail.
 */
#include <stdarg.h>
#include <stdint.h>

#include "console.h"
#include "fmt.h"
#include "portio.h"

#define COM1      0x3f8
#define UART_THR  0 /* transmit holding register */
#define UART_IER  1
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define LSR_THRE  0x20 /* THR empty: ready for the next byte */

#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_FAIL 0x11 /* QEMU exit status (0x11 << 1) | 1 = 35 */

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* DLAB: next two bytes are the divisor */
	outb(COM1 + 0, 0x01);        /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8 data bits, no parity, 1 stop bit */
	outb(COM1 + UART_FCR, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void serial_putc(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		serial_putc(ctx, '\r');
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(serial_putc, NULL, fmt, ap);
	va_end(ap);
}

void loader_fail(const char *fmt, ...)
{
	va_list ap;

	console_printf("loader: ");
	va_start(ap, fmt);
	fmt_vformat(serial_putc, NULL, fmt, ap);
	va_end(ap);
	serial_putc(NULL, '\n');
	outb(DEBUG_EXIT_PORT, DEBUG_EXIT_FAIL);
	for (;;)
		__asm__ volatile("cli; hlt");
}
