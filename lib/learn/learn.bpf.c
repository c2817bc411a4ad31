// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Count the syscalls of one cgroup v2 subtree, per ABI, in the kernel: no
 * event per call reaches user space.  Attached to the raw sys_enter
 * tracepoint through BTF (tp_btf), or as a raw tracepoint where BTF
 * tracing is refused; neither needs tracefs.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "learn_bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set after load, when the traced tree has its cgroup; 0: count nothing. */
__u64 target_cgid SEC(".data") = 0;
__u32 target_level SEC(".data") = 0;

/* Set before load. */
const volatile __s64 arm_nr_seccomp = -1;   /* native numbers of the calls that load a filter */
const volatile __s64 arm_nr_prctl = -1;
const volatile __u32 want_args = 0;
const volatile __u8 arg_index[LEARN_ENTRIES] = {};  /* 0: none, else argument + 1 */

/* Written by the program, read by user space through the mmapped .bss. */
__u32 armed = 0;
__u8 seen[LEARN_ENTRIES] = {};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LEARN_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LEARN_MAX_ARGVALS);
	__type(key, struct learn_argkey);
	__type(value, __u64);
} argvals SEC(".maps");

#define TS_COMPAT 0x0002           /* arch/x86/include/asm/thread_info.h */
#define X32_SYSCALL_BIT 0x40000000
#define PR_SET_SECCOMP 22
#define SECCOMP_MODE_FILTER 2

static __always_inline __u64 syscall_arg(struct pt_regs *regs, __u32 slot, __u32 i)
{
#if defined(__TARGET_ARCH_x86)
	if (slot == LEARN_SLOT_I386) {
		switch (i) {
		case 0: return BPF_CORE_READ(regs, bx);
		case 1: return BPF_CORE_READ(regs, cx);
		case 2: return BPF_CORE_READ(regs, dx);
		case 3: return BPF_CORE_READ(regs, si);
		case 4: return BPF_CORE_READ(regs, di);
		default: return BPF_CORE_READ(regs, bp);
		}
	}
	switch (i) {
	case 0: return BPF_CORE_READ(regs, di);
	case 1: return BPF_CORE_READ(regs, si);
	case 2: return BPF_CORE_READ(regs, dx);
	case 3: return BPF_CORE_READ(regs, r10);
	case 4: return BPF_CORE_READ(regs, r8);
	default: return BPF_CORE_READ(regs, r9);
	}
#else
	return 0;
#endif
}

static __always_inline __u32 current_slot(long *id, bool btf)
{
#if defined(__TARGET_ARCH_x86)
	struct task_struct *task = bpf_get_current_task_btf();
	/* tp_btf may load through the trusted pointer; a raw tracepoint reads with a helper */
	__u32 status = 0;
	if (bpf_core_field_exists(task->thread_info.status))
		status = btf ? task->thread_info.status : BPF_CORE_READ(task, thread_info.status);
	if (status & TS_COMPAT)
		return LEARN_SLOT_I386;
	if (*id & X32_SYSCALL_BIT) {
		*id &= ~(long)X32_SYSCALL_BIT;
		return LEARN_SLOT_X32;
	}
#endif
	return LEARN_SLOT_NATIVE;
}

static __always_inline int on_enter(struct pt_regs *regs, long id, bool btf)
{
	__u64 cgid = target_cgid;
	if (!cgid || bpf_get_current_ancestor_cgroup_id(target_level) != cgid)
		return 0;
	__u32 slot = current_slot(&id, btf);
	if (!armed) {
		/* The filter load is the start line; the call itself is not counted. */
		if (slot == LEARN_SLOT_NATIVE &&
		    (id == arm_nr_seccomp ||
		     (id == arm_nr_prctl && syscall_arg(regs, slot, 0) == PR_SET_SECCOMP &&
		      syscall_arg(regs, slot, 1) == SECCOMP_MODE_FILTER)))
			armed = 1;
		return 0;
	}
	if (id < 0 || id >= LEARN_MAX_NR)
		return 0;
	__u32 entry = slot * LEARN_MAX_NR + (__u32)id;
	if (entry >= LEARN_ENTRIES)
		return 0;
	__u64 *c = bpf_map_lookup_elem(&counts, &entry);
	if (c)
		*c += 1;
	/* Bounds the verifier can follow: entry went through the stack for the lookup. */
	__u32 at = ((__u32)id & (LEARN_MAX_NR - 1)) + (slot & 3) * LEARN_MAX_NR;
	if (at >= LEARN_ENTRIES)
		return 0;
	if (!seen[at])
		seen[at] = 1;
	if (want_args) {
		__u8 ai = arg_index[at];
		if (ai) {
			struct learn_argkey key = {
				.entry = entry,
				.index = ai - 1,
				.value = syscall_arg(regs, slot, ai - 1),
			};
			__u64 one = 1, *v = bpf_map_lookup_elem(&argvals, &key);
			if (v)
				__sync_fetch_and_add(v, 1);
			else
				bpf_map_update_elem(&argvals, &key, &one, BPF_NOEXIST);
		}
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(learn_sys_enter, struct pt_regs *regs, long id)
{
	return on_enter(regs, id, true);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(learn_sys_enter_raw, struct pt_regs *regs, long id)
{
	return on_enter(regs, id, false);
}
