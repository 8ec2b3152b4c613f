/*
 * The web root linked into httpd (a ustar archive, see main.c). WWW_TAR
 * is its path, given by apps/net.mk. tar_find reads headers in place, so
 * the archive is 512-byte aligned like the blocks it is made of.
 */
	.section .rodata
	.balign 512
	.globl httpd_www_tar, httpd_www_tar_end
httpd_www_tar:
	.incbin WWW_TAR
httpd_www_tar_end:
	.section .note.GNU-stack, "", @progbits
