package ar.connector.web;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * A budget of {@code permits} per {@code window} for each key (a client address, a user name, a
 * link token), restored whole when the window has passed. Buckets live in memory (per instance) in
 * a cache bounded in size, so a flood of made-up keys cannot grow it without limit; a key unseen for
 * two windows starts afresh.
 */
public final class KeyedBudgets {

    private static final int MAX_KEYS = 100_000;

    private final Cache<String, Bucket> buckets;
    private final int permits;
    private final Duration window;

    public KeyedBudgets(int permits, Duration window) {
        this.permits = permits;
        this.window = window;
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(window.multipliedBy(2)).build();
    }

    /** How long until this key has a permit again: zero when it has one now (none is taken). */
    public Duration waitFor(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        return bucket == null ? Duration.ZERO : Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    /** Takes a permit if there is one: zero then, else how long until there is one. */
    public Duration take(String key) {
        return Duration.ofNanos(bucket(key).tryConsumeAndReturnRemaining(1).getNanosToWaitForRefill());
    }

    private Bucket bucket(String key) {
        return buckets.get(key, unused -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(permits).refillIntervally(permits, window).build())
                .build());
    }
}
