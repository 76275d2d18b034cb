package ar.connector.bench;

import java.time.Duration;

/** Small helpers the benchmark's classes share. */
final class Bench {

    private Bench() {
    }

    /** The benchmark paces itself by wall time (it measures, it does not assert), so plain waiting is fine here. */
    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
