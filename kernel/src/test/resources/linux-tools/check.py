"""Reads a /proc tree that `deed proc --tree` wrote with Linux's own tools, and checks their answers.

Run as pid 1 of private pid and mount namespaces (`unshare --mount --pid --fork`):
  1. psutil (Debian's python3-psutil) with PROCFS_PATH pointed at the tree. Placeholder processes
     fill the namespace's pids up to Deed's highest, because a few psutil calls (nice, CPU affinity,
     I/O priority) are syscalls on the pid rather than /proc reads.
  2. the tree bound over /proc in this mount namespace (never the machine's real /proc), and
     procps-ng's ps, top, free, vmstat, uptime, pmap and slabtop run against it, each as pid 1 of a
     nested pid namespace (procps looks itself up in /proc; pid 1 there is Deed's init).
Every tool must succeed and print Deed's numbers. Prints one line per check; exit status 1 if any failed.
"""
import os, re, signal, subprocess, sys

tree = sys.argv[1]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def text(path):
    with open(os.path.join(tree, path)) as f:
        return f.read()


def kb(field, content):
    m = re.search(r"^" + re.escape(field) + r":\s+(\d+)", content, re.M)
    return int(m.group(1)) if m else None


meminfo = text("meminfo")
pids = sorted(int(d) for d in os.listdir(tree) if d.isdigit())
btime = int(re.search(r"^btime (\d+)", text("stat"), re.M).group(1))

placeholders = []
while pids and (not placeholders or placeholders[-1] < max(pids)):
    child = os.fork()
    if child == 0:
        signal.pause()
        os._exit(0)
    placeholders.append(child)

import psutil  # noqa: E402  (after the placeholders: psutil's import must not see them as anything special)
psutil.PROCFS_PATH = tree

vm = psutil.virtual_memory()
check(vm.total == kb("MemTotal", meminfo) * 1024, "psutil virtual_memory().total = MemTotal (%d)" % vm.total)
check(vm.free == kb("MemFree", meminfo) * 1024, "psutil virtual_memory().free = MemFree")
check(vm.available == kb("MemAvailable", meminfo) * 1024, "psutil virtual_memory().available = MemAvailable")
check(psutil.pids() == pids, "psutil pids() = the tree's pids %s" % pids)
cpu_lines = [l for l in text("stat").splitlines() if re.match(r"cpu\d", l)]
check(len(psutil.cpu_times(percpu=True)) == len(cpu_lines) == text("cpuinfo").count("processor\t:"),
      "psutil cpu_times(percpu=True) has /proc/stat's %d cpu lines, one per cpuinfo entry" % len(cpu_lines))

rss_total = 0
pss_total = 0
for pid in pids:
    stat = text("%d/stat" % pid)
    fields = stat[stat.rindex(")") + 2:].split()
    status = text("%d/status" % pid)
    p = psutil.Process(pid)
    d = p.as_dict()
    check(d["pid"] == pid, "pid %d: as_dict() answers every attribute" % pid)
    check(p.name() == stat[stat.index("(") + 1:stat.rindex(")")], "pid %d: name() = stat's comm" % pid)
    check(p.ppid() == int(fields[1]), "pid %d: ppid() = %s" % (pid, fields[1]))
    expected_status = {"R": "running", "S": "sleeping", "Z": "zombie"}[fields[0]]
    check(p.status() == expected_status, "pid %d: status() = %s" % (pid, expected_status))
    check(p.num_threads() == kb("Threads", status), "pid %d: num_threads() = status Threads" % pid)
    rss = (kb("VmRSS", status) or 0) * 1024
    rss_total += rss
    check(p.memory_info().rss == rss, "pid %d: memory_info().rss = VmRSS" % pid)
    full = p.memory_full_info()
    if "Z (zombie)" in status:
        check(full.uss == full.pss == rss == 0, "pid %d: memory_full_info() of a zombie is empty" % pid)
    else:
        rollup = text("%d/smaps_rollup" % pid)
        uss = (kb("Private_Clean", rollup) + kb("Private_Dirty", rollup)) * 1024
        pss = kb("Pss", rollup) * 1024
        pss_total += pss
        check(full.uss == uss and full.pss == pss and uss <= pss <= rss,
              "pid %d: memory_full_info() uss %d <= pss %d <= rss %d, as smaps_rollup says" % (pid, uss, pss, rss))
    cmdline = text("%d/cmdline" % pid)
    check(p.cmdline() == (cmdline[:-1].split("\0") if cmdline else []), "pid %d: cmdline() = the NUL-separated file" % pid)
    maps = text("%d/maps" % pid).splitlines()
    check(len(p.memory_maps(grouped=False)) == len(maps), "pid %d: memory_maps() has maps' %d mappings" % (pid, len(maps)))
    check(sorted(t.id for t in p.threads()) == sorted(int(t) for t in os.listdir(os.path.join(tree, "%d/task" % pid))),
          "pid %d: threads() = the task directory" % pid)
    check(abs(p.create_time() - (btime + int(fields[19]) / 100)) < 1e-6, "pid %d: create_time() = btime + starttime" % pid)
    times = p.cpu_times()
    check(round(times.user * 100) == int(fields[11]) and round(times.system * 100) == int(fields[12]),
          "pid %d: cpu_times() = stat's utime and stime" % pid)
