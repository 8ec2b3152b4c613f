/*
 * The web root a parent hands to httpd or netd: initrd pages holding the
 * archive members under www/, transferred to the program before it starts
 * and mapped read-only (libos/exec.h, struct exec_pages), and one argument
 * that says where they are:
 *
 *     www=0xVA:OFFSET:LENGTH
 *
 * The pages start at VA (page-aligned); the archive span - the header of
 * the first www/ member to the end of the last one's data - starts OFFSET
 * bytes into the first page (a multiple of 512 below 4096, since the
 * parent maps from the page holding that header) and is LENGTH bytes long
 * (a multiple of 512). httpd serves the request path /x as the member
 * "www/x" of that span. See docs/apps.md.
 *
 * Parsing and the checks are pure logic (tests/apps/test_webroot.c);
 * webroot_open() is the program side.
 */
#ifndef APPS_HTTPD_WEBROOT_H
#define APPS_HTTPD_WEBROOT_H

#include <stddef.h>
#include <stdint.h>

#include "fs.h"

#define WEBROOT_KEY    "www"          /* the argument's key */
#define WEBROOT_PREFIX "www/"         /* initrd members of the web root */
#define WEBROOT_PAGE   4096UL
#define WEBROOT_MAX    (256UL << 20)  /* bytes; the initrd is far smaller */
#define WEBROOT_VA_MIN 0x0000000000010000UL  /* exo/layout.h: user load min */
#define WEBROOT_VA_END 0x00007f0000000000UL  /* exo/book.h: the book window */

struct webroot {
	uint64_t va;      /* first page */
	uint64_t offset;  /* of the first header, in the first page */
	uint64_t length;  /* of the span */
};

/*
 * Parse the value of www= into *w: 0, or -1 with *why saying what is
 * wrong (a static string). Every field is checked, so that a span that
 * passes lies inside user space, below the bookkeeping window.
 */
int webroot_parse(const char *value, struct webroot *w, const char **why);

/* The argument for w ("www=0x...:N:N") into buf: its length, or -1 if n is too small. */
int webroot_format(char *buf, size_t n, const struct webroot *w);

/* Pages the span covers. */
uint64_t webroot_pages(const struct webroot *w);

/* Where the archive span starts. */
static inline const void *webroot_tar(const struct webroot *w)
{
	return (const void *)(uintptr_t)(w->va + w->offset);
}

/*
 * How many of the initrd's frames [first, first + n) the ownership table
 * `owners` gives to `tag`: a program that received its web root holds at
 * least webroot_pages() of them.
 */
uint64_t webroot_held(const uint16_t *owners, uint32_t first, uint32_t n, uint16_t tag);

/*
 * The program side (user world, webroot_open.c): find www= in argv, check
 * it and that this env holds the initrd pages it names, check the whole
 * archive span, and set fs to serve it with WEBROOT_PREFIX as the root.
 * Returns the number of files, or -1: then fs serves nothing (every
 * request is a 404) and "<prog>: ..." on the console says why.
 */
int webroot_open(int argc, char **argv, const char *prog, struct httpd_fs *fs,
		 struct httpd_tarfs *t);

#endif /* APPS_HTTPD_WEBROOT_H */
