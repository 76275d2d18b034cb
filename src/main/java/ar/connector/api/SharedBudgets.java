package ar.connector.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * Budgets shared by every replica on one PostgreSQL: a Bucket4j token bucket per budget, kept in a
 * row of {@code api_budget} and changed under {@code SELECT … FOR UPDATE} in a short transaction of
 * its own (a connection is taken per probe and given back before any waiting).
 *
 * <p>The window guarantee. A limit of C calls in any window P becomes a bucket of capacity 1 refilled
 * greedily with C − 1 tokens per P + margin: calls then leave at least (P + margin)/(C − 1) apart,
 * so any window of P + margin holds at most 1 + (C − 1) = C of them. The server counts arrivals, not
 * sends: as long as one call's arrival trails its grant by at most {@code margin} more than another's
 * (connection set-up, scheduling, the replicas' clocks), any window P of arrivals comes from a window
 * of P + margin of grants, hence at most C. The price is the long-run rate (C − 1)/(P + margin), e.g.
 * 23.0 calls per 10 s (91.4 %) for Contabilium's 25 per 10 s with a 500 ms margin.
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
        double fastestRefillPerNano = 0;
        for (Limit limit : limits) {
            long refill = Math.max(1, limit.permits() - 1);
            Duration refillPeriod = limit.period().plus(margin);
            configuration.addLimit(bandwidth -> bandwidth.capacity(1).refillGreedy(refill, refillPeriod));
            id.append(' ').append(limit.permits()).append('/').append(limit.period().toMillis()).append("ms");
            fastestRefillPerNano = Math.max(fastestRefillPerNano, (double) refill / refillPeriod.toNanos());
        }
        BucketConfiguration built = configuration.build();
        return new SharedBudget(buckets.builder().build(id.toString(), () -> built), fastestRefillPerNano);
    }

    private final class SharedBudget implements RateLimiter {

        private final Bucket bucket;
        private final double fastestRefillPerNano;
        /** One caller of this process probes the row at a time; the others queue here, holding no connection. */
        private final ReentrantLock turn = new ReentrantLock(true);

        SharedBudget(Bucket bucket, double fastestRefillPerNano) {
            this.bucket = bucket;
            this.fastestRefillPerNano = fastestRefillPerNano;
        }

        @Override
        public long acquire() throws InterruptedException {
            long start = clock.currentTimeNanos();
            boolean waited = !turn.tryLock();
            if (waited) {
                turn.lockInterruptibly();
            }
            try {
                for (ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1); !probe.isConsumed();
                        probe = bucket.tryConsumeAndReturnRemaining(1)) {
                    waited = true;
                    sleeper.park(probe.getNanosToWaitForRefill());
                }
            } finally {
                turn.unlock();
            }
            return waited ? Math.max(1, clock.currentTimeNanos() - start) : 0;
        }

        /** A token bucket counts sends; the answer frees nothing. */
        @Override
        public void release() {
        }

        @Override
        public void blockFor(Duration duration) {
            // No bandwidth gets back to one token before `duration`: from `available` (rounded down,
            // so the true content is below available + 1) it takes (1 + debt - content) / rate.
            long available = bucket.getAvailableTokens();
            long debt = (long) Math.ceil(duration.toNanos() * fastestRefillPerNano) + available;
            if (debt > 0) {
                bucket.consumeIgnoringRateLimits(debt);
            }
        }
    }
}
