/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of KVM_CREATE_SPAPR_TCE_IOMMU (book3s_64_tce_iommu.c and
 * book3s_64_tce_vm.c): a group bound to a LIOBN, a group unbound (its
 * binding closed, or revoked because the group's last device went away),
 * each way a TCE hypercall for a LIOBN can go (served in the kernel in
 * virtual mode, or handed to userspace), and, for a change of entries, the
 * invalidation of each table's TCE cache and each old mapping released
 * after it. Virtual mode only: nothing is traced with the MMU off.
 */
#if !defined(_TRACE_KVM_TCE_IOMMU_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_KVM_TCE_IOMMU_H

#include <linux/tracepoint.h>
#include <asm/hvcall.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvm_tce_iommu

TRACE_EVENT(kvm_tce_iommu_bind,
	    TP_PROTO(u64 liobn, int group, u32 page_shift, u64 offset,
		     u64 size, bool v2, bool first),
	    TP_ARGS(liobn, group, page_shift, offset, size, v2, first),
	    TP_STRUCT__entry(__field(u64, liobn)
			     __field(int, group)
			     __field(u32, page_shift)
			     __field(u64, offset)
			     __field(u64, size)
			     __field(bool, v2)
			     __field(bool, first)),
	    TP_fast_assign(__entry->liobn = liobn;
			   __entry->group = group;
			   __entry->page_shift = page_shift;
			   __entry->offset = offset;
			   __entry->size = size;
			   __entry->v2 = v2;
			   __entry->first = first;),
	    TP_printk("liobn=0x%llx group=%d page_shift=%u offset=0x%llx size=0x%llx container=%s first=%d",
		      __entry->liobn, __entry->group, __entry->page_shift,
		      __entry->offset, __entry->size,
		      __entry->v2 ? "v2" : "v1", __entry->first)
);

TRACE_EVENT(kvm_tce_iommu_unbind,
	    TP_PROTO(u64 liobn, int group, bool revoked, bool last),
	    TP_ARGS(liobn, group, revoked, last),
	    TP_STRUCT__entry(__field(u64, liobn)
			     __field(int, group)
			     __field(bool, revoked)
			     __field(bool, last)),
	    TP_fast_assign(__entry->liobn = liobn;
			   __entry->group = group;
			   __entry->revoked = revoked;
			   __entry->last = last;),
	    TP_printk("liobn=0x%llx group=%d why=%s last=%d",
		      __entry->liobn, __entry->group,
		      __entry->revoked ? "revoked" : "closed", __entry->last)
);

DECLARE_EVENT_CLASS(kvm_tce_iommu_hcall_class,
		    TP_PROTO(int vcpu_id, unsigned long req, unsigned long liobn,
			     unsigned long ioba, unsigned long arg,
			     unsigned long npages, long ret),
		    TP_ARGS(vcpu_id, req, liobn, ioba, arg, npages, ret),
		    TP_STRUCT__entry(__field(int, vcpu_id)
				     __field(unsigned long, req)
				     __field(unsigned long, liobn)
				     __field(unsigned long, ioba)
				     __field(unsigned long, arg)
				     __field(unsigned long, npages)
				     __field(long, ret)),
		    TP_fast_assign(__entry->vcpu_id = vcpu_id;
				   __entry->req = req;
				   __entry->liobn = liobn;
				   __entry->ioba = ioba;
				   __entry->arg = arg;
				   __entry->npages = npages;
				   __entry->ret = ret;),
		    TP_printk("vcpu=%d %s liobn=0x%lx ioba=0x%lx arg=0x%lx npages=%lu ret=%s",
			      __entry->vcpu_id,
			      __print_symbolic(__entry->req,
					       { H_PUT_TCE, "H_PUT_TCE" },
					       { H_PUT_TCE_INDIRECT, "H_PUT_TCE_INDIRECT" },
					       { H_STUFF_TCE, "H_STUFF_TCE" },
					       { H_GET_TCE, "H_GET_TCE" }),
			      __entry->liobn, __entry->ioba, __entry->arg,
			      __entry->npages,
			      __print_symbolic(__entry->ret,
					       { H_SUCCESS, "H_SUCCESS" },
					       { H_PARAMETER, "H_PARAMETER" },
					       { H_HARDWARE, "H_HARDWARE" },
					       { H_TOO_HARD, "H_TOO_HARD" }))
);

/* Served by book3s_64_tce_iommu.c in virtual mode; ret: what the guest got */
DEFINE_EVENT(kvm_tce_iommu_hcall_class, kvm_tce_iommu_hcall_vm,
	     TP_PROTO(int vcpu_id, unsigned long req, unsigned long liobn,
		      unsigned long ioba, unsigned long arg,
		      unsigned long npages, long ret),
	     TP_ARGS(vcpu_id, req, liobn, ioba, arg, npages, ret)
);

/* Handed to userspace (KVM_EXIT_PAPR_HCALL); ret is H_TOO_HARD */
DEFINE_EVENT(kvm_tce_iommu_hcall_class, kvm_tce_iommu_hcall_user,
	     TP_PROTO(int vcpu_id, unsigned long req, unsigned long liobn,
		      unsigned long ioba, unsigned long arg,
		      unsigned long npages, long ret),
	     TP_ARGS(vcpu_id, req, liobn, ioba, arg, npages, ret)
);

/* A table's TCE cache invalidated for [entry, entry + npages) */
TRACE_EVENT(kvm_tce_iommu_kill,
	    TP_PROTO(u64 liobn, unsigned long first, unsigned long npages),
	    TP_ARGS(liobn, first, npages),
	    TP_STRUCT__entry(__field(u64, liobn)
			     __field(unsigned long, entry)
			     __field(unsigned long, npages)),
	    TP_fast_assign(__entry->liobn = liobn;
			   __entry->entry = first;
			   __entry->npages = npages;),
	    TP_printk("liobn=0x%llx entry=0x%lx npages=%lu",
		      __entry->liobn, __entry->entry, __entry->npages)
);

/* What a table's entry held before a change given back (unpinned/uncounted) */
TRACE_EVENT(kvm_tce_iommu_release,
	    TP_PROTO(u64 liobn, unsigned long index),
	    TP_ARGS(liobn, index),
	    TP_STRUCT__entry(__field(u64, liobn)
			     __field(unsigned long, entry)),
	    TP_fast_assign(__entry->liobn = liobn;
			   __entry->entry = index;),
	    TP_printk("liobn=0x%llx entry=0x%lx", __entry->liobn, __entry->entry)
);

#endif /* _TRACE_KVM_TCE_IOMMU_H */

#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace_tce_iommu

#include <trace/define_trace.h>
