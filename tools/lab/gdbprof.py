#!/usr/bin/env python3
"""A sampling profiler for a lab machine, through QEMU's gdbstub.

    tools/lab/gdbprof.py [--port 1234] [--delay S] [--seconds S] [--hz N]
                         [--top N] VMLINUX

Boot the machine with LAB_QEMU_ARGS="-chardev socket,id=gdb,host=127.0.0.1,
port=1234,server=on,wait=off,nodelay=on -gdb chardev:gdb" (tools/lab/lab.sh),
run this beside it: it waits for the stub, lets the machine run, and after
--delay seconds stops it --hz times a second for --seconds, reading each
CPU's PC, LR and MSR. Each sample is charged to the kernel function its PC
lies in (vmlinux's symbols; a real-mode PC, MMU off, is the physical
address of the same text), split by the MSR into host real mode, host
virtual mode and guest. Under TCG the samples measure emulated time, the
time a lab benchmark measures: where a hypercall path spends it.
"""
import argparse
import bisect
import collections
import random
import select
import socket
import subprocess
import sys
import time

KERNEL_BASE = 0xc000000000000000
MSR_HV = 1 << 60
MSR_IR = 1 << 5
REG_PC, REG_MSR, REG_LR = 64, 65, 67


class Stub:
    """The few packets of the GDB remote protocol a sampler needs."""

    def __init__(self, port, wait):
        end = time.time() + wait
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port))
                # each small packet at once: the machine is stopped meanwhile
                self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.2)
        self.buf = b""
        self.ack = True

    def _raw(self, data):
        self.s.sendall(data)

    def _byte(self):
        while not self.buf:
            chunk = self.s.recv(4096)
            if not chunk:
                raise EOFError("the stub closed the connection")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def send(self, cmd):
        body = cmd.encode()
        self._raw(b"$%s#%02x" % (body, sum(body) & 0xff))
        if self.ack:
            while self._byte() != b"+":
                pass

    def recv(self):
        while self._byte() != b"$":
            pass
        data = b""
        while True:
            b = self._byte()
            if b == b"#":
                break
            data += b
        self._byte()
        self._byte()
        if self.ack:
            self._raw(b"+")
        return data.decode()

    def ask(self, cmd):
        self.send(cmd)
        return self.recv()

    def interrupt(self):
        self._raw(b"\x03")
        return self.recv()


def reg(stub, n):
    """A register's bytes as the stub gives them: swapped if MSR[LE]."""
    h = stub.ask("p%x" % n)
    if len(h) != 16:
        raise ValueError("register %d: %r" % (n, h))
    return bytes.fromhex(h)


def order(msr):
    """
    The byte order of the registers read with this MSR: little-endian if
    the first byte, read as MSR[LE] (bit 0), says so; in big-endian order
    that byte holds bits 63-56, whose bit 56 is reserved (0).
    """
    return "little" if msr[0] & 1 else "big"


def symbols(vmlinux):
    out = subprocess.run(["powerpc64le-linux-gnu-nm", "-n", vmlinux],
                         capture_output=True, text=True, check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            addrs.append(int(f[0], 16))
            names.append(f[2])
    return addrs, names


def lookup(syms, addr):
    addrs, names = syms
    i = bisect.bisect_right(addrs, addr) - 1
    if i < 0 or addr - addrs[i] > 0x100000:
        return None
    return names[i]


def kernel_addr(syms, x):
    """A host PC as a kernel text address (real mode: physical), or None."""
    if x >= KERNEL_BASE and lookup(syms, x):
        return x
    if x < 0x10000000 and lookup(syms, x | KERNEL_BASE):
        return x | KERNEL_BASE
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=1234)
    ap.add_argument("--wait", type=float, default=120, help="for the stub")
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--hz", type=float, default=50)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--console", help="a console log whose lines "
                    "'PROF start NAME' and 'PROF end' delimit the phases "
                    "to profile (default: all the time)")
    ap.add_argument("--detail", action="append", default=[],
                    help="a function whose samples are also shown by offset")
    ap.add_argument("vmlinux")
    a = ap.parse_args()

    syms = symbols(a.vmlinux)
    stub = Stub(a.port, a.wait)
    stub.ask("?")
    # QEMU answers "p" only to a debugger that read the target description
    stub.ask("qXfer:features:read:target.xml:0,ffb")
    stub.send("c")
    time.sleep(a.delay)

    phases = collections.OrderedDict()
    phase = None if a.console else "all"
    con = None
    end = time.time() + a.seconds
    try:
        while time.time() < end:
            if a.console and con is None:
                try:
                    con = open(a.console, "rb")
                except OSError:
                    pass
            for line in con.readlines() if con else []:
                f = line.decode(errors="replace").split()
                if len(f) >= 3 and f[0] == "PROF" and f[1] == "start":
                    phase = f[2]
                elif len(f) >= 2 and f[0] == "PROF" and f[1] == "end":
                    phase = None
            if phase is None:
                # between phases: only notice the machine going away
                if select.select([stub.s], [], [], 0.2)[0] and \
                        not stub.s.recv(4096):
                    raise EOFError("the stub closed the connection")
                continue
            ph = phases.setdefault(phase, Profile())
            time.sleep(random.uniform(0.5, 1.5) / a.hz)
            stub.interrupt()
            raw = reg(stub, REG_MSR)
            pc, lr = reg(stub, REG_PC), reg(stub, REG_LR)
            stub.send("c")
            bo = order(raw)
            msr = int.from_bytes(raw, bo)
            pc, lr = int.from_bytes(pc, bo), int.from_bytes(lr, bo)
            ph.add(syms, msr, pc, lr, a.detail)
    except (EOFError, OSError) as e:
        print("gdbprof: the machine went away (%s)" % e, file=sys.stderr)
    except KeyboardInterrupt:
        print("gdbprof: interrupted", file=sys.stderr)
    for name, ph in phases.items():
        print("== %s" % name)
        ph.report(a.top)


class Profile:
    """The samples of one phase."""

    def __init__(self):
        self.n = 0
        self.where = collections.Counter()
        self.callers = collections.Counter()
        self.kinds = collections.Counter()
        self.offsets = collections.Counter()

    def add(self, syms, msr, pc, lr, detail):
        self.n += 1
        if not msr & MSR_HV:
            self.kinds["guest"] += 1
            return
        kind = "host-virt" if msr & MSR_IR else "host-real"
        self.kinds[kind] += 1
        k = kernel_addr(syms, pc)
        name = lookup(syms, k) if k else "(not kernel text)"
        self.where[(kind, name)] += 1
        if name in detail:
            i = bisect.bisect_right(syms[0], k) - 1
            self.offsets[(name, k - syms[0][i])] += 1
        kl = kernel_addr(syms, lr)
        self.callers[(kind, name, lookup(syms, kl) if kl else "?")] += 1

    def report(self, top):
        n = max(self.n, 1)
        print("samples %d: %s" % (self.n, ", ".join(
            "%s %d (%.1f%%)" % (k, c, 100.0 * c / n)
            for k, c in self.kinds.most_common())))
        for (kind, name), c in self.where.most_common(top):
            up = ["%s %d" % (cl, cc)
                  for (k2, n2, cl), cc in self.callers.most_common()
                  if k2 == kind and n2 == name][:3]
            print("%6d %5.1f%% %-9s %-40s <- %s" % (
                c, 100.0 * c / n, kind, name, ", ".join(up)))
        for (name, off), c in sorted(self.offsets.items()):
            print("%6d        %s+0x%x" % (c, name, off))


if __name__ == "__main__":
    main()
