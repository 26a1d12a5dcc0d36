package dev.cacheaside.agent.codec;

import com.fasterxml.jackson.databind.JavaType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Back-references and shared objects, as JPA's bidirectional associations give them. */
class ObjectGraphTest {

    private final JsonCodec codec = new JsonCodec();

    /** Entities without equals or hashCode, as many JPA entities are. */
    static class Owner {
        Integer id;
        String name;
        Set<Pet> pets = new LinkedHashSet<>();

        Owner add(Pet pet) {
            pet.owner = this;
            pets.add(pet);
            return this;
        }
    }

    static class Pet {
        Integer id;
        String name;
        Owner owner;
        Pet() {
        }

        Pet(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    static class Visit {
        String note;
        Pet pet;
        Pet samePet;
    }

    /** A chain without a cycle that nests deeper than Jackson writes. */
    static class Link {
        int n;
        Link next;
    }

    @SuppressWarnings("unused")
    interface Shapes {
        Owner owner();

        List<Owner> owners();

        Visit visit();
    }

    static Owner owner() {
        Owner owner = new Owner();
        owner.id = 1;
        owner.name = "George";
        return owner.add(new Pet(7, "Leo")).add(new Pet(8, "Max")).add(new Pet(9, "Tom"));
    }

    @Test
    void cycle_roundTrips_withIdentityRestored() throws Exception {
        byte[] json = codec.encode(owner());

        Owner back = (Owner) codec.decode(json, type("owner"));

        assertEquals("George", back.name);
        List<String> names = new ArrayList<>();
        for (Pet pet : back.pets) {
            names.add(pet.name);
            assertSame(back, pet.owner);
        }
        assertEquals(List.of("Leo", "Max", "Tom"), names);
    }

    @Test
    void cycle_isWrittenWithIdsOnlyForObjectsReachedTwice() throws Exception {
        String json = new String(codec.encode(owner()), StandardCharsets.UTF_8);

        assertEquals("{\"@id\":1,\"id\":1,\"name\":\"George\",\"pets\":[{\"id\":7,\"name\":\"Leo\",\"owner\":1},"
                + "{\"id\":8,\"name\":\"Max\",\"owner\":1},{\"id\":9,\"name\":\"Tom\",\"owner\":1}]}", json);
    }

    @Test
    void cycle_throughAClassBuiltByItsConstructor_roundTrips() throws Exception {
        Object tree = new com.example.fixture.Awkward().tree("root");
        JavaType type = codec.typeOf(com.example.fixture.Awkward.Node.class);

        String json = new String(codec.encode(tree), StandardCharsets.UTF_8);
        Object back = codec.decode(json.getBytes(StandardCharsets.UTF_8), type);

        assertEquals("{\"@id\":1,\"name\":\"root\",\"children\":[{\"@id\":2,\"name\":\"root-child\",\"children\":[],"
                + "\"parent\":1}],\"parent\":null}", json);
        assertEquals("root[root-child[]]", back.toString());
        java.lang.reflect.Field children = type.getRawClass().getDeclaredField("children");
        java.lang.reflect.Field parent = type.getRawClass().getDeclaredField("parent");
        children.setAccessible(true);
        parent.setAccessible(true);
        assertSame(back, parent.get(((List<?>) children.get(back)).get(0)));
    }

    @Test
    void cycle_withAnObjectSharedElsewhere_restoresBothReferences() throws Exception {
        Owner owner = owner();
        Pet leo = owner.pets.iterator().next();
        Visit visit = new Visit();
        visit.note = "check-up";
        visit.pet = leo;
        visit.samePet = leo;

        Visit back = (Visit) codec.decode(codec.encode(visit), type("visit"));

        assertSame(back.pet, back.samePet);
        assertSame(back.pet, back.pet.owner.pets.iterator().next());
    }

    @Test
    void sharedWithoutCycle_staysPlainJson() throws Exception {
        Visit visit = new Visit();
        visit.note = "check-up";
        visit.pet = new Pet(7, "Leo");
        visit.samePet = visit.pet;

        String json = new String(codec.encode(visit), StandardCharsets.UTF_8);
        Visit back = (Visit) codec.decode(json.getBytes(StandardCharsets.UTF_8), type("visit"));

        assertEquals("{\"note\":\"check-up\",\"pet\":{\"id\":7,\"name\":\"Leo\",\"owner\":null},"
                + "\"samePet\":{\"id\":7,\"name\":\"Leo\",\"owner\":null}}", json);
        assertFalse(json.contains("@id"));
        assertNotSame(back.pet, back.samePet);
    }

    @Test
    void cycle_inAList_sharesOwnersAcrossElements() throws Exception {
        Owner first = owner();
        Owner second = new Owner().add(new Pet(3, "Rex"));
        second.name = "Jean";

        @SuppressWarnings("unchecked")
        List<Owner> back = (List<Owner>) codec.decode(codec.encode(List.of(first, second)), type("owners"));

        assertEquals(2, back.size());
        assertSame(back.get(1), back.get(1).pets.iterator().next().owner);
        assertEquals("Jean", back.get(1).name);
    }

    @Test
    void deepChainWithoutCycle_isCodecException_namingDepth_withAShortMessage() {
        Link head = new Link();
        Link link = head;
        for (int i = 0; i < 2000; i++) {
            link.next = new Link();
            link = link.next;
            link.n = i;
        }

        CodecException e = assertThrows(CodecException.class, () -> codec.encode(head));

        assertEquals(CodecException.Cause.TOO_DEEP, e.cause());
        assertTrue(e.getMessage().length() < 1000, e.getMessage().length() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("more"), e.getMessage());
        assertTrue(e.fix().contains("flatter"), e.fix());
    }

    @Test
    void collectionContainingItself_isCodecException_namingTheCycle() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);

        CodecException e = assertThrows(CodecException.class, () -> codec.encode(cyclic));

        assertEquals(CodecException.Cause.CYCLE, e.cause());
        assertTrue(e.getMessage().length() < 1000, e.getMessage());
        assertTrue(e.fix().contains("transient"), e.fix());
    }

    @Test
    void identityForm_referenceToAnObjectOfAnotherType_isCodecException() {
        byte[] planted = "{\"@id\":1,\"name\":\"x\",\"pets\":[{\"@id\":2,\"name\":\"p\",\"owner\":2}]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThrows(CodecException.class, () -> codec.decode(planted, type("owner")));
    }

    @Test
    void identityForm_danglingReference_readsAsNull() throws Exception {
        byte[] planted = "{\"@id\":1,\"name\":\"x\",\"pets\":[{\"@id\":2,\"name\":\"p\",\"owner\":99}]}"
                .getBytes(StandardCharsets.UTF_8);

        Owner back = (Owner) codec.decode(planted, type("owner"));

        assertNull(back.pets.iterator().next().owner);
    }

    private JavaType type(String method) throws NoSuchMethodException {
        return codec.typeOf(Shapes.class.getMethod(method).getGenericReturnType());
    }
}
