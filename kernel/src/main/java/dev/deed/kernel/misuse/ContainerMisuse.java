package dev.deed.kernel.misuse;

import java.util.List;

/**
 * B1 in every form a user might write it — freeing the container (a process struct) before the
 * buffer it owns — and the correct twins. The catalogue that the negative-compilation tests compile
 * and {@code deed bugs} compiles live, so both say the same thing.
 *
 * <p>With {@code Container} the wrong order has nothing to call: neither the container nor its
 * {@code Child} has a {@code close()}, and the container's one destructor frees its children first.
 * So every wrong form is a plain javac error, and the Resource Leak Checker catches the remaining
 * mistake — never freeing the container, on the normal path or on an allocation failure's.
 */
public final class ContainerMisuse {
    private static final String HEADER = """
            package misuse;
            import dev.deed.frame.OutOfFramesException;
            import dev.deed.heap.*;
            import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
            import org.checkerframework.checker.mustcall.qual.*;
            """;
    private static final String LAYOUT =
            "    static final Field CMDLINE = StructLayout.builder(\"task_and_process\", 8).u32(\"pid\").pointer(\"cmdline\").build().field(\"cmdline\");\n";
    private static final String NO_METHOD = "compiler.err.cant.resolve.location.args";

    private ContainerMisuse() {
    }

    /** Every form, wrong ones first, then the correct twins. */
    public static List<Snippet> all() {
        return List.of(
                wrong("direct close of the struct, Tilck's order", NO_METHOD, method("""
                        Container struct = heap.kzallocContainer(64);
                        Child cmdline = struct.kzallocChild(CMDLINE, 32);
                        struct.close();
                        cmdline.close();
                        """)),
                wrong("through an alias", NO_METHOD, method("""
                        Container struct = heap.kzallocContainer(64);
                        struct.kzallocChild(CMDLINE, 32);
                        Container alias = struct;
                        alias.close();
                        """)),
                wrong("in a helper", NO_METHOD, HEADER + "class Snippet {\n" + LAYOUT + """
                            static void drop(Container struct) { struct.close(); }
                            void run(KernelHeap heap) {
                                Container struct = heap.kzallocContainer(64);
                                struct.kzallocChild(CMDLINE, 32);
                                drop(struct);
                            }
                        }
                        """),
                wrong("in a destructor", NO_METHOD, destructor("struct.close();")),
                wrong("as a try-with-resources resource", "compiler.err.prob.found.req", method("""
                        try (Container struct = heap.kzallocContainer(64)) {
                            struct.kzallocChild(CMDLINE, 32);
                        }
                        """)),
                wrong("freeing the child by its own handle", NO_METHOD, method("""
                        Container struct = heap.kzallocContainer(64);
                        Child cmdline = struct.kzallocChild(CMDLINE, 32);
                        cmdline.close();
                        struct.free();
                        """)),
                wrongChecked("never freeing the struct", method("""
                        Container struct = heap.kzallocContainer(64);
                        struct.kzallocChild(CMDLINE, 32);
                        """)),
                wrongChecked("leaking the struct when the child's allocation fails", method("""
                        Container struct = heap.kzallocContainer(64);
                        struct.kzallocChild(CMDLINE, 32);
                        struct.free();
                        """)),
                right("the container's free, through an alias", method("""
                        Container struct = heap.kzallocContainer(64);
                        try {
                            struct.kzallocChild(CMDLINE, 32);
                        } catch (OutOfFramesException e) {
                            struct.free();
                            throw e;
                        }
                        Container alias = struct;
                        alias.free();
                        """)),
                right("a child freed early, then the container", method("""
                        Container struct = heap.kzallocContainer(64);
                        Child cmdline;
                        try {
                            cmdline = struct.kzallocChild(CMDLINE, 32);
                        } catch (OutOfFramesException e) {
                            struct.free();
                            throw e;
                        }
                        struct.freeChild(cmdline);
                        struct.free();
                        """)),
                right("in a helper that takes ownership", HEADER + "class Snippet {\n" + LAYOUT + """
                            static void drop(@Owning Container struct) { struct.free(); }
                            void run(KernelHeap heap) {
                                Container struct = heap.kzallocContainer(64);
                                drop(struct);
                            }
                        }
                        """),
                right("in a destructor", destructor("struct.free();")));
    }

    private static Snippet wrong(String form, String key, String source) {
        return new Snippet("B1", form, source, "dev.deed.heap", false, key);
    }

    private static Snippet wrongChecked(String form, String source) {
        return new Snippet("B1", form, source, "dev.deed.heap", true, "required.method.not.called");
    }

    private static Snippet right(String form, String source) {
        return new Snippet("B1", form, source, "dev.deed.heap", true, null);
    }

    /** {@code body} as the body of {@code void run(KernelHeap heap)}. */
    private static String method(String body) {
        return HEADER + "class Snippet {\n" + LAYOUT + "    void run(KernelHeap heap) {\n"
                + body.indent(8) + "    }\n}\n";
    }

    /** A kernel object owning a struct with a child, whose destructor body is {@code body}. */
    private static String destructor(String body) {
        return HEADER + """
                @InheritableMustCall("destroy")
                final class Snippet {
                """ + LAYOUT + """
                    private final @Owning Container struct;
                    private final Child cmdline;
                    Snippet(@Owning Container struct, Child cmdline) { this.struct = struct; this.cmdline = cmdline; }
                    @EnsuresCalledMethods(value = "this.struct", methods = "free")
                    void destroy() {
                        %s
                    }
                }
                """.formatted(body);
    }
}
