/*
 * Physical <-> virtual through the direct map (all RAM at EXO_DIRECT_MAP,
 * set up by the loader and rebuilt by mm/kvm.c with the same layout).
 */
#ifndef MM_PHYS_H
#define MM_PHYS_H

#include <stdint.h>

#include <exo/bootinfo.h>

static inline void *pa2va(uint64_t pa)
{
	return (void *)(pa + EXO_DIRECT_MAP);
}

static inline uint64_t va2pa(const void *va)
{
	return (uint64_t)va - EXO_DIRECT_MAP;
}

#endif /* MM_PHYS_H */
