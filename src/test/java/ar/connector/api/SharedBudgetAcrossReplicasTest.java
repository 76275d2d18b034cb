package ar.connector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.RecordedCall;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.RecordedRequest;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.testsupport.PostgresSchema;
import ar.connector.testsupport.TestConnector;

/**
 * Two replicas of the production clients (each with its own connection pool and shared budgets, as
 * two connector processes have) on one PostgreSQL schema, driving one Contabilium account and one
 * Jumpseller store at once. Contabilium's periods are scaled tenfold on both sides (25 and 30 per
 * 1 s instead of per 10 s) and the margin with them less than tenfold (200 ms instead of 500 ms:
 * the test machine's lags are not scaled); Jumpseller's windows are the sandbox's wall-clock
 * seconds, at the real 20 per second. The sandboxes count every arrival: no 429, no window over.
 */
@EnabledIf(value = "ar.connector.testsupport.PostgresSchema#reachable",
        disabledReason = "PostgreSQL not reachable at 127.0.0.1:5432 — skipping the shared budget tests")
class SharedBudgetAcrossReplicasTest {

    private static final Duration MARGIN = Duration.ofMillis(200);
    private static final AtomicInteger names = new AtomicInteger();

    private static PostgresSchema schema;
    private static ContabiliumSandbox contabilium;
    private static JumpsellerSandbox jumpseller;

    @BeforeAll
    static void start() {
        schema = PostgresSchema.migrated();
        contabilium = ContabiliumSandbox.start();
        jumpseller = JumpsellerSandbox.start();
    }

    @AfterAll
    static void stop() {
        contabilium.close();
        jumpseller.close();
        schema.close();
    }

    @AfterEach
    void unlimit() {
        contabilium.unlimited();
        jumpseller.setRateLimits(0, 0);
    }

    /** One replica's budgets: its own pool on the common schema, its own {@link SharedBudgets}. */
    private static ApiBudgets replicaBudgets() {
        return new SharedBudgets(schema.pool(), MARGIN);
    }

    private static ContabiliumClient contabiliumReplica(int requests, Duration block) {
        return contabiliumReplica(requests, block, replicaBudgets());
    }

    private static ContabiliumClient contabiliumReplica(int requests, Duration block, ApiBudgets budgets) {
        return contabiliumReplica(requests, Duration.ofSeconds(1), block, budgets);
    }

    private static ContabiliumClient contabiliumReplica(int requests, Duration period, Duration block,
            ApiBudgets budgets) {
        return new ContabiliumClient(TestConnector.properties("contabilium.api-url", contabilium.baseUrl(),
                "contabilium.rate-limit.requests", requests,
                "contabilium.rate-limit.inventory-requests", 30,
                "contabilium.rate-limit.period", period.toMillis() + "ms",
                "contabilium.rate-limit.block", block.toMillis() + "ms",
                "contabilium.rate-limit.scope", "account"),
                TestConnector.metrics(), budgets);
    }

    private static JumpsellerClient jumpsellerReplica(int perSecond) {
        return jumpsellerReplica(perSecond, replicaBudgets());
    }

    private static JumpsellerClient jumpsellerReplica(int perSecond, ApiBudgets budgets) {
        return new JumpsellerClient(TestConnector.properties("jumpseller.api-url", jumpseller.baseUrl(),
                "jumpseller.rate-limit.per-second", perSecond,
                "jumpseller.rate-limit.per-minute", 0),
                TestConnector.metrics(), budgets);
    }

    /** A replica's budgets that open {@code blocked} once a 429's block has been handed to them. */
    private static ApiBudgets signallingBlocks(CountDownLatch blocked) {
        ApiBudgets shared = replicaBudgets();
        return (key, limits) -> {
            RateLimiter budget = shared.budget(key, limits);
            return new RateLimiter() {
                @Override
                public long acquire() throws InterruptedException {
                    return budget.acquire();
                }

                @Override
                public long acquire(Duration maxWait) throws InterruptedException {
                    return budget.acquire(maxWait);
                }

                @Override
                public void release() {
                    budget.release();
                }

                @Override
                public void blockFor(Duration duration) {
                    budget.blockFor(duration);
                    blocked.countDown();
                }
            };
        };
    }

    private static SandboxAccount account() {
        String email = "replicas" + names.incrementAndGet() + "@example.com";
        return contabilium.addAccount(email, "key", "RI", "Replicas SA", "30712345674").seedDefaults();
    }

    private static SandboxStore store() {
        String code = "replicas" + names.incrementAndGet();
        return jumpseller.addStore(code, "Tienda " + code, "login", "token", "hooks");
    }

