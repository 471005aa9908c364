package dev.deed.process;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.OutOfFramesException;
import dev.deed.paging.spi.PagingFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The exec loader: checks a program and builds its image in a fresh address space — every segment
 * and the user stack, zero-filled — all or nothing. The process it is for is not touched; exec swaps
 * the image in only once it is complete.
 */
final class ExecLoader {
    /** Largest user stack a program may ask for. */
    static final long MAX_STACK = 64L << 20;

    private final PagingFormat format;
    private final FrameAllocator frames;

    ExecLoader(PagingFormat format, FrameAllocator frames) {
        this.format = format;
        this.frames = frames;
    }

    /**
     * A new address space holding {@code program}'s image, for process {@code pid}.
     *
     * @throws SyscallException     ENOEXEC if the program is malformed (nothing allocated)
     * @throws OutOfFramesException no memory for the image (everything taken is given back)
     */
    AddressSpace load(Program program, int pid) throws OutOfFramesException {
        validate(program);
        AddressSpace space = AddressSpace.create(format, frames, pid);
        try {
            for (Program.Segment s : program.segments()) {
                space.mapArea(s.base(), s.size(), s.rights(), s.name());
            }
            long stackTop = space.top() - AddressSpace.PAGE; // a guard page at the top of user space
            space.mapArea(stackTop - program.stackSize(), program.stackSize(), Rights.RW, "[stack]");
        } catch (RuntimeException refused) {
            space.destroy().flush();
            throw refused;
        }
        return space;
    }

    private static void validate(Program program) {
        if (program.name().isBlank() || program.argv().isEmpty()) {
            throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "' needs a name and an argv[0]");
        }
        if (program.stackSize() <= 0 || program.stackSize() % AddressSpace.PAGE != 0 || program.stackSize() > MAX_STACK) {
            throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "': stack size " + program.stackSize()
                    + " must be a positive multiple of 4096 up to 64 MiB");
        }
        List<Program.Segment> sorted = new ArrayList<>(program.segments());
        sorted.sort(Comparator.comparingLong(Program.Segment::base));
        for (int i = 0; i < sorted.size(); i++) {
            Program.Segment s = sorted.get(i);
            if (s.base() % AddressSpace.PAGE != 0 || s.size() <= 0 || s.size() % AddressSpace.PAGE != 0 || s.base() < AddressSpace.PAGE) {
                throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "': segment " + s.name()
                        + " must have a page-aligned base above 0 and a positive page-multiple size");
            }
            if (i > 0 && sorted.get(i - 1).base() + sorted.get(i - 1).size() > s.base()) {
                throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "': segments "
                        + sorted.get(i - 1).name() + " and " + s.name() + " overlap");
            }
        }
    }
}
