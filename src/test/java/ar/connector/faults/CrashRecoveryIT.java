package ar.connector.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SPEC §5, "a crash at any instant": the packaged connector, on its default embedded H2 database and
 * Artemis broker, is SIGKILLed twice in the middle of a bulk run and restarted on the same data
 * directory each time. The run must finish with exactly one invoice per paid order and nothing left
 * behind. emitirFE is slowed down so kills land while calls are in flight.
 */
@Tag("heavy")
class CrashRecoveryIT {

    static final int PAID_ORDERS = Integer.getInteger("faults.orders", 200);

    @TempDir
    Path workDir;

    FaultBench bench;

    @Test
    void sigkillTwiceDuringABulkRunAndRestartOnTheSameDataLeavesExactlyOneInvoicePerPaidOrder() throws Exception {
        bench = new FaultBench("crash-recovery", workDir, List.of(
                "--connector.invoicing.redelivery-delay=200ms",
                "--connector.invoicing.max-redelivery-delay=1s",
                "--connector.contabilium.read-timeout=2s"), null);
        bench.contabilium.setEmitirLatency(Duration.ofMillis(40));
        FaultBench.Shop shop = bench.newShop("crash", 20, PAID_ORDERS, 10);
        Duration firstStart = bench.startConnector();
        System.out.println("connector healthy in " + FaultBench.seconds(firstStart));
        shop = bench.link(shop, Map.of());

        long started = System.nanoTime();
        String runId = bench.startRun(shop);
        List<FaultBench.Kill> kills = bench.killAndRestartMidRun(shop, 30, 60);
        JsonNode run = bench.awaitRunDone(runId, Duration.ofMinutes(5));
        Duration total = Duration.ofNanos(System.nanoTime() - started);

        FaultBench.Reconciliation reconciliation = bench.reconcile("SIGKILL x" + kills.size() + " (embedded broker)", shop);
        System.out.println(reconciliation.line());
        System.out.println("run " + run + " finished in " + FaultBench.seconds(total));
        assertThat(kills).hasSize(2);
        reconciliation.assertExactlyOnePerPaidOrder();
        assertThat(run.path("invoiced").asLong()).as(run.toString()).isEqualTo(PAID_ORDERS);
        assertThat(run.path("failed").asLong() + run.path("parked").asLong()).as(run.toString()).isZero();
        assertThat(bench.logCount(shop, "INVOICED")).isEqualTo(PAID_ORDERS);
    }

    @AfterEach
    void stop() {
        if (bench != null) {
            bench.close();
        }
    }
}
