package dev.cacheaside.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the agent's own work: which methods of a transformed class file really call the bridge.
 *
 * <p>Byte Buddy can accept an advice for a method and still leave that method's code as it was: a JDK
 * proxy of a repository that redeclares {@code findById(Long)} over {@code CrudRepository.findById(ID)},
 * described from its bytes while it is being defined, has its advice land nowhere (a retransformation,
 * which describes the loaded class, weaves it). So {@link RuleTransformer} only records what it asked
 * for, on the transforming thread, and {@link CandidateFilter} reports a rule as applied only once the
 * class file it hands to the JVM shows the call.
 */
final class WovenCheck {

    private static final String BRIDGE = "dev/cacheaside/bridge/CacheAsideBridge";
    private static final ThreadLocal<List<Expected>> EXPECTED = new ThreadLocal<List<Expected>>();

    private WovenCheck() {
    }

    /** One method that a rule's advice was woven into, as the log names it. */
    static final class Expected {
        final String method;
        final String descriptor;
        /** The line logged once the advice is seen in the class file, e.g. "rule 'x' applies to T#m(..)". */
        final String applied;

        Expected(String method, String descriptor, String applied) {
            this.method = method;
            this.descriptor = descriptor;
            this.applied = applied;
        }
    }

    /** Called by the transformer for each advice it adds to the class being transformed on this thread. */
    static void expect(String method, String descriptor, String applied) {
        List<Expected> list = EXPECTED.get();
        if (list == null) {
            list = new ArrayList<Expected>();
            EXPECTED.set(list);
        }
        list.add(new Expected(method, descriptor, applied));
    }

    /** What the transformer asked for since the last call on this thread; clears it. */
    static List<Expected> take() {
        List<Expected> list = EXPECTED.get();
        if (list == null) {
            return Collections.emptyList();
        }
        EXPECTED.remove();
        return list;
    }

    /** The methods (name + descriptor) of the class file whose code calls the bridge. */
    static Set<String> woven(byte[] classFile) {
        final Set<String> woven = new HashSet<String>();
        new ClassReader(classFile).accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, final String name, final String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor,
                                                boolean isInterface) {
                        if (BRIDGE.equals(owner)) {
                            woven.add(name + descriptor);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return woven;
    }
}
