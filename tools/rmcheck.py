#!/usr/bin/env python3
"""rmcheck: what the real-mode TCE code calls, checked after each build.

    tools/rmcheck.py OBJTREE

OBJTREE is a kernel object tree (build/kernel/FLAVOUR) with vmlinux and
arch/powerpc/kvm/book3s_64_tce_{commit,rm}.o. Real mode runs with the MMU
off: whatever it calls must be built into the image, untraced, and must not
sleep, lock, allocate, print or fault. The check:

1. The roots are the real-mode hypercall handlers (kvmppc_tce_rm_*) and every
   function the real-mode object's data points at (its struct tce_mode).
2. From them, every direct call (bl, or a tail call b, resolved through the
   relocations) inside the two objects is followed. A call to _mcount (the
   objects were built with ftrace) or to any function outside the objects
   that is not in ALLOWED fails the check.
3. Each ALLOWED function of kind 'leaf' is disassembled from vmlinux: it
   must call nothing but other ALLOWED functions (no _mcount: notrace).
   The ones of kind 'trusted' are not followed: the reason says why.
4. Indirect calls (bctrl) go through struct tce_mode or iommu_table_ops;
   the real-mode iommu_table_ops of the powernv tables (RM_OPS) are
   checked as leaves like the others.

Exit 0 and one line of summary when clean; 1 and the offending call chains
otherwise.
"""
import os
import re
import subprocess
import sys

OBJDUMP = os.environ.get("OBJDUMP", "powerpc64le-linux-gnu-objdump")

# name: (kind, why)
ALLOWED = {
    "mm_iommu_lookup_rm": ("leaf", "lockless walk of the regions"),
    "mm_iommu_ua_to_hpa_rm": ("leaf", "hpas[] through hpas_pa[]"),
    "mm_iommu_ua_mark_dirty_rm": ("leaf", "sets a bit in hpas[]"),
    "mm_iommu_mapped_inc": ("leaf", "an atomic increment"),
    "mm_iommu_mapped_dec": ("leaf", "an atomic decrement"),
    "mm_iommu_hpa_rm": ("leaf", "a static helper of the above"),
    "iommu_direction_to_tce_perm": ("leaf", "arithmetic on a direction"),
    "iommu_tce_direction": ("leaf", "arithmetic on a TCE"),
    "memset": ("trusted", "arch/powerpc/lib/mem_64.S, assembly"),
    "memcpy": ("trusted", "arch/powerpc/lib/memcpy_64.S, assembly"),
}
# what tce_mode_rm reaches through iommu_table_ops (powernv IODA2)
RM_OPS = ["pnv_tce_xchg_rm", "pnv_tce_useraddrptr_rm",
          "pnv_pci_ioda2_tce_invalidate_rm", "pnv_pci_ioda2_realmode",
          "pnv_tce_alloc_run"]
for f in RM_OPS:
    ALLOWED[f] = ("leaf", "iommu_table_ops real-mode operation")

OBJS = ["arch/powerpc/kvm/book3s_64_tce_commit.o",
        "arch/powerpc/kvm/book3s_64_tce_rm.o"]

FUNC_RE = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")
CALL_RE = re.compile(r"\t(bl|b)\s+[0-9a-f]+\s+<([^>+]+)(\+0x[0-9a-f]+)?>")
RELOC_RE = re.compile(r"R_PPC64_REL24\s+([^\s+]+)")
ADDR_RELOC_RE = re.compile(r"R_PPC64_ADDR64\s+([^\s+]+)(\+0x([0-9a-f]+))?")
SYM_RE = re.compile(r"^([0-9a-f]+) .* F \.text\t[0-9a-f]+ (?:0x[0-9a-f]+ )?(\S+)$")


def objdump(args):
    out = subprocess.run([OBJDUMP] + args, capture_output=True, text=True)
    if out.returncode:
        sys.exit("rmcheck: %s %s failed: %s" % (OBJDUMP, " ".join(args),
                                                 out.stderr.strip()))
    return out.stdout.splitlines()


