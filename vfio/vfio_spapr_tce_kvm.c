// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO sPAPR TCE: what KVM needs to bind a guest LIOBN to a group.
 *
 * KVM_CREATE_SPAPR_TCE_IOMMU hands KVM a VFIO group file. KVM asks here
 * whether the group is attached to an sPAPR TCE container, who owns that
 * container and whether its memory is accounted (v1 enabled, v2
 * preregistered), and gets the table of the window it serves, claimed for
 * its owner (iommu_table_kvm_claim()): while claimed, the container
 * refuses MAP_DMA and UNMAP_DMA into that table, its removal, DISABLE and
 * UNREGISTER_MEMORY with -EBUSY. While KVM serves the guest's TCEs into the
 * table it holds a container user on the group, exactly as an open device
 * does: VFIO_GROUP_UNSET_CONTAINER fails with -EBUSY and the container, its
 * tables and its accounting stay until KVM lets go.
 *
 * One thing takes the container away regardless: the group's last device
 * going away (its driver unbound), which detaches the group from its
 * container. Before that happens, every KVM user of the group is revoked:
 * its ->revoke() callback undoes its mappings, then its claim and its
 * container user are dropped here.
 *
 * Locking: the registered users are on kvm_users, under kvm_users_lock,
 * which nests inside the group's group_lock. A user is taken off the list,
 * and its container user dropped, either by vfio_file_spapr_tce_kvm_put()
 * or by vfio_group_spapr_tce_kvm_revoke(), both under the group's
 * group_lock, so exactly one of them does it.
 */
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/vfio.h>

#include "vfio.h"

static LIST_HEAD(kvm_users);
static DEFINE_MUTEX(kvm_users_lock);

/**
 * vfio_file_spapr_tce_kvm_get - take a group's container for KVM
 * @file: a VFIO group file
 * @info: ->revoke, ->owner and the window (->page_shift, ->offset,
 *	->size) set by the caller; filled on success; release with
 *	vfio_file_spapr_tce_kvm_put()
 *
 * Return: 0; -EBADF when @file is not a VFIO group; -EINVAL when the group
 * has no container, the container has no IOMMU set or is not sPAPR TCE, or
 * has no such window; -EBUSY when the group already serves a binding, or
 * the window's table is claimed for another owner or attached to an
 * emulated table; an error of the
 * container's default window creation.
 */
int vfio_file_spapr_tce_kvm_get(struct file *file,
				struct vfio_spapr_tce_kvm_info *info)
{
	struct vfio_group *group = vfio_group_from_file(file);
	struct vfio_spapr_tce_kvm_info *other;
	int ret;

	if (!group)
		return -EBADF;

	if (WARN_ON(!info->revoke))
		return -EINVAL;
	info->iommu_group = NULL;
	info->mm = NULL;
	info->v2 = false;
	info->enabled = false;
	info->prereg = false;
	info->group = NULL;
	info->tbl = NULL;
	mutex_lock(&group->group_lock);
	if (!group->container || !group->iommu_group) {
		pr_debug("vfio: group has no container (VFIO_GROUP_SET_CONTAINER)\n");
		ret = -EINVAL;
		goto out;
	}
	ret = -EBUSY;
	mutex_lock(&kvm_users_lock);
	list_for_each_entry(other, &kvm_users, node)
		if (other->group == group)
			goto busy;	/* a group serves one binding */
	mutex_unlock(&kvm_users_lock);
	ret = vfio_container_spapr_tce_kvm_info(group, info);
	if (ret) {
		pr_debug("vfio: the group's container is not an sPAPR TCE one (%d)\n",
			 ret);
		goto out;
	}
	ret = vfio_group_use_container(group);
	if (ret) {
		vfio_container_spapr_tce_kvm_release(group, info);
		goto out;
	}
	info->iommu_group = group->iommu_group;
	iommu_group_ref_get(info->iommu_group);
	info->group = group;
	mutex_lock(&kvm_users_lock);
	list_add_tail(&info->node, &kvm_users);
	mutex_unlock(&kvm_users_lock);
out:
	mutex_unlock(&group->group_lock);
	return ret;
busy:
	mutex_unlock(&kvm_users_lock);
	mutex_unlock(&group->group_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_file_spapr_tce_kvm_get);

/**
 * vfio_file_spapr_tce_kvm_put - let go of what vfio_file_spapr_tce_kvm_get() took
 * @file: the same VFIO group file
 * @info: as filled by vfio_file_spapr_tce_kvm_get(), revoked or not
 */
void vfio_file_spapr_tce_kvm_put(struct file *file,
				 struct vfio_spapr_tce_kvm_info *info)
{
	struct vfio_group *group = vfio_group_from_file(file);

	if (WARN_ON(!group))
		return;

	mutex_lock(&group->group_lock);
	mutex_lock(&kvm_users_lock);
	if (info->group) {		/* not revoked */
		list_del(&info->node);
		info->group = NULL;
		vfio_container_spapr_tce_kvm_release(group, info);
		vfio_group_unuse_container(group);
	}
	mutex_unlock(&kvm_users_lock);
	mutex_unlock(&group->group_lock);
	iommu_group_put(info->iommu_group);
	info->iommu_group = NULL;
}
EXPORT_SYMBOL_GPL(vfio_file_spapr_tce_kvm_put);

/**
 * vfio_group_spapr_tce_kvm_revoke - make KVM let go of a group's container
 * @group: a group about to be detached from its container
 *
 * Each KVM user of @group undoes its mappings in ->revoke(); its container
 * user is dropped here. Called with @group's group_lock held.
 */
void vfio_group_spapr_tce_kvm_revoke(struct vfio_group *group)
{
	struct vfio_spapr_tce_kvm_info *info, *tmp;
	LIST_HEAD(revoked);

	lockdep_assert_held(&group->group_lock);
	mutex_lock(&kvm_users_lock);
	list_for_each_entry_safe(info, tmp, &kvm_users, node)
		if (info->group == group)
			list_move_tail(&info->node, &revoked);
	mutex_unlock(&kvm_users_lock);

	list_for_each_entry_safe(info, tmp, &revoked, node) {
		info->revoke(info);
		list_del(&info->node);
		info->group = NULL;
		vfio_container_spapr_tce_kvm_release(group, info);
		vfio_group_unuse_container(group);
	}
}
