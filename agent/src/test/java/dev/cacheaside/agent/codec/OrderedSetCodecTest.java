package dev.cacheaside.agent.codec;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OrderedSetCodecTest {

    @SuppressWarnings("unused")
    private Set<String> declaredSet;

    @Test
    void decode_declaredSet_keepsTheStoredOrder() throws Exception {
        JsonCodec codec = new JsonCodec();
        Type setOfStrings = OrderedSetCodecTest.class.getDeclaredField("declaredSet").getGenericType();
        List<String> order = new ArrayList<>();
        for (int i = 40; i > 0; i--) {
            order.add("review-" + i);
        }

        Object back = codec.decode(codec.encode(new LinkedHashSet<>(order)), codec.typeOf(setOfStrings));

        assertEquals(LinkedHashSet.class, back.getClass());
        assertEquals(order, new ArrayList<>((Set<?>) back));
        assertEquals(new String(codec.encode(order), StandardCharsets.UTF_8),
                new String(codec.encode(back), StandardCharsets.UTF_8));
    }
}
