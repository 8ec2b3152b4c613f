/*
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit words. Sums are accumulated in 32 bits and folded
 * at the end; an odd trailing byte is padded with zero on the right.
 * cksum_add() may be chained only at even offsets, which is how every caller
 * uses it (pseudo-header, header, payload).
 */
#include "priv.h"

uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;

	while (n >= 2) {
		s += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	}
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 768 / RFC 9293 3.1: source, destination, zero, protocol, length. */
uint32_t cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}
