package ar.connector.api;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Counts the API calls one piece of work makes on this thread (for example the Contabilium calls
 * of one invoice), so a bulk run can report its calls per invoiced order.
 */
public final class CallMeter {

    private static final ThreadLocal<Map<String, long[]>> COUNTS = new ThreadLocal<>();

    private CallMeter() {
    }

    /** Runs {@code work} and answers how many calls to {@code api} it made, with its result. */
    public static <T> Measured<T> measure(String api, Supplier<T> work) {
        Map<String, long[]> outer = COUNTS.get();
        Map<String, long[]> counts = new HashMap<>();
        COUNTS.set(counts);
        try {
            T result = work.get();
            return new Measured<>(result, counts.getOrDefault(api, new long[1])[0]);
        } finally {
            long calls = counts.getOrDefault(api, new long[1])[0];
            if (outer != null) {
                outer.computeIfAbsent(api, k -> new long[1])[0] += calls;
            }
            COUNTS.set(outer);
            LAST.set(calls);
        }
    }

    private static final ThreadLocal<Long> LAST = ThreadLocal.withInitial(() -> 0L);

    /** The calls counted by the last {@link #measure} on this thread, even if it threw. */
    public static long lastCount() {
        return LAST.get();
    }

    static void count(String api) {
        Map<String, long[]> counts = COUNTS.get();
        if (counts != null) {
            counts.computeIfAbsent(api, k -> new long[1])[0]++;
        }
    }

    public record Measured<T>(T result, long calls) {
    }
}
