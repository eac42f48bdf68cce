package io.kook.inventory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map that a new snapshot can derive from the previous one by copying only the shards its
 * changes touch: 256 hash shards, so a write to one host of 100,000 copies a few hundred entries, not all of
 * them. Readers only ever see fully built instances.
 */
public final class ShardedMap<V> {

    private static final int SHARDS = 256;
    private static final ShardedMap<?> EMPTY = new ShardedMap<>(emptyShards(), 0);

    private final Map<String, V>[] shards;
    private final int size;

    private ShardedMap(Map<String, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <V> ShardedMap<V> empty() {
        return (ShardedMap<V>) EMPTY;
    }

    public static <V> ShardedMap<V> of(Map<String, V> entries) {
        return ShardedMap.<V>empty().with(entries);
    }

    public V get(String key) {
        return shards[index(key)].get(key);
    }

    public int size() {
        return size;
    }

    public void forEach(BiConsumer<String, V> action) {
        for (Map<String, V> shard : shards) {
            shard.forEach(action);
        }
    }

    /**
     * The keys whose value is not the same object here and in {@code previous} (added, removed or replaced),
     * looking only at the shards the two do not share; {@code null} once there are more than {@code limit}.
     */
    public Set<String> changedSince(ShardedMap<V> previous, int limit) {
        Set<String> changed = new HashSet<>();
        for (int i = 0; i < SHARDS; i++) {
            Map<String, V> now = shards[i];
            Map<String, V> before = previous.shards[i];
            if (now == before) {
                continue;
            }
            now.forEach((key, value) -> {
                if (before.get(key) != value) {
                    changed.add(key);
                }
            });
            before.keySet().forEach(key -> {
                if (!now.containsKey(key)) {
                    changed.add(key);
                }
            });
            if (changed.size() > limit) {
                return null;
            }
        }
        return changed;
    }

    /** A new map with {@code changes} applied: a {@code null} value removes the key. */
    public ShardedMap<V> with(Map<String, V> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<String, V>[] next = Arrays.copyOf(shards, SHARDS);
        boolean[] copied = new boolean[SHARDS];
        int nextSize = size;
        for (Map.Entry<String, V> change : changes.entrySet()) {
            int i = index(change.getKey());
            if (!copied[i]) {
                next[i] = new HashMap<>(shards[i]);
                copied[i] = true;
            }
            V old = change.getValue() == null ? next[i].remove(change.getKey()) : next[i].put(change.getKey(), change.getValue());
            if (old == null && change.getValue() != null) {
                nextSize++;
            } else if (old != null && change.getValue() == null) {
                nextSize--;
            }
        }
        return new ShardedMap<>(next, nextSize);
    }

    /**
     * The shard: the top 8 bits of the hash times a Fibonacci constant. Not its low bits: a shard's own HashMap
     * picks buckets by the low bits, so keys that shared them would share a few buckets, which HashMap turns into
     * trees (a host lookup at a million hosts cost a tree walk of String comparisons).
     */
    private static int index(String key) {
        return (key.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - 8);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V>[] emptyShards() {
        Map<String, V>[] shards = new Map[SHARDS];
        Arrays.fill(shards, Map.of());
        return shards;
    }
}
