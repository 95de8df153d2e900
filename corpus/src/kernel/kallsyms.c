// SPDX-License-Identifier: MIT
/*
 * kernel/kallsyms.c, reduced: expands a symbol name from the compressed
 * tables and looks a name up. The tables are weak references: the first
 * trial link has no table object and they resolve to 0.
 */
#include <linux/kernel_api.h>

extern const int kallsyms_offsets[] __weak;
extern const unsigned long kallsyms_relative_base __weak;
extern const unsigned int kallsyms_num_syms __weak;
extern const unsigned char kallsyms_names[] __weak;
extern const unsigned int kallsyms_markers[] __weak;
extern const char kallsyms_token_table[] __weak;
extern const unsigned short kallsyms_token_index[] __weak;
extern const unsigned char kallsyms_seqs_of_names[] __weak;

static __noinline unsigned int kallsyms_expand_symbol(unsigned int off, char *result, unsigned long maxlen)
{
	const unsigned char *data = &kallsyms_names[off];
	unsigned int len = *data++;
	if (len & 0x80) {
		len = (len & 0x7f) | (*data << 7);
		data++;
	}
	off += len + 1 + (len > 0x7f);
	while (len--) {
		const char *tok = &kallsyms_token_table[kallsyms_token_index[*data++]];
		while (*tok && maxlen > 1) {
			*result++ = *tok++;
			maxlen--;
		}
	}
	*result = 0;
	return off;
}

static __noinline int kallsyms_name_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

__noinline unsigned long kallsyms_sym_address(int idx)
{
	return kallsyms_relative_base + (unsigned int)kallsyms_offsets[idx];
}

__noinline unsigned long kallsyms_lookup_name(const char *name)
{
	char namebuf[512];
	unsigned int off = 0;
	if (!&kallsyms_num_syms)
		return 0;
	for (unsigned int i = 0; i < kallsyms_num_syms; i++) {
		off = kallsyms_expand_symbol(off, namebuf, sizeof(namebuf));
		if (kallsyms_name_equal(namebuf + 1, name))
			return kallsyms_sym_address(i);
	}
	return 0;
}

__noinline unsigned int kallsyms_marker_for(unsigned int idx)
{
	return kallsyms_markers[idx >> 8] + kallsyms_seqs_of_names[0];
}
