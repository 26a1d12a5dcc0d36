package dev.cacheaside.agent.codec;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A bean of the shapes cached values usually have, for {@link JsonCodec#warmUp}. */
public final class WarmUpSample {

    public long id;
    public String name;
    public BigDecimal price;
    public LocalDate since;
    public boolean active;
    public List<WarmUpSample> children = new ArrayList<>();
    public Map<String, Integer> counts = new LinkedHashMap<>();

    static WarmUpSample filled() {
        WarmUpSample sample = new WarmUpSample();
        sample.id = 1;
        sample.name = "sample";
        sample.price = new BigDecimal("9.99");
        sample.since = LocalDate.of(2020, 1, 1);
        sample.active = true;
        WarmUpSample child = new WarmUpSample();
        child.id = 2;
        child.name = "child";
        sample.children.add(child);
        sample.counts.put("a", 1);
        return sample;
    }
}
