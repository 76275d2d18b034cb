package ar.connector.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * At most {@code permits} calls in any window of {@code period}, counted the strict way: a call
 * occupies its slot from the moment it is sent until {@code period} after its answer came back.
 * The server sees every call between those two instants, so whatever window it counts in (fixed,
 * sliding, aligned to its own clock), it never sees more than {@code permits} of ours.
 */
public final class SlidingWindowLimiter implements RateLimiter {

    private final int permits;
    private final long periodNanos;
    private final LongSupplier clock;
    /** Answer times of finished calls still inside the window, oldest first. */
    private final Deque<Long> finished = new ArrayDeque<>();
    private int inFlight;
    private long blockedUntil = Long.MIN_VALUE;

    public SlidingWindowLimiter(int permits, Duration period) {
        this(permits, period, System::nanoTime);
    }

    SlidingWindowLimiter(int permits, Duration period, LongSupplier clock) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive");
        }
        this.permits = permits;
        this.periodNanos = period.toNanos();
        this.clock = clock;
    }

    /**
     * Waits until a call may be sent and reserves its slot.
     *
     * @return how long the caller waited, in nanoseconds (0 when it did not)
     */
    @Override
    public long acquire() throws InterruptedException {
        return acquireBefore(Long.MAX_VALUE);
    }

    @Override
    public long acquire(Duration maxWait) throws InterruptedException {
        return acquireBefore(clock.getAsLong() + maxWait.toNanos());
    }

    /** Waits for a slot until the clock reads {@code deadline}; -1 when none came by then. */
    private synchronized long acquireBefore(long deadline) throws InterruptedException {
        long start = clock.getAsLong();
        boolean waited = false;
        while (true) {
            long now = waited ? clock.getAsLong() : start;
            expire(now);
            long waitNanos;
            if (now < blockedUntil) {
                waitNanos = blockedUntil - now;
            } else if (finished.size() + inFlight < permits) {
                inFlight++;
                return waited ? Math.max(1, now - start) : 0;
            } else if (!finished.isEmpty()) {
                waitNanos = finished.peekFirst() + periodNanos - now;
            } else {
                waitNanos = 0; // every slot is in flight: wait for a release
            }
            if (deadline != Long.MAX_VALUE) {
                long left = deadline - now;
                if (left <= 0) {
                    return -1;
                }
                waitNanos = waitNanos > 0 ? Math.min(waitNanos, left) : left;
            }
            waited = true;
            if (waitNanos > 0) {
                wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
            } else {
                wait();
            }
        }
    }

    /** Marks the reserved call as answered; its slot frees {@code period} from now. */
    @Override
    public synchronized void release() {
        inFlight--;
        finished.addLast(clock.getAsLong());
        notifyAll();
    }

    /** After a 429: no call leaves before {@code duration} has passed (the server's block or ban). */
    @Override
    public synchronized void blockFor(Duration duration) {
        long until = clock.getAsLong() + duration.toNanos();
        if (until > blockedUntil) {
            blockedUntil = until;
        }
        notifyAll();
    }

    @Override
    public synchronized Duration untilFree() {
        long now = clock.getAsLong();
        expire(now);
        if (now < blockedUntil) {
            return Duration.ofNanos(blockedUntil - now);
        }
        if (finished.size() + inFlight < permits || finished.isEmpty()) {
            return Duration.ZERO; // a slot now, or only calls in flight (freed by their answers)
        }
        return Duration.ofNanos(Math.max(0, finished.peekFirst() + periodNanos - now));
    }

    public Duration period() {
        return Duration.ofNanos(periodNanos);
    }

    private void expire(long now) {
        while (!finished.isEmpty() && finished.peekFirst() + periodNanos <= now) {
            finished.removeFirst();
        }
    }
}
