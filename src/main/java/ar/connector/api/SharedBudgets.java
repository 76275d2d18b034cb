package ar.connector.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * Budgets shared by every replica on one PostgreSQL: a Bucket4j token bucket per budget, kept in a
 * row of {@code api_budget} and changed under {@code SELECT … FOR UPDATE} in a short transaction of
 * its own (a connection is taken per probe and given back before any waiting).
 *
 * <p>The window guarantee. A limit of C calls in any window P becomes a bucket that holds at most one
 * token and gets one on a fixed grid every (P + margin)/(C − 1): any window of P + margin then
 * grants at most the one token held at its start and the C − 1 that arrive within it, C in all. The
 * server counts arrivals, not grants: as long as one call's arrival trails its grant by at most
 * {@code margin} more than another's (connection set-up, scheduling, the replicas' clocks), any window
 * P of arrivals comes from a window of P + margin of grants, hence holds at most C. The price is the
 * long-run rate (C − 1)/(P + margin), e.g. 23 calls per 10 s (91.4 %) for Contabilium's 25 per 10 s
 * with a 500 ms margin. The grid is fixed (Bucket4j's interval refill, not its greedy one) so that a
 * caller who takes its token late does not push every later token back.
 *
 * <p>After a 429 every replica must hold back: the bucket is put into debt for the block (tokens
 * taken beyond what it holds), which every later probe of any replica sees; the debt counts what the
 * bucket already owes, so 429s answered together do not stack their blocks.
 */
public final class SharedBudgets implements ApiBudgets {

    /** The wall clock to the microsecond (Bucket4j's own wall clock counts milliseconds). */
    static final TimeMeter WALL_CLOCK = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    };

    /** The clock reads whole microseconds: a microsecond more spares a probe that comes just before the token. */
    static final long WAIT_ROUNDING_NANOS = 1_000;

    private final ProxyManager<String> buckets;
    private final Duration margin;
    private final TimeMeter clock;
    private final BlockingStrategy sleeper;

    /**
     * @param margin how much later than another call's a call may reach the server, counted from the
     *               moment each was granted (see the class comment)
     */
    public SharedBudgets(DataSource dataSource, Duration margin) {
        this(dataSource, margin, WALL_CLOCK, BlockingStrategy.PARKING);
    }

    SharedBudgets(DataSource dataSource, Duration margin, TimeMeter clock, BlockingStrategy sleeper) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("api_budget")
                .clientClock(clock)
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        this.margin = margin;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public RateLimiter budget(String key, List<Limit> limits) {
        if (limits.isEmpty()) {
            return RateLimiter.UNLIMITED;
        }
        ConfigurationBuilder configuration = BucketConfiguration.builder();
        // The pacing is part of the name: replicas configured differently (a rolling change of the
        // limits) draw on different rows rather than on one row with the first writer's settings.
        StringBuilder id = new StringBuilder(key).append(" +").append(margin.toMillis()).append("ms");
        long shortestInterval = Long.MAX_VALUE;
        for (Limit limit : limits) {
            long window = limit.period().plus(margin).toNanos();
            if (limit.permits() == 1) {
                // One call per window: a held token plus one arriving would make two, so the next token
                // is counted from the call itself (greedy refill), a full window after it.
                configuration.addLimit(bandwidth -> bandwidth.capacity(1).refillGreedy(1, Duration.ofNanos(window)));
                shortestInterval = Math.min(shortestInterval, window);
            } else {
                // rounded up: a nanosecond more per token, never a token more per window
                long interval = -Math.floorDiv(-window, limit.permits() - 1);
                configuration.addLimit(bandwidth -> bandwidth.capacity(1).refillIntervally(1, Duration.ofNanos(interval)));
                shortestInterval = Math.min(shortestInterval, interval);
            }
            id.append(' ').append(limit.permits()).append('/').append(limit.period().toMillis()).append("ms");
        }
        BucketConfiguration built = configuration.build();
        return new SharedBudget(buckets.builder().build(id.toString(), () -> built), shortestInterval);
    }

    private final class SharedBudget implements RateLimiter {

        private final Bucket bucket;
        private final long shortestInterval;
        /** One caller of this process probes the row at a time; the others queue here, holding no connection. */
        private final ReentrantLock turn = new ReentrantLock(true);

        SharedBudget(Bucket bucket, long shortestInterval) {
            this.bucket = bucket;
            this.shortestInterval = shortestInterval;
        }

        @Override
        public long acquire() throws InterruptedException {
            return acquireBefore(Long.MAX_VALUE);
        }

        @Override
        public long acquire(Duration maxWait) throws InterruptedException {
            return acquireBefore(clock.currentTimeNanos() + maxWait.toNanos());
        }

        /** Waits for a token until the clock reads {@code deadline}; -1 (nothing taken) when none comes by then. */
        private long acquireBefore(long deadline) throws InterruptedException {
            long start = clock.currentTimeNanos();
            boolean waited = !turn.tryLock();
            if (waited && !turn.tryLock(Math.max(0, deadline - start), TimeUnit.NANOSECONDS)) {
                return -1;
            }
            try {
                for (ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1); !probe.isConsumed();
                        probe = bucket.tryConsumeAndReturnRemaining(1)) {
                    long pause = probe.getNanosToWaitForRefill() + WAIT_ROUNDING_NANOS;
                    if (deadline != Long.MAX_VALUE && clock.currentTimeNanos() + pause > deadline) {
                        return -1;
                    }
                    waited = true;
                    sleeper.park(pause);
                }
            } finally {
                turn.unlock();
            }
            return waited ? Math.max(1, clock.currentTimeNanos() - start) : 0;
        }

        @Override
        public Duration untilFree() {
            EstimationProbe probe = bucket.estimateAbilityToConsume(1);
            return probe.canBeConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
        }

        /** A token bucket counts sends; the answer frees nothing. */
        @Override
        public void release() {
        }

        @Override
        public void blockFor(Duration duration) {
            // Tokens come one per interval at the fastest; from `available` the bucket needs
            // 1 - available + debt of them before the next grant, the first of which may come at once.
            long available = bucket.getAvailableTokens();
            long debt = -Math.floorDiv(-duration.toNanos(), shortestInterval) + available;
            if (debt > 0) {
                bucket.consumeIgnoringRateLimits(debt);
            }
        }
    }
}
