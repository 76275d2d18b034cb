package ar.connector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import com.zaxxer.hikari.HikariDataSource;

import ar.connector.api.ApiBudgets.Limit;
import ar.connector.testsupport.PostgresSchema;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;

/**
 * The shared budget's window guarantee on the real PostgreSQL store, with a clock the test moves:
 * two "replicas" (each its own connection pool and {@link SharedBudgets}) draw on one budget, and
 * whoever has to wait moves the common clock on by exactly the wait Bucket4j asked for. Grants are
 * then checked window by window: at most C in any window of P + margin means at most C in any window
 * P of the server's arrivals, whatever lag up to the margin each call had on its way.
 */
@EnabledIf(value = "ar.connector.testsupport.PostgresSchema#reachable",
        disabledReason = "PostgreSQL not reachable at 127.0.0.1:5432 — skipping the shared budget tests")
class SharedBudgetsTest {

    private static final Duration MARGIN = Duration.ofMillis(500);
    private static PostgresSchema schema;

    /** Any instant far from zero: Bucket4j keeps wall-clock time in its state. */
    private final AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(20_000));
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    };

    @BeforeAll
    static void migrate() {
        schema = PostgresSchema.migrated();
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private SharedBudgets replica(HikariDataSource pool, BlockingStrategy sleeper) {
        return new SharedBudgets(pool, MARGIN, clock, sleeper);
    }

    private SharedBudgets replica() {
        return replica(schema.pool(), now::addAndGet);
    }

    private static String freshKey() {
        return "test:" + UUID.randomUUID();
    }

    @Test
    void twoReplicasNeverGrantMoreThanTwentyFivePerTenSecondsAndUseOverNinetyPercentOfIt() throws Exception {
        Drive drive = driveTwoReplicas(List.of(new Limit(25, Duration.ofSeconds(10))), 15_000, 200, new Random(7));

        assertThat(maxInAnyWindow(drive.grants(), Duration.ofSeconds(10).plus(MARGIN))).isLessThanOrEqualTo(25);
        double perSecond = drive.saturatedPerSecond();
        System.out.printf("Shared Contabilium budget (25 per 10 s, margin %d ms), two replicas: %.3f calls/s = %.1f %% "
                + "of 2.5/s%n", MARGIN.toMillis(), perSecond, 100 * perSecond / 2.5);
        assertThat(perSecond / 2.5).as("share of the limit used under saturation").isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void twoReplicasKeepAJumpsellerStoreUnderTwentyPerSecondAndEightHundredPerMinuteAtOverNinetyPercent()
            throws Exception {
        // saturated for over a minute, so that the per-minute limit is met in full windows
        Drive drive = driveTwoReplicas(List.of(new Limit(800, Duration.ofMinutes(1)), new Limit(20, Duration.ofSeconds(1))),
                3_000, 1000, new Random(11));

        assertThat(maxInAnyWindow(drive.grants(), Duration.ofSeconds(1).plus(MARGIN))).isLessThanOrEqualTo(20);
        assertThat(maxInAnyWindow(drive.grants(), Duration.ofMinutes(1).plus(MARGIN))).isLessThanOrEqualTo(800);
        double perMinute = 60 * drive.saturatedPerSecond();
        System.out.printf("Shared Jumpseller budget (20/s and 800/min, margin %d ms), two replicas: %.0f calls/min = "
                + "%.1f %% of 800/min%n", MARGIN.toMillis(), perMinute, 100 * perMinute / 800);
        assertThat(perMinute / 800).as("share of the per-minute limit used under saturation").isGreaterThanOrEqualTo(0.90);
    }

    /** When each call was granted, and the rate of the saturated stretch. */
    private record Drive(List<Long> grants, double saturatedPerSecond) {
    }

    /**
     * Two replicas on one new budget, each call from either at random: first 200 calls of bursty
     * demand (now and then both go idle for up to {@code maxIdleMillis}, long enough for the bucket to
     * fill again: the worst case for a window that starts just before a burst), then {@code saturated}
     * calls that each wait for their turn.
     */
    private Drive driveTwoReplicas(List<Limit> limits, int maxIdleMillis, int saturated, Random random)
            throws InterruptedException {
        String key = freshKey();
        List<RateLimiter> replicas = List.of(replica().budget(key, limits), replica().budget(key, limits));
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (random.nextInt(8) == 0) {
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(random.nextInt(maxIdleMillis)));
            }
            replicas.get(random.nextInt(2)).acquire();
            grants.add(now.get());
        }
        long saturatedFrom = now.get();
        for (int i = 0; i < saturated; i++) {
            replicas.get(random.nextInt(2)).acquire();
            grants.add(now.get());
        }
        return new Drive(grants, saturated / ((now.get() - saturatedFrom) / 1e9));
    }

    @Test
    void aLimitOfOneCallPerPeriodKeepsCallsAFullPeriodAndMarginApart() throws Exception {
        List<Limit> limits = List.of(new Limit(1, Duration.ofSeconds(2)));
        String key = freshKey();
        List<RateLimiter> replicas = List.of(replica().budget(key, limits), replica().budget(key, limits));
        Random random = new Random(3);
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(random.nextInt(3_000)));
            replicas.get(random.nextInt(2)).acquire();
            grants.add(now.get());
        }

        for (int i = 1; i < grants.size(); i++) {
            assertThat(grants.get(i) - grants.get(i - 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(2).plus(MARGIN).toNanos());
        }
    }

    @Test
    void anotherReplicaSeesHowLongUntilTheBudgetHasRoomWithoutTakingAnything() throws Exception {
        List<Limit> limits = List.of(new Limit(25, Duration.ofSeconds(10)));
        String key = freshKey();
        RateLimiter a = replica().budget(key, limits);
        RateLimiter b = replica().budget(key, limits);
        assertThat(b.untilFree()).as("room now").isZero();
        assertThat(b.untilFree()).as("asking took nothing").isZero();

        a.acquire();
        a.blockFor(Duration.ofSeconds(60));
        Duration wait = b.untilFree();
        assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(59)).isLessThanOrEqualTo(Duration.ofSeconds(62));
        now.addAndGet(wait.toNanos());
        assertThat(b.untilFree()).as("once the block is over").isZero();
    }

    @Test
    void aBlockAfterA429HoldsEveryReplicaBackAndBlocksAnsweredTogetherDoNotAddUp() throws Exception {
        List<Limit> limits = List.of(new Limit(25, Duration.ofSeconds(10)));
        String key = freshKey();
        RateLimiter a = replica().budget(key, limits);
        RateLimiter b = replica().budget(key, limits);
        Duration block = Duration.ofSeconds(60);
        long spacing = Duration.ofSeconds(10).plus(MARGIN).dividedBy(24).toNanos();

        a.acquire();
        long answered = now.get();
        a.blockFor(block);
        // A call b had sent before the block was answered 429 too, at the same moment.
        b.blockFor(block);
        b.acquire();

        long held = now.get() - answered;
        assertThat(held).as("b's next call waited out the block a was given")
                .isGreaterThanOrEqualTo(block.toNanos())
                .as("the second 429 did not add a second block").isLessThan(block.toNanos() + 2 * spacing);
        long again = now.get();
        a.acquire();
        assertThat(now.get() - again).as("after the block the pace is the usual one")
                .isLessThanOrEqualTo(spacing + SharedBudgets.WAIT_ROUNDING_NANOS + 1);
    }

    @Test
    void waitingForTheBudgetHoldsNoDatabaseConnectionAndCountsAsAWait() throws Exception {
        HikariDataSource poolA = schema.pool();
        HikariDataSource poolB = schema.pool();
        List<Integer> inUseWhileWaiting = new ArrayList<>();
        BlockingStrategy watchingSleeper = nanos -> {
            inUseWhileWaiting.add(poolA.getHikariPoolMXBean().getActiveConnections()
                    + poolB.getHikariPoolMXBean().getActiveConnections());
            now.addAndGet(nanos);
        };
        List<Limit> limits = List.of(new Limit(5, Duration.ofSeconds(1)));
        String key = freshKey();
        RateLimiter a = replica(poolA, watchingSleeper).budget(key, limits);
        RateLimiter b = replica(poolB, watchingSleeper).budget(key, limits);

        assertThat(a.acquire()).as("the first call finds a token: no wait").isZero();
        assertThat(b.acquire()).as("the next one waits for the refill").isPositive();
        a.blockFor(Duration.ofSeconds(2));
        assertThat(b.acquire()).isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());

        assertThat(inUseWhileWaiting).isNotEmpty().containsOnly(0);
    }

    /** The most grants within any closed window of the given length. */
    static int maxInAnyWindow(List<Long> sortedNanos, Duration window) {
        int max = 0;
        for (int first = 0, last = 0; last < sortedNanos.size(); last++) {
            while (sortedNanos.get(last) - sortedNanos.get(first) > window.toNanos()) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }
}
