package dev.deed.kernel.boot;


/**
 * Watches one workload run from outside: told when the kernel has booted and settled (before init
 * starts) and when init has been reaped and the kernel settled again (before shutdown). It may
 * attach to the machine's {@link dev.deed.frame.Probe} and read the kernel's state; it changes nothing.
 */
public interface RunObserver {
    RunObserver NONE = new RunObserver() {
        @Override
        public void booted(Kernel kernel) {
        }

        @Override
        public void ended(Kernel kernel) {
        }
    };

    void booted(Kernel kernel);

    void ended(Kernel kernel);
}
