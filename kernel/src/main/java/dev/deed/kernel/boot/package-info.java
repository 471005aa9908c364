/**
 * Booting Deed: {@link dev.deed.kernel.boot.Kernel#boot} picks the arch module by name (through
 * ServiceLoader), builds the machine, the frame allocator, the kernel page table (with the kernel
 * image mapped untracked), the heap, the scheduler, the process table and /proc, and runs init.
 */
package dev.deed.kernel.boot;