    @Test
    void twoReplicasDrawingOnOneContabiliumAccountMeetNo429AndNoWindowOverTheLimit() throws Exception {
        contabilium.setLimits(25, Duration.ofSeconds(1), 30, Duration.ofSeconds(1));
        SandboxAccount account = account();
        ContabiliumAccount credentials = new ContabiliumAccount(account.email(), "key");
        List<ContabiliumClient> replicas = List.of(contabiliumReplica(25, Duration.ofSeconds(1)),
                contabiliumReplica(25, Duration.ofSeconds(1)));
        int hitsBefore = contabilium.rateLimitHits();
        int callsPerKind = 120;

        // three threads per replica, general and inventory calls mixed on both replicas
        runOnReplicas(replicas, 3, 2 * callsPerKind, (client, n) -> {
            if (n / replicas.size() % 2 == 0) {
                client.accountInfo(credentials);
            } else {
                client.depositos(credentials);
            }
        });

        List<Instant> general = infoCallsAfterCheckingNo429AndNoWindowOver25(account, hitsBefore);
        assertThat(general).hasSize(callsPerKind);
        double rate = rate(general);
        System.out.printf("Two replicas, one Contabilium account at 25 per 1 s (margin %d ms): %d general calls at "
                + "%.1f/s = %.1f %% of 25/s (pacing allows %.1f %%), busiest window %d, 0 x 429%n", MARGIN.toMillis(),
                general.size(), rate, 100 * rate / 25, 100.0 * 24 / 25 / 1.2,
                contabilium.maxRequestsInAnyWindow(account.email()));
    }

    @Test
    void twoReplicasDrawingOnOneJumpsellerStoreMeetNo429AndNoSecondOverTheLimit() throws Exception {
        jumpseller.setRateLimits(20, 0);
        SandboxStore store = store();
        StoreCredentials credentials = new StoreCredentials(store.code(), "login", "token");
        List<JumpsellerClient> replicas = List.of(jumpsellerReplica(20), jumpsellerReplica(20));
        int calls = 120;

        runOnReplicas(replicas, 3, calls, (client, n) -> client.storeInfo(credentials));

        assertThat(store.rateLimitHits()).as("Jumpseller 429s").isZero();
        assertThat(store.maxPerSecondObserved()).as("requests in any wall-clock second").isLessThanOrEqualTo(20);
        List<Instant> seen = jumpseller.requests().stream().filter(r -> store.code().equals(r.storeCode()))
                .map(RecordedRequest::at).sorted().toList();
        assertThat(seen).hasSize(calls);
        double rate = rate(seen);
        System.out.printf("Two replicas, one Jumpseller store at 20/s (margin %d ms): %d requests at %.1f/s = %.1f %% "
                + "of 20/s (pacing allows %.1f %%), busiest second %d, 0 x 429%n", MARGIN.toMillis(), seen.size(), rate,
                100 * rate / 20, 100.0 * 19 / 20 / 1.2, store.maxPerSecondObserved());
    }

    /** The same at Contabilium's real limit and the default margin (over a minute, so heavy); prints the share used. */
    @Test
    @Tag("heavy")
    void twoReplicasAtContabiliumsRealLimitMeetNo429AndNoWindowOverIt() throws Exception {
        Duration period = Duration.ofSeconds(10);
        Duration margin = Duration.ofMillis(500);
        contabilium.setLimits(25, period, 30, Duration.ofSeconds(60));
        SandboxAccount account = account();
        ContabiliumAccount credentials = new ContabiliumAccount(account.email(), "key");
        List<ContabiliumClient> replicas = List.of(
                contabiliumReplica(25, period, Duration.ofSeconds(60), new SharedBudgets(schema.pool(), margin)),
                contabiliumReplica(25, period, Duration.ofSeconds(60), new SharedBudgets(schema.pool(), margin)));
        int hitsBefore = contabilium.rateLimitHits();
        int calls = 160;

        runOnReplicas(replicas, 3, calls, (client, n) -> client.accountInfo(credentials));

        List<Instant> seen = infoCallsAfterCheckingNo429AndNoWindowOver25(account, hitsBefore);
        double rate = rate(seen);
        System.out.printf("Two replicas, one Contabilium account at the real 25 per 10 s (margin %d ms): %d calls at "
                + "%.3f/s = %.1f %% of 2.5/s (pacing allows %.1f %%), busiest 10 s window %d, 0 x 429%n",
                margin.toMillis(), seen.size(), rate, 100 * rate / 2.5, 100.0 * 24 / 25 * 10 / 10.5,
                contabilium.maxRequestsInAnyWindow(account.email()));
    }

