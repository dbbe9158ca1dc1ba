// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's device tree, built with libfdt's sequential writer: the
 * minimum a PAPR guest needs to find its CPUs, memory, console and the DMA
 * window of its PCI host bridge, plus minivmm's benchmark plan in /chosen.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "devtree.h"

#define TRY(x) do { int __r = (x); if (__r) return __r; } while (0)

static int prop_u64s(void *fdt, const char *name, const uint64_t *v, int n)
{
	fdt64_t buf[4];
	int i;

	if (n > 4)
		return -FDT_ERR_BADVALUE;
	for (i = 0; i < n; i++)
		buf[i] = cpu_to_fdt64(v[i]);
	return fdt_property(fdt, name, buf, (int)(n * sizeof(buf[0])));
}

int build_fdt(void *buf, size_t size, const struct fdt_params *p)
{
	char name[64];
	unsigned int i;
	fdt32_t *plan;
	int rc;

	TRY(fdt_create(buf, (int)size));
	TRY(fdt_add_reservemap_entry(buf, 0, MV_GPA_SCRATCH));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, "compatible", "minivmm,papr"));
	TRY(fdt_property_string(buf, "model", "minivmm"));
	TRY(fdt_property_cell(buf, "#address-cells", 2));
	TRY(fdt_property_cell(buf, "#size-cells", 2));

	TRY(fdt_begin_node(buf, "chosen"));
	TRY(fdt_property_string(buf, "stdout-path", "/vdevice/vty@30000000"));
	plan = calloc(p->plan_cells ? p->plan_cells : 1, sizeof(*plan));
	if (!plan)
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < p->plan_cells; i++)
		plan[i] = cpu_to_fdt32(p->plan[i]);
	rc = fdt_property(buf, "minivmm,plan", plan, (int)(p->plan_cells * sizeof(*plan)));
	free(plan);
	TRY(rc);
	TRY(prop_u64s(buf, "minivmm,results", (uint64_t[]){ p->results, p->results_size }, 2));
	TRY(prop_u64s(buf, "minivmm,scratch", (uint64_t[]){ p->scratch, p->scratch_size }, 2));
	TRY(prop_u64s(buf, "minivmm,samples", (uint64_t[]){ p->sample_src, p->sample_dst }, 2));
	TRY(prop_u64s(buf, "minivmm,lists", &p->lists, 1));
	/* ibm,dma-window has no page size: a 64-bit window's is here */
	if (p->win_shift)
		TRY(fdt_property_cell(buf, "minivmm,iommu-page-shift", p->win_shift));
	TRY(fdt_end_node(buf));

	TRY(fdt_begin_node(buf, "memory@0"));
	TRY(fdt_property_string(buf, "device_type", "memory"));
	TRY(prop_u64s(buf, "reg", (uint64_t[]){ 0, p->ram }, 2));
	TRY(fdt_end_node(buf));

	TRY(fdt_begin_node(buf, "cpus"));
	TRY(fdt_property_cell(buf, "#address-cells", 1));
	TRY(fdt_property_cell(buf, "#size-cells", 0));
	for (i = 0; i < p->nvcpus; i++) {
		snprintf(name, sizeof(name), "PowerPC,POWER@%x", i);
		TRY(fdt_begin_node(buf, name));
		TRY(fdt_property_string(buf, "device_type", "cpu"));
		TRY(fdt_property_cell(buf, "reg", i));
		TRY(fdt_property_cell(buf, "ibm,ppc-interrupt-server#s", i));
		TRY(fdt_end_node(buf));
	}
	TRY(fdt_end_node(buf));

	TRY(fdt_begin_node(buf, "vdevice"));
	TRY(fdt_property_string(buf, "device_type", "vdevice"));
	TRY(fdt_property_string(buf, "compatible", "IBM,vdevice"));
	TRY(fdt_property_cell(buf, "#address-cells", 1));
	TRY(fdt_property_cell(buf, "#size-cells", 0));
	TRY(fdt_begin_node(buf, "vty@30000000"));
	TRY(fdt_property_string(buf, "name", "vty"));
	TRY(fdt_property_string(buf, "device_type", "serial"));
	TRY(fdt_property_string(buf, "compatible", "hvterm1"));
	TRY(fdt_property_cell(buf, "reg", 0x30000000));
	TRY(fdt_end_node(buf));
	TRY(fdt_end_node(buf));

	/* A PAPR PHB: the window as (LIOBN, bus address, size) in its cells */
	TRY(fdt_begin_node(buf, "pci@800000020000000"));
	TRY(fdt_property_string(buf, "device_type", "pci"));
	TRY(fdt_property_string(buf, "compatible", "IBM,Logical_PHB"));
	TRY(fdt_property_cell(buf, "#address-cells", 3));
	TRY(fdt_property_cell(buf, "#size-cells", 2));
	TRY(fdt_property_cell(buf, "#interrupt-cells", 1));
	TRY(fdt_property_cell(buf, "ibm,#dma-address-cells", 2));
	TRY(fdt_property_cell(buf, "ibm,#dma-size-cells", 2));
	{
		fdt32_t w[5] = {
			cpu_to_fdt32(p->liobn),
			cpu_to_fdt32((uint32_t)(p->win_start >> 32)),
			cpu_to_fdt32((uint32_t)p->win_start),
			cpu_to_fdt32((uint32_t)(p->win_size >> 32)),
			cpu_to_fdt32((uint32_t)p->win_size),
		};

		TRY(fdt_property(buf, "ibm,dma-window", w, sizeof(w)));
	}
	TRY(fdt_end_node(buf));

	TRY(fdt_end_node(buf));
	TRY(fdt_finish(buf));
	return 0;
}
