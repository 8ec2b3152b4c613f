/*
 * The network configuration as text, the form it takes on the kernel
 * command line:
 *
 *     mac=52:54:00:12:34:56 ip=10.0.2.15/24 gw=10.0.2.2
 *     mac=52:54:00:12:34:56 ip=dhcp
 *
 * Recognised words: ip=A.B.C.D[/PREFIX] or ip=dhcp, netmask=A.B.C.D,
 * gw=A.B.C.D, mac=XX:XX:XX:XX:XX:XX. Other words belong to somebody else
 * and are skipped; a recognised word with a malformed value is an error,
 * and *bad points at it so the caller can say which.
 */
#include "priv.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static size_t word_len(const char *s)
{
	size_t n = 0;
	while (s[n] && !is_space(s[n]))
		n++;
	return n;
}

static bool starts(const char *w, size_t n, const char *key, size_t *vlen)
{
	size_t k = 0;
	while (key[k] && k < n && w[k] == key[k])
		k++;
	if (key[k])
		return false;
	*vlen = n - k;
	return true;
}

/* A decimal number up to max from s[0..n); false if malformed. */
static bool dec(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static bool parse_ip(const char *s, size_t n, uint32_t *out)
{
	uint32_t ip = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		size_t j = i;
		while (j < n && s[j] != '.')
			j++;
		uint32_t b;
		if (!dec(s + i, j - i, 255, &b) || (part < 3 && j == n) || (part == 3 && j != n))
			return false;
		ip = ip << 8 | b;
		i = j + 1;
	}
	*out = ip;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_mac(const char *s, size_t n, uint8_t mac[6])
{
	if (n != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool parse_ip_word(const char *v, size_t n, struct tcpip_config *cfg)
{
	if (n == 4 && tcpip_memcmp(v, "dhcp", 4) == 0) {
		cfg->dhcp = true;
		return true;
	}
	size_t slash = 0;
	while (slash < n && v[slash] != '/')
		slash++;
	if (!parse_ip(v, slash, &cfg->ip))
		return false;
	cfg->dhcp = false;
	if (slash == n)
		return true;
	uint32_t prefix;
	if (!dec(v + slash + 1, n - slash - 1, 32, &prefix) || prefix == 0)
		return false;
	cfg->netmask = prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
	return true;
}

int tcpip_config_parse(struct tcpip_config *cfg, const char *text, const char **bad)
{
	size_t vlen;

	for (const char *s = text; s && *s;) {
		while (is_space(*s))
			s++;
		size_t n = word_len(s);
		bool ok = true;
		if (starts(s, n, "ip=", &vlen))
			ok = parse_ip_word(s + 3, vlen, cfg);
		else if (starts(s, n, "netmask=", &vlen))
			ok = parse_ip(s + 8, vlen, &cfg->netmask);
		else if (starts(s, n, "gw=", &vlen))
			ok = parse_ip(s + 3, vlen, &cfg->gateway);
		else if (starts(s, n, "mac=", &vlen))
			ok = parse_mac(s + 4, vlen, cfg->mac);
		if (!ok) {
			if (bad)
				*bad = s;
			return -22; /* TCPIP_EINVAL */
		}
		s += n;
	}
	return 0;
}