    @Test
    void afterOneReplicaMeetsA429TheOtherDoesNotCallContabiliumDuringTheBlock() throws Exception {
        // The account allows fewer calls than the replicas are told (another program shares it), so
        // replica a meets a 429 and a block of 1.5 s; any call during the block would meet another.
        Duration block = Duration.ofMillis(1500);
        contabilium.setLimits(5, Duration.ofSeconds(1), 30, block);
        SandboxAccount account = account();
        ContabiliumAccount credentials = new ContabiliumAccount(account.email(), "key");
        CountDownLatch blocked = new CountDownLatch(1);
        ContabiliumClient a = contabiliumReplica(25, block, signallingBlocks(blocked));
        ContabiliumClient b = contabiliumReplica(25, block);
        int hitsBefore = contabilium.rateLimitHits();

        callWhileTheOtherIsBlocked(() -> {
            for (int i = 0; i < 6; i++) {
                a.accountInfo(credentials);
            }
        }, blocked, () -> b.accountInfo(credentials));

        assertThat(contabilium.rateLimitHits() - hitsBefore).as("429s: a's one, none for b during the block").isOne();
        assertThat(contabilium.calls().stream().filter(c -> account.email().equalsIgnoreCase(c.account())
                && c.endpoint() == Endpoint.OBTENER_INFO && c.status() == 200)).hasSize(7);
    }

    @Test
    void afterOneReplicaMeetsA429TheOtherDoesNotCallTheStoreBeforeTheNextSecond() throws Exception {
        jumpseller.setRateLimits(3, 0);
        jumpseller.setBan(0, Duration.ZERO);
        SandboxStore store = store();
        StoreCredentials credentials = new StoreCredentials(store.code(), "login", "token");
        CountDownLatch blocked = new CountDownLatch(1);
        JumpsellerClient a = jumpsellerReplica(20, signallingBlocks(blocked));
        JumpsellerClient b = jumpsellerReplica(20);

        callWhileTheOtherIsBlocked(() -> {
            for (int i = 0; i < 20 && store.rateLimitHits() == 0; i++) {
                a.storeInfo(credentials);
            }
        }, blocked, () -> b.storeInfo(credentials));

        List<RecordedRequest> seen = jumpseller.requests().stream().filter(r -> store.code().equals(r.storeCode()))
                .toList();
        assertThat(store.rateLimitHits()).as("429s: a's one, none for b").isOne();
        Instant limitedAt = seen.stream().filter(r -> r.status() == 429).findFirst().orElseThrow().at();
        Instant nextSecond = Instant.ofEpochSecond(limitedAt.getEpochSecond() + 1);
        assertThat(seen.stream().filter(r -> r.at().isAfter(limitedAt)).map(RecordedRequest::at))
                .as("a's retry and b's call, both held until the next second")
                .hasSize(2).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(nextSecond));
    }

    /**
     * The account's obtenerinfo calls as the sandbox saw them, once it is checked that no call met a 429
     * and no window of the sandbox's period held more than 25 general calls.
     */
    private static List<Instant> infoCallsAfterCheckingNo429AndNoWindowOver25(SandboxAccount account, int hitsBefore) {
        assertThat(contabilium.rateLimitHits() - hitsBefore).as("Contabilium 429s").isZero();
        assertThat(contabilium.maxRequestsInAnyWindow(account.email())).as("general calls in any window")
                .isLessThanOrEqualTo(25);
        return contabilium.calls().stream()
                .filter(c -> account.email().equalsIgnoreCase(c.account()) && c.endpoint() == Endpoint.OBTENER_INFO)
                .map(RecordedCall::at).sorted().toList();
    }

    /**
     * Runs replica a's calls (one of which meets a 429) and, as soon as a has handed the block to its
     * budget ({@code blocked} opens), replica b's call; then waits for a's calls to end.
     */
    private static void callWhileTheOtherIsBlocked(Runnable callsOfA, CountDownLatch blocked, Runnable callOfB)
            throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> a = pool.submit(callsOfA);
            assertThat(blocked.await(10, TimeUnit.SECONDS)).as("a met a 429").isTrue();
            callOfB.run();
            a.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private interface ClientCall<C> {
        void run(C client, int n) throws Exception;
    }

    /** {@code calls} calls spread over {@code threads} threads per replica, all replicas at once. */
    private static <C> void runOnReplicas(List<C> replicas, int threads, int calls, ClientCall<C> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads * replicas.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < calls; n++) {
                C client = replicas.get(n % replicas.size());
                int number = n;
                done.add(pool.submit(() -> {
                    call.run(client, number);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Calls per second between the first and the last. */
    private static double rate(List<Instant> at) {
        return (at.size() - 1) / (Duration.between(at.get(0), at.get(at.size() - 1)).toNanos() / 1e9);
    }
}
