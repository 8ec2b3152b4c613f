/* COM1 16550 UART, polled, transmit only. */
#ifndef ARCH_UART_H
#define ARCH_UART_H

void uart_init(void);
void uart_putc(char c);

#endif /* ARCH_UART_H */
