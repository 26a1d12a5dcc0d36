package dev.cacheaside.agent.instrument;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Weaves an advice into the one method of the class file with this name and descriptor, found among
 * the methods the class declares.
 *
 * <p>{@code Advice.on(matcher)} finds the method in the list Byte Buddy passes to the wrapper, which,
 * for a class decorated while it is defined, comes from its method graph. That graph merges methods
 * whose resolved generic signatures meet: a JDK proxy of {@code ReviewRepository extends
 * JpaRepository<Review, Long>} that redeclares {@code findById(Long)} declares {@code findById(Long)} and
 * {@code findById(Object)}, and the graph keeps one of the two under one descriptor, so the advice of the
 * other found no method and silently did nothing. The declared methods list both.
 */
final class DeclaredMethodAdvice implements AsmVisitorWrapper {

    private final Advice advice;
    private final String name;
    private final String descriptor;

    DeclaredMethodAdvice(Advice advice, String name, String descriptor) {
        this.advice = advice;
        this.name = name;
        this.descriptor = descriptor;
    }

    @Override
    public int mergeWriter(int flags) {
        return flags;
    }

    @Override
    public int mergeReader(int flags) {
        return flags;
    }

    @Override
    public ClassVisitor wrap(final TypeDescription instrumentedType, ClassVisitor classVisitor,
                             final Implementation.Context implementationContext, final TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
                             final int writerFlags, final int readerFlags) {
        MethodDescription found = null;
        for (MethodDescription method : instrumentedType.getDeclaredMethods()) {
            if (method.getInternalName().equals(name) && method.getDescriptor().equals(descriptor)) {
                found = method;
                break;
            }
        }
        if (found == null) {
            return classVisitor;
        }
        final MethodDescription target = found;
        return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
            @Override
            public MethodVisitor visitMethod(int access, String methodName, String methodDescriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, methodName, methodDescriptor, signature, exceptions);
                return visitor != null && methodName.equals(name) && methodDescriptor.equals(descriptor)
                        ? advice.wrap(instrumentedType, target, visitor, implementationContext, typePool, writerFlags,
                        readerFlags)
                        : visitor;
            }
        };
    }
}
