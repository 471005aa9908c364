// ./deed shell: jshell with Deed on the module path and a booted kernel at hand.
import dev.deed.kernel.boot.*;
import dev.deed.kernel.soak.Session;
import dev.deed.process.*;
import dev.deed.frame.*;

/** The kernel of this shell: riscv64 with 256 MiB; init runs what you pass to run(...). */
Session deed = Session.boot(KernelConfig.defaults());

/** Runs call as init (children it forks run too) and returns its result. */
<T> T run(Session.Call<T> call) { return deed.run(call); }

/** Prints a /proc file as init sees it. */
void proc(String path) { System.out.print(deed.proc(path)); }

/** Prints what the kernel holds against right after boot. */
void report() { System.out.print(deed.report()); }

System.out.println("Deed: a riscv64 kernel with 256 MiB is booted as `deed`; init runs run(sys -> …).");
System.out.println("      Try: int child = run(sys -> sys.fork(c -> c.exit(7)));  proc(\"/proc/\" + child + \"/status\");");
System.out.println("           run(sys -> sys.waitpid(child));  report();  /exit");
