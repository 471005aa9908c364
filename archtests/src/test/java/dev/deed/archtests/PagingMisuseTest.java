package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * B5 at compile time: untracked memory never reaches a user address space, and a pending flush
 * cannot be dropped (frames would then never be released, or be released before the TLB forgot them).
 */
class PagingMisuseTest {
    private static final List<String> PAGING = List.of("dev.deed.paging");
    private static final String IMPORTS = """
            package misuse;
            import dev.deed.frame.*;
            import dev.deed.paging.*;
            import dev.deed.paging.spi.PagingFormat;
            """;

    @Test
    void anUntrackedFrameCannotBeMappedIntoAUserTable() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void map(PageTable<UserSpace> user, Frame<Untracked> mmio) {
                        user.map(VirtAddr.of(0x400000), mmio, PageProperty.userData());
                    }
                }
                """, PAGING, null, false);
        assertTrue(r.hasError("compiler.err.prob.found.req")
                && r.toString().contains("Frame<dev.deed.frame.Untracked> cannot be converted to dev.deed.frame.Frame<dev.deed.frame.Tracked>"),
                r.toString());
    }

    @Test
    void anUntrackedRangeCannotBeMappedIntoAUserTable() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void map(PageTable<UserSpace> user, Segment<Untracked> mmio) {
                        PageTable.mapUntracked(user, VirtAddr.of(0x400000), mmio, PageProperty.userData());
                    }
                }
                """, PAGING, null, false);
        assertTrue(r.hasError("compiler.err.prob.found.req")
                && r.toString().contains("PageTable<dev.deed.paging.UserSpace> cannot be converted to dev.deed.paging.PageTable<dev.deed.paging.KernelSpace>"),
                r.toString());
    }

    @Test
    void droppingAPendingFlushDoesNotCompile() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void unmap(PageTable<UserSpace> user) {
                        user.unmap(VirtAddr.of(0x400000), 4096);
                    }
                }
                """, PAGING, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void aLeakedAddressSpaceDoesNotCompile() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    long root(PagingFormat format, FrameAllocator frames) {
                        PageTable<UserSpace> user = PageTable.user(format, frames, 1);
                        return user.rootRegister();
                    }
                }
                """, PAGING, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void aTableLeakedWhenMappingRunsOutOfMemoryDoesNotCompile() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void use(PagingFormat format, FrameAllocator frames, Mmu mmu) {
                        PageTable<UserSpace> user = PageTable.user(format, frames, 1);
                        user.mapFresh(VirtAddr.of(0x400000), 4096, PageProperty.userData(), Usage.USER, true); // may run out
                        user.destroy().flush();
                    }
                }
                """, PAGING, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void aFrameAllocatedInlineIntoMapIsLostOnARefusalAndDoesNotCompile() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void use(PagingFormat format, FrameAllocator frames, Mmu mmu) {
                        PageTable<UserSpace> user = PageTable.user(format, frames, 1);
                        try {
                            user.map(VirtAddr.of(0x400000), frames.allocZeroed(Usage.USER), PageProperty.userData());
                        } finally {
                            user.destroy().flush();
                        }
                    }
                }
                """, PAGING, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void mappingTrackedFramesAndFlushingCompiles() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void use(PagingFormat format, FrameAllocator frames, Mmu mmu) {
                        PageTable<UserSpace> user = PageTable.user(format, frames, 1);
                        try { // every refusal is declared: neither the table nor the frame may leak on one
                            Frame<Tracked> page = frames.allocZeroed(Usage.USER);
                            try {
                                user.map(VirtAddr.of(0x400000), page, PageProperty.userData());
                            } catch (MappingException | OutOfFramesException refused) {
                                page.close(); // a refused frame stays with the caller
                                throw refused;
                            }
                            user.mapFresh(VirtAddr.of(0x401000), 8192, PageProperty.userData(), Usage.USER, true);
                            user.unmap(VirtAddr.of(0x400000), 3 * 4096).flush();
                        } finally {
                            user.destroy().flush();
                        }
                    }
                }
                """, PAGING, MisuseCompiler.RESOURCE_LEAK, true);
        assertTrue(r.compiled(), r.toString());
    }
}
