/*
 * The console is the serial port. A newline becomes CR LF so that a raw
 * terminal (`make run`) shows lines starting at column 0.
 */
#include <stdarg.h>

#include <arch/uart.h>
#include <console/console.h>
#include <fmt.h>

void console_init(void)
{
	uart_init();
}

static void put(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

void console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put(NULL, buf[i]);
}

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vformat(put, NULL, fmt, ap);
	va_end(ap);
	return n;
}

int vprintk(const char *fmt, va_list ap)
{
	return fmt_vformat(put, NULL, fmt, ap);
}