anon = kb("AnonPages", meminfo) * 1024
# Pss divides each shared page among its sharers: the sum is the frames themselves, give or take a kB per process of rounding
check(abs(pss_total - anon) <= 1024 * len(pids) and rss_total >= anon,
      "the processes' Pss adds up to AnonPages (%d kB of %d kB), their RSS (%d kB) counts shared pages in each sharer"
      % (pss_total // 1024, anon // 1024, rss_total // 1024))

for child in placeholders:
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)

# ---- procps, with the tree bound over /proc in this private mount namespace ----
subprocess.run(["mount", "--make-rprivate", "/"], check=True)
subprocess.run(["mount", "--bind", tree, "/proc"], check=True)


def run(*argv):
    # procps looks itself up in /proc by its own pid: it runs as pid 1 of a nested pid namespace, which is
    # Deed's init in the tree (init is alive whenever the tree is written)
    r = subprocess.run(["unshare", "--pid", "--fork"] + list(argv), capture_output=True, text=True)
    check(r.returncode == 0, "%s exits 0%s" % (" ".join(argv), "" if r.returncode == 0 else ": " + r.stderr.strip()))
    return r.stdout


statuses = {pid: text("%d/status" % pid) for pid in pids}
live = [pid for pid in pids if "Z (zombie)" not in statuses[pid]]

aux = run("ps", "aux").splitlines()
check(len(aux) == len(pids) + 1, "ps aux lists every process (%d)" % len(pids))
for line in run("ps", "-eo", "pid=,rss=,vsz=,stat=").splitlines():
    pid, rss, vsz, st = line.split()[:4]
    check(int(rss) == (kb("VmRSS", statuses[int(pid)]) or 0) and int(vsz) == (kb("VmSize", statuses[int(pid)]) or 0),
          "ps: pid %s RSS and VSZ = status VmRSS and VmSize" % pid)
threads = sum(len(os.listdir(os.path.join(tree, "%d/task" % pid))) for pid in pids)
check(len(run("ps", "-eLf").splitlines()) == threads + 1, "ps -eLf lists every thread (%d)" % threads)

top = run("top", "-b", "-n1")
counts = {c: sum(1 for pid in pids if re.search(r"^State:\t" + c, statuses[pid], re.M)) for c in "RSZ"}
check(re.search(r"Tasks: +%d total, +%d running, +%d sleeping, +0 stopped, +%d zombie" % (len(pids), counts["R"], counts["S"], counts["Z"]),
                top) is not None, "top -b -n1: Tasks line = %d total, %s" % (len(pids), counts))

free = run("free", "-k").splitlines()[1].split()
check([int(free[1]), int(free[3]), int(free[6])] == [kb("MemTotal", meminfo), kb("MemFree", meminfo), kb("MemAvailable", meminfo)],
      "free -k: total, free, available = meminfo's")
vmstat = run("vmstat").splitlines()[2].split()
check(int(vmstat[3]) == kb("MemFree", meminfo), "vmstat: free = MemFree")
check("load average" in run("uptime"), "uptime prints the load average")
for pid in live:
    total = run("pmap", "-x", str(pid)).splitlines()[-1].split()
    check(int(total[3]) == kb("VmRSS", statuses[pid]), "pmap -x %d: total RSS = VmRSS" % pid)
check("kmalloc-" in run("slabtop", "--once"), "slabtop --once lists the kernel heap's size classes")

print("%d checks failed" % len(failures) if failures else "all checks passed")
sys.exit(1 if failures else 0)
