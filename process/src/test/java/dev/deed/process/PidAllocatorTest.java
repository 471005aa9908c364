package dev.deed.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PidAllocatorTest {

    @Test
    void handsOutTheLowestFreePidAndRecyclesIt() {
        PidAllocator pids = new PidAllocator();
        assertEquals(1, pids.allocate());
        assertEquals(2, pids.allocate());
        assertEquals(3, pids.allocate());
        pids.free(2);
        assertFalse(pids.inUse(2));
        assertEquals(2, pids.allocate());
        assertEquals(4, pids.allocate());
        assertEquals(4, pids.count());
    }

    @Test
    void freeingAPidNeverHandedOutIsRefusedAndChangesNothing() {
        PidAllocator pids = new PidAllocator();
        pids.allocate();
        SyscallException e = assertThrows(SyscallException.class, () -> pids.free(7));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().contains("pid 7 is not in use"), e.getMessage());
        assertEquals(1, pids.count());
        assertEquals(2, pids.allocate());
    }

    @Test
    void freeingAPidTwiceIsRefusedAndChangesNothing() {
        PidAllocator pids = new PidAllocator();
        int pid = pids.allocate();
        pids.free(pid);
        SyscallException e = assertThrows(SyscallException.class, () -> pids.free(pid));
        assertEquals(Errno.ESRCH, e.errno());
        assertEquals(0, pids.count());
        assertEquals(pid, pids.allocate());
    }

    @Test
    void pidsOutsideTheRangeAreRefused() {
        PidAllocator pids = new PidAllocator();
        for (int bad : new int[] {0, -1, PidAllocator.PID_MAX + 1}) {
            SyscallException e = assertThrows(SyscallException.class, () -> pids.free(bad));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("pid " + bad + " is outside [1, " + PidAllocator.PID_MAX + "]"), e.getMessage());
        }
    }

    @Test
    void exhaustionIsEagainAndFreeingOneMakesRoom() {
        PidAllocator pids = new PidAllocator();
        for (int i = 0; i < PidAllocator.PID_MAX; i++) {
            pids.allocate();
        }
        SyscallException e = assertThrows(SyscallException.class, pids::allocate);
        assertEquals(Errno.EAGAIN, e.errno());
        pids.free(100);
        assertEquals(100, pids.allocate());
    }
}
