package ar.connector.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Fault;

/**
 * The fault suite of SPEC §5 (short version for CI): the packaged connector runs as a process of its
 * own on an external Artemis broker (a third process), and each scenario disturbs a bulk run of
 * {@value #DEFAULT_ORDERS} paid orders (or replays webhooks), then reconciles what the Contabilium
 * sandbox holds: exactly one invoice per paid order, none missing, none duplicated, no draft left.
 * {@code -Dfaults.orders=N} runs bigger batches.
 */
@Tag("heavy")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

    static final int DEFAULT_ORDERS = 200;
    static final int ORDERS = Integer.getInteger("faults.orders", DEFAULT_ORDERS);
    static final int MAX_ATTEMPTS = 25;
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10); // a bound for a loaded CI machine, not a target

    @TempDir
    static Path workDir;

    FaultBench bench;
    final List<String> results = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void startProcesses() throws IOException {
        bench = new FaultBench("fault-suite", workDir, List.of(
                "--connector.invoicing.max-attempts=" + MAX_ATTEMPTS,
                "--connector.invoicing.redelivery-delay=200ms",
                "--connector.invoicing.max-redelivery-delay=1s",
                "--connector.contabilium.read-timeout=600ms"),
                // The external broker redelivers like the embedded one would with the same properties.
                new long[] {200, 1000, MAX_ATTEMPTS + 5});
        bench.contabilium.setEmitirLatency(Duration.ofMillis(30));
        bench.contabilium.setTimeoutHold(Duration.ofSeconds(1));
        results.add("broker ready in " + FaultBench.seconds(bench.startBroker()));
        results.add("connector healthy in " + FaultBench.seconds(bench.startConnector()));
    }

    /** A scenario that failed half way must not leave the next one without its processes. */
    @BeforeEach
    void processesRunning() {
        bench.contabilium.clearFaults();
        if (!bench.broker.isAlive()) {
            bench.startBroker();
        }
        if (!bench.connector.isAlive()) {
            bench.startConnector();
        } else {
            bench.awaitHealthy(Duration.ofSeconds(60));
        }
    }

    @Test
    @Order(1)
    void connectorSigkilledAndRestartedDuringABulkRun() {
        FaultBench.Shop shop = bench.link(bench.newShop("kill", 20, ORDERS, 5), Map.of());
        String runId = bench.startRun(shop);
        List<FaultBench.Kill> kills = bench.killAndRestartMidRun(shop, 40);
        kills.forEach(kill -> results.add(kill.line()));
        finish("1 connector SIGKILL + restart", shop, runId);
    }

    @Test
    @Order(2)
    void brokerStoppedAndRestartedDuringABulkRun() {
        FaultBench.Shop shop = bench.link(bench.newShop("broker", 20, ORDERS, 5), Map.of());
        String runId = bench.startRun(shop);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> bench.issued(shop) >= 40);
        assertThat(bench.issued(shop)).as("the run must still be in progress").isLessThan(ORDERS);
        bench.broker.stop();
        int atStop = bench.issued(shop);
        long stopped = System.nanoTime();
        // The connector notices: its health turns DOWN (the JMS indicator) while it keeps running.
        await("connector reports the broker down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(bench.connector.isAlive()).as(bench.connector.output()).isTrue();
                    JsonNode health = bench.health();
                    return health != null && !"UP".equals(health.path("status").asText());
                });
        int whileDown = bench.issued(shop);
        Duration down = Duration.ofNanos(System.nanoTime() - stopped);
        bench.startBroker();
        long restarted = System.nanoTime();
        await("invoicing resumes after the broker restart").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> bench.issued(shop) > whileDown || bench.issued(shop) >= ORDERS);
        results.add(String.format("broker stopped at %d invoices; %d issued by the time the connector reported it "
                + "DOWN (%s); invoicing resumed %s after the broker restart", atStop, whileDown,
                FaultBench.seconds(down), FaultBench.seconds(Duration.ofNanos(System.nanoTime() - restarted))));
        bench.awaitHealthy(Duration.ofSeconds(60));
        finish("2 broker stop + restart", shop, runId);
    }

    @Test
    @Order(3)
    void contabiliumFailingThirtyPercentOfCallsWith5xxAndTimeouts() {
        FaultBench.Shop shop = bench.link(bench.newShop("flaky", 20, ORDERS, 5), Map.of());
        bench.contabilium.setSeed(3);
        bench.contabilium.failRate(0.3, Set.of(Fault.HTTP_500, Fault.HTTP_503, Fault.TIMEOUT));
        try {
            String runId = bench.startRun(shop);
            bench.awaitRunDone(runId, RUN_TIMEOUT);
        } finally {
            bench.contabilium.clearFaults();
        }
        finish("3 Contabilium 30% 5xx/timeouts", shop, null);
    }

    @Test
    @Order(4)
    void emitirFeTimingOutAfterGrantingTheCae() {
        FaultBench.Shop shop = bench.link(bench.newShop("cae", 20, ORDERS, 5), Map.of());
        bench.contabilium.setSeed(4);
        bench.contabilium.failRate(0.3, Set.of(Fault.EMITIR_TIMEOUT_AFTER_CAE));
        try {
            String runId = bench.startRun(shop);
            bench.awaitRunDone(runId, RUN_TIMEOUT);
        } finally {
            bench.contabilium.clearFaults();
        }
        int reissues = shop.account().reissueAttempts();
        results.add("emitirFE called again on an invoice that already had its CAE: " + reissues + " times");
        finish("4 emitirFE timeout after CAE", shop, null);
        assertThat(reissues).as("a lost emitirFE answer is recovered by reading the document, not by re-emitting")
                .isZero();
    }

    @Test
    @Order(5)
    void everyWebhookDeliveredThreeTimes() throws Exception {
        FaultBench.Shop shop = bench.link(bench.newShop("replay", 20, 0, 0), Map.of());
        bench.addOrders(shop, FaultBench.skuCodes(20), ORDERS, 5);
        List<Long> deliveries = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            deliveries.addAll(shop.paid());
        }
        Collections.shuffle(deliveries, new Random(5));
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (long orderId : deliveries) {
                answers.add(senders.submit(() -> bench.signedWebhook(shop, "order_paid", orderId)));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            senders.shutdown();
        }
        Duration sent = Duration.ofNanos(System.nanoTime() - started);
        await("every paid order invoiced").atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> bench.logCount(shop, "INVOICED") == ORDERS);
        // The later copies are still draining from the queue: the count must hold while they do.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> bench.issued(shop) == ORDERS);
        results.add(String.format("%d signed webhooks (3 per paid order) acknowledged in %s", deliveries.size(),
                FaultBench.seconds(sent)));
        finish("5 every webhook 3x", shop, null);
    }

    private void finish(String scenario, FaultBench.Shop shop, String runId) {
        if (runId != null) {
            bench.awaitRunDone(runId, RUN_TIMEOUT);
        }
        FaultBench.Reconciliation reconciliation = bench.reconcile(scenario, shop);
        results.add(reconciliation.line());
        System.out.println(reconciliation.line());
        if (reconciliation.drafts() > 0) {
            System.out.println(FaultBench.describe(shop.account().drafts()));
        }
        reconciliation.assertExactlyOnePerPaidOrder();
        assertThat(bench.logCount(shop, "INVOICED")).as("%s: the order log", scenario).isEqualTo(ORDERS);
        assertThat(bench.logCount(shop, "FAILED") + bench.logCount(shop, "PARKED")).as(scenario).isZero();
    }

    @AfterAll
    void stopAndReport() throws IOException {
        if (bench != null) {
            bench.close();
        }
        String report = "Fault suite, " + ORDERS + " paid orders per scenario\n" + String.join("\n", results) + "\n";
        System.out.println(report);
        Files.createDirectories(ManagedProcess.LOG_DIR);
        Files.writeString(ManagedProcess.LOG_DIR.resolve("fault-suite-results.txt"), report);
    }
}
