/*
 * Text form of a translated filter, one atom a line, for the bpf2dpf tool
 * and for test failure messages:
 *   path 1:
 *     [12:2] == 0x800
 *     base = ([14:1] & 0xf) << 2
 *     [base+14:2] == 0x50
 */
#include <stdio.h>

#include "bpf2dpf.h"

static const char *const cmp_text[] = {
	[DPF_EQ] = "==", [DPF_NE] = "!=", [DPF_LT] = "<", [DPF_LE] = "<=",
	[DPF_GT] = ">", [DPF_GE] = ">=", [DPF_SET] = "&",
};

static void field(FILE *fp, const struct dpf_atom *a)
{
	if (a->width == DPF_W_LEN) {
		fprintf(fp, "len");
		return;
	}
	fprintf(fp, "[%s%u:%u]", a->flags & DPF_F_REL ? "base+" : "",
		a->offset, a->width);
}

void b2d_print_atom(FILE *fp, const struct dpf_atom *a)
{
	uint32_t full = a->width == DPF_W8 ? 0xff : a->width == DPF_W16 ?
			0xffff : 0xffffffffu;

	switch (a->op) {
	case DPF_OP_CMP:
		field(fp, a);
		if (a->mask != full)
			fprintf(fp, " & 0x%x", a->mask);
		if (a->cmp == DPF_SET)
			fprintf(fp, " != 0");
		else if (a->cmp <= DPF_SET)
			fprintf(fp, " %s 0x%x", cmp_text[a->cmp], a->value);
		break;
	case DPF_OP_SHIFT:
		fprintf(fp, "base = %s(", a->flags & DPF_F_REL ? "base + " : "");
		field(fp, a);
		fprintf(fp, " & 0x%x) << %u", a->mask, a->shift);
		if (a->value)
			fprintf(fp, " + %u", a->value);
		break;
	default:
		fprintf(fp, "base = %s%u", a->flags & DPF_F_REL ? "base + " : "",
			a->value);
		break;
	}
}

void b2d_print(FILE *fp, const struct dpf_filter *f)
{
	const struct dpf_atom *a = f->atoms;
	unsigned p, i;

	if (!f->npaths)
		fprintf(fp, "(no path accepts: matches nothing)\n");
	for (p = 0; p < f->npaths; p++) {
		fprintf(fp, "path %u:\n", p + 1);
		for (i = 0; i < f->natoms[p]; i++, a++) {
			fprintf(fp, "  ");
			b2d_print_atom(fp, a);
			fprintf(fp, "\n");
		}
	}
}
