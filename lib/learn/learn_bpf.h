/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between learn.bpf.c (the kernel side) and ebpf.c. */
#ifndef SECLUDE_LEARN_BPF_H
#define SECLUDE_LEARN_BPF_H

#define LEARN_MAX_NR 1024
/* Slots: the native ABI, then x86's two others (i386 compat, x32). */
#define LEARN_SLOT_NATIVE 0
#define LEARN_SLOT_I386 1
#define LEARN_SLOT_X32 2
#define LEARN_SLOTS 3
#define LEARN_ENTRIES (LEARN_SLOTS * LEARN_MAX_NR)
#define LEARN_MAX_ARGVALS 4096

struct learn_argkey {
	unsigned int entry;       /* slot * LEARN_MAX_NR + nr */
	unsigned int index;       /* which argument */
	unsigned long long value;
};

#endif