def calls_of(lines):
    """{function: (set of callees, has indirect call)} of a disassembly."""
    funcs = {}
    cur = None
    pending = None
    for line in lines:
        m = FUNC_RE.match(line)
        if m:
            cur = m.group(1)
            funcs[cur] = [set(), False]
            pending = None
            continue
        if cur is None:
            continue
        r = RELOC_RE.search(line)
        if r and pending is not None:
            funcs[cur][0].discard(pending)
            funcs[cur][0].add(r.group(1))
            pending = None
            continue
        c = CALL_RE.search(line)
        if c:
            target = c.group(2)
            if c.group(1) == "b" and target == cur:
                pending = None  # a branch inside the function
                continue
            funcs[cur][0].add(target)
            pending = target
            continue
        if "\tbctrl" in line:
            funcs[cur][1] = True
        pending = None
    return {k: (v[0], v[1]) for k, v in funcs.items()}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tree = sys.argv[1]
    local = {}
    roots = []
    for o in OBJS:
        path = os.path.join(tree, o)
        if not os.path.exists(path):
            sys.exit("rmcheck: no %s" % path)
        local.update(calls_of(objdump(["-dr", "--no-show-raw-insn", path])))
    rm_obj = os.path.join(tree, OBJS[1])
    roots = [f for f in local if f.startswith("kvmppc_tce_rm_")]
    text_funcs = {}
    for line in objdump(["-t", rm_obj]):
        m = SYM_RE.match(line)
        if m:
            text_funcs[int(m.group(1), 16)] = m.group(2)
    for line in objdump(["-r", "-j", ".data.rel.ro", rm_obj]):
        m = ADDR_RELOC_RE.search(line)
        if not m:
            continue
        name = m.group(1)
        if name == ".text":
            off = int(m.group(3), 16) if m.group(3) else 0
            if off not in text_funcs:
                sys.exit("rmcheck: %s points into .text+0x%x, no function there"
                         % (OBJS[1], off))
            name = text_funcs[off]
        if name not in roots:
            roots.append(name)
    if len([r for r in roots if r.startswith("kvmppc_tce_rm_")]) != 4:
        sys.exit("rmcheck: expected four kvmppc_tce_rm_* handlers, found %s"
                 % roots)

    errors = []
    seen = {}
    todo = [(r, [r]) for r in roots]
    externals = {}
    while todo:
        f, chain = todo.pop()
        if f in seen:
            continue
        seen[f] = chain
        if f in local:
            callees, _ = local[f]
            for c in sorted(callees):
                if c == "_mcount":
                    errors.append("%s: traced (calls _mcount)" % " -> ".join(chain))
                elif c in local:
                    todo.append((c, chain + [c]))
                elif c in ALLOWED:
                    externals.setdefault(c, chain + [c])
                else:
                    errors.append("%s: not allowed in real mode" %
                                  " -> ".join(chain + [c]))
        elif f in ALLOWED:
            externals.setdefault(f, chain)
        else:
            errors.append("%s: not allowed in real mode" % " -> ".join(chain))

    for f in RM_OPS:
        externals.setdefault(f, ["iommu_table_ops", f])
    vmlinux = os.path.join(tree, "vmlinux")
    checked = set()
    todo = [f for f in externals if ALLOWED[f][0] == "leaf"]
    while todo:
        f = todo.pop()
        if f in checked:
            continue
        checked.add(f)
        body = calls_of(objdump(["-d", "--no-show-raw-insn",
                                 "--disassemble=" + f, vmlinux]))
        if f not in body:
            errors.append("%s: not in vmlinux (real mode needs it built in)"
                          % " -> ".join(externals.get(f, [f])))
            continue
        callees, indirect = body[f]
        if indirect:
            errors.append("%s: makes an indirect call" % f)
        for c in sorted(callees):
            if c == "_mcount":
                errors.append("%s: traced (calls _mcount)" % f)
            elif c not in ALLOWED:
                errors.append("%s -> %s: not allowed in real mode" % (f, c))
            elif ALLOWED[c][0] == "leaf":
                externals.setdefault(c, externals.get(f, [f]) + [c])
                todo.append(c)

    if errors:
        print("rmcheck: real-mode code calls what it must not:")
        for e in errors:
            print("  " + e)
        return 1
    print("rmcheck: %d real-mode functions, %d outside calls, all allowed"
          % (len([f for f in seen if f in local]), len(externals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
