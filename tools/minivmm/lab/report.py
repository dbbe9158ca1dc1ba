#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge minivmm's per-machine JSON into results.json and draw one SVG per
machine: per workload, one bar per path (mean, with p50 and p99 marks), on a
log scale, since paths differ by orders of magnitude."""
import json
import math
import sys

PATHS = ["user", "kvm-table", "kvm-vfio", "iommu", "floor"]
COLOURS = {"user": "#d62728", "kvm-table": "#7f7f7f", "kvm-vfio": "#1f77b4",
           "iommu": "#2ca02c", "floor": "#9467bd"}


def svg(machine, data):
    paths = data.get("paths", {})
    wls = []
    for p in PATHS:
        for k, v in paths.get(p, {}).items():
            if isinstance(v, dict) and "mean_us" in v and k not in wls:
                wls.append(k)
    if not wls:
        return None
    vals = [v[f] for p in PATHS for k, v in paths.get(p, {}).items()
            if isinstance(v, dict) and "mean_us" in v
            for f in ("mean_us", "p50_us", "p99_us") if v[f] > 0]
    lo = 10 ** (math.floor(math.log10(min(vals))) - 1)
    hi = 10 ** math.ceil(math.log10(max(vals)))
    left, width, bar, gap = 170, 620, 9, 8
    ran = [p for p in PATHS if any(isinstance(v, dict) and "mean_us" in v
                                   for v in paths.get(p, {}).values())]
    row = bar * len(ran) + gap
    height = 60 + row * len(wls) + 60

    def x(us):
        return left + width * (math.log10(max(us, lo)) - math.log10(lo)) / \
            (math.log10(hi) - math.log10(lo))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (left + width + 40, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14">minivmm on %s: microseconds per '
           'hypercall (bar: mean; marks: p50 | p99), log scale</text>' % machine]
    d = lo
    while d <= hi * 1.0001:
        out.append('<line x1="%.1f" y1="40" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   % (x(d), x(d), height - 50))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>'
                   % (x(d), height - 36, d))
        d *= 10
    y = 48
    for w in wls:
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (left - 6, y + row / 2, w))
        for p in ran:
            v = paths.get(p, {}).get(w)
            if isinstance(v, dict) and v.get("mean_us", 0) > 0:
                out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                           % (left, y, x(v["mean_us"]) - left, bar - 1, COLOURS[p]))
                for f in ("p50_us", "p99_us"):
                    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>'
                               % (x(v[f]), y, x(v[f]), y + bar - 1))
            y += bar
        y += gap
    lx = left
    for p in ran:
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>'
                   % (lx, height - 22, COLOURS[p]))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 14, height - 13, p))
        lx += 100
    out.append('</svg>')
    return "\n".join(out) + "\n"


def main():
    out, machines = sys.argv[1], sys.argv[2:]
    merged = {"machines": {}}
    ok = True
    for m in machines:
        try:
            with open("%s/%s.json" % (out, m)) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("bench: %s: unreadable results: %s" % (m, e), file=sys.stderr)
            ok = False
            continue
        merged["machines"].update(doc.get("machines", {}))
        for name, data in doc.get("machines", {}).items():
            pic = svg(name, data)
            if pic:
                with open("%s/%s.svg" % (out, name), "w") as f:
                    f.write(pic)
    with open("%s/results.json" % out, "w") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    print("bench: %s/results.json, plots %s" % (
        out, " ".join("%s/%s.svg" % (out, m) for m in merged["machines"])))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
