package ar.connector.sandbox.contabilium;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Contabilium's limits as a strict sliding window: at most {@code requests} admitted calls in ANY
 * interval of length {@code period}, so a client that merely counts fixed windows (and bursts at a
 * window edge) gets caught. Going over blocks the key for {@code block}; every call answers 429
 * meanwhile. Keys are an account e-mail or a source IP (the scope is chosen by the sandbox).
 * Time is in nanoseconds from {@link System#nanoTime()}. Thread-safe by monitor.
 */
final class SlidingWindowLimiter {

    enum Verdict { ADMIT, OVER_LIMIT, BLOCKED }

    private int requests = 25;
    private int inventoryRequests = 30;
    private long periodNanos = 10_000_000_000L;
    private long blockNanos = 60_000_000_000L;
    private boolean enforcing = true;

    private final Map<String, KeyState> keys = new HashMap<>();

    private static final class KeyState {
        final Deque<Long> general = new ArrayDeque<>();
        final Deque<Long> inventory = new ArrayDeque<>();
        /** Every arrival (admitted or not), general budget only: measures the client's own pacing. */
        final Deque<Long> arrivals = new ArrayDeque<>();
        boolean blocked;
        long blockedUntil;
        int maxInAnyWindow;
    }

    synchronized void configure(int requests, long periodNanos, int inventoryRequests, long blockNanos) {
        this.requests = requests;
        this.periodNanos = periodNanos;
        this.inventoryRequests = inventoryRequests;
        this.blockNanos = blockNanos;
        this.enforcing = true;
    }

    /** Stop rejecting but keep measuring with the current period. */
    synchronized void unlimited() {
        enforcing = false;
        keys.values().forEach(k -> k.blocked = false);
    }

    synchronized void reset() {
        keys.clear();
    }

    synchronized Verdict acquire(String key, boolean inventory, long now) {
        KeyState k = keys.computeIfAbsent(key, x -> new KeyState());
        if (!inventory) {
            evict(k.arrivals, now);
            k.arrivals.addLast(now);
            k.maxInAnyWindow = Math.max(k.maxInAnyWindow, k.arrivals.size());
        }
        if (!enforcing) {
            return Verdict.ADMIT;
        }
        if (k.blocked && now - k.blockedUntil < 0) {
            return Verdict.BLOCKED;
        }
        k.blocked = false;
        Deque<Long> window = inventory ? k.inventory : k.general;
        int limit = inventory ? inventoryRequests : requests;
        evict(window, now);
        if (window.size() >= limit) {
            k.blocked = true;
            k.blockedUntil = now + blockNanos;
            return Verdict.OVER_LIMIT;
        }
        window.addLast(now);
        return Verdict.ADMIT;
    }

    synchronized int maxInAnyWindow(String key) {
        KeyState k = keys.get(key);
        return k == null ? 0 : k.maxInAnyWindow;
    }

    private void evict(Deque<Long> window, long now) {
        // A call at t leaves the window once now - t >= period: any interval of length period then
        // holds at most `limit` admitted calls.
        while (!window.isEmpty() && now - window.peekFirst() >= periodNanos) {
            window.removeFirst();
        }
    }
}
