package ar.connector.api;

import java.time.Duration;
import java.util.List;

/** A budget calls draw on: acquire before sending, release once answered, block after a 429. */
public interface RateLimiter {

    /** @return nanoseconds waited */
    long acquire() throws InterruptedException;

    /**
     * Like {@link #acquire()}, but gives up once {@code maxWait} has passed without a slot.
     *
     * @return nanoseconds waited, or -1 when no slot came in time (then nothing is reserved)
     */
    long acquire(Duration maxWait) throws InterruptedException;

    void release();

    void blockFor(Duration duration);

    /**
     * About how long until a call could be sent now, reserving nothing (zero when one could go at once
     * or the budget cannot tell): for a caller that would rather do other work than wait.
     */
    default Duration untilFree() {
        return Duration.ZERO;
    }

    /** No limit at all (a sandbox in a benchmark of pure overhead). */
    RateLimiter UNLIMITED = new RateLimiter() {
        @Override
        public long acquire() {
            return 0;
        }

        @Override
        public long acquire(Duration maxWait) {
            return 0;
        }

        @Override
        public void release() {
        }

        @Override
        public void blockFor(Duration duration) {
        }
    };

    /** Several budgets at once (Jumpseller: per second and per minute), taken widest window first. */
    static RateLimiter all(List<? extends RateLimiter> limiters) {
        return new RateLimiter() {
            @Override
            public long acquire() throws InterruptedException {
                long waited = 0;
                int taken = 0;
                try {
                    for (RateLimiter limiter : limiters) {
                        waited += limiter.acquire();
                        taken++;
                    }
                } finally {
                    if (taken < limiters.size()) {
                        for (int i = 0; i < taken; i++) {
                            limiters.get(i).release();
                        }
                    }
                }
                return waited;
            }

            @Override
            public long acquire(Duration maxWait) throws InterruptedException {
                long deadline = System.nanoTime() + maxWait.toNanos();
                long waited = 0;
                for (int taken = 0; taken < limiters.size(); taken++) {
                    long got = limiters.get(taken).acquire(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    if (got < 0) {
                        for (int i = 0; i < taken; i++) {
                            limiters.get(i).release();
                        }
                        return -1;
                    }
                    waited += got;
                }
                return waited;
            }

            @Override
            public void release() {
                limiters.forEach(RateLimiter::release);
            }

            @Override
            public void blockFor(Duration duration) {
                limiters.forEach(limiter -> limiter.blockFor(duration));
            }

            @Override
            public Duration untilFree() {
                return limiters.stream().map(RateLimiter::untilFree).max(Duration::compareTo).orElse(Duration.ZERO);
            }
        };
    }
}
