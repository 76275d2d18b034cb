package ar.connector.cluster;

import ar.connector.faults.StandaloneBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.contabilium.SandboxDocument;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.RecordedRequest;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.support.Http;

/**
 * The cluster profile as SPEC §6 describes it: two connector processes (the built jar, java -jar)
 * on one PostgreSQL (a fresh schema of the local server's database {@code test}) and one Artemis
 * broker in a JVM of its own. A schedule fires once per period across both instances; the same
 * orders delivered to both still get one invoice each; emitirFE is never concurrent for an account;
 * the instances share each API budget, so the sandboxes, limited as live, never answer 429.
 * Runs in the integration-test phase (the jar must exist) with the heavy tests.
 */
@Tag("heavy")
class ClusterIT {

    static final String ADMIN_PASSWORD = "cluster-admin-password";
    static final Duration POLL_INTERVAL = Duration.ofSeconds(3);
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int JS_PER_SECOND = 20;
    static final int JS_PER_MINUTE = 800;
    static final int CB_REQUESTS = 25;
    static final int CB_INVENTORY_REQUESTS = 30;
    static final Duration CB_PERIOD = Duration.ofSeconds(1);

    static Path work;
    static String schema;
    static JumpsellerSandbox jumpseller;
    static ContabiliumSandbox contabilium;
    static Process broker;
    static final List<Instance> instances = new ArrayList<>();

    record Instance(String name, int port, Process process, Path log) {
        String base() {
            return "http://127.0.0.1:" + port;
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(postgresReachable(), "PostgreSQL at 127.0.0.1:5432 (db test, user postgres) is not reachable");
        work = Files.createDirectories(Path.of(basedir(), "target", "cluster-it", UUID.randomUUID().toString()));
        schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("create schema " + schema);

        // Both APIs limited as live (Contabilium's period scaled tenfold on both sides): the two
        // instances share each budget through the database, so together they never draw a 429.
        jumpseller = JumpsellerSandbox.start();
        jumpseller.setRateLimits(JS_PER_SECOND, JS_PER_MINUTE);
        contabilium = ContabiliumSandbox.start();
        contabilium.setLimits(CB_REQUESTS, CB_PERIOD, CB_INVENTORY_REQUESTS, CB_PERIOD);

        int brokerPort = freePort();
        broker = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StandaloneBroker.class.getName(), String.valueOf(brokerPort), work.resolve("broker").toString())
                .redirectErrorStream(true)
                .start();
        awaitLine(broker, "BROKER READY", Duration.ofSeconds(60));

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretsKey = Base64.getEncoder().encodeToString(key);
        for (String name : List.of("a", "b")) {
            instances.add(startInstance(name, brokerPort, secretsKey));
        }
        for (Instance instance : instances) {
            Http anonymous = Http.anonymous(instance.base());
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        assertThat(instance.process().isAlive()).as("%s exited:\n%s", instance.name(), instance.output())
                                .isTrue();
                        Http.Response health = anonymous.get("/actuator/health/readiness");
                        return health.status() == 200 && "UP".equals(health.json().path("status").asText());
                    });
        }
    }

    static Instance startInstance(String name, int brokerPort, String secretsKey) throws IOException {
        int port = freePort();
        Path log = work.resolve("connector-" + name + ".log");
        Path dir = Files.createDirectories(work.resolve("connector-" + name));
        Process process = new ProcessBuilder(java(), "-Xmx512m", "-jar", builtJar().toString(),
                "--spring.profiles.active=cluster",
                "--server.port=" + port,
                "--spring.datasource.url=" + PG_URL + "?currentSchema=" + schema,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort,
                "--connector.admin.password=" + ADMIN_PASSWORD,
                "--connector.secrets.key=" + secretsKey,
                "--connector.data-dir=" + dir,
                "--connector.jumpseller.api-url=" + jumpseller.baseUrl(),
                "--connector.contabilium.api-url=" + contabilium.baseUrl(),
                "--connector.polling.interval=" + POLL_INTERVAL.toSeconds() + "s",
                "--connector.polling.initial-delay=1s",
                "--connector.invoicing.redelivery-delay=100ms",
                "--connector.invoicing.max-redelivery-delay=400ms",
                "--connector.jumpseller.rate-limit.per-second=" + JS_PER_SECOND,
                "--connector.jumpseller.rate-limit.per-minute=" + JS_PER_MINUTE,
                "--connector.contabilium.rate-limit.requests=" + CB_REQUESTS,
                "--connector.contabilium.rate-limit.inventory-requests=" + CB_INVENTORY_REQUESTS,
                "--connector.contabilium.rate-limit.period=" + CB_PERIOD.toMillis() + "ms",
                "--connector.contabilium.rate-limit.block=" + CB_PERIOD.toMillis() + "ms")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Instance(name, port, process, log);
    }

    @Test
    void schedulesFireOncePerClusterAndOrdersDeliveredToBothInstancesGetOneInvoiceEach() throws Exception {
        SandboxAccount account = contabilium.addAccount("cluster@example.com", "cluster-key", "RI", "Cluster SA",
                "30712345674");
        account.seedDefaults();
        account.addConcepto("REM-01", "Remera", new BigDecimal("1210.00"), new BigDecimal("21"));
        SandboxStore store = jumpseller.addStore("cluster-store", "Tienda Cluster", "login", "token", "hooks-token");
        Http adminA = Http.basic(instances.get(0).base(), "admin", ADMIN_PASSWORD);
        Http.Response created = adminA.post("/api/links", JSON.writeValueAsString(Map.of("name", "Cluster",
                "contabilium", Map.of("clientId", "cluster@example.com", "clientSecret", "cluster-key"),
                "jumpseller", Map.of("storeCode", "cluster-store", "login", "login", "authToken", "token"),
                "settings", Map.of("puntoDeVentaId", 1, "condicionDeVenta", "Contado", "emailReceipts", false))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long linkId = created.json().path("id").asLong();
        Http adminB = Http.basic(instances.get(1).base(), "admin", ADMIN_PASSWORD);
        assertThat(adminB.get("/api/links/" + linkId).status()).as("instance b sees the link").isEqualTo(200);

        // The poll: both instances' timers fire every 3 s; the lease lets one of them read the store.
        Instant windowStart = Instant.now();
        await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16)).until(() -> true);
        Instant windowEnd = Instant.now();
        List<Instant> polls = jumpseller.requests().stream()
                .filter(r -> "cluster-store".equals(r.storeCode()) && r.is("GET", "/orders/after/\\d+\\.json"))
                .map(RecordedRequest::at)
                .filter(at -> at.isAfter(windowStart) && at.isBefore(windowEnd))
                .sorted().toList();
        long windowSeconds = Duration.between(windowStart, windowEnd).toSeconds();
        assertThat(polls.size()).as("poll runs in %d s at one per %s: %s", windowSeconds, POLL_INTERVAL, polls)
                .isBetween(2, (int) (windowSeconds / POLL_INTERVAL.toSeconds()) + 1);
        for (int i = 1; i < polls.size(); i++) {
            assertThat(Duration.between(polls.get(i - 1), polls.get(i)))
                    .as("gap between poll runs %s", polls).isGreaterThan(POLL_INTERVAL.dividedBy(2));
        }

        // Webhooks: every order delivered to both instances at once (plus whatever the poll finds).
        int orders = 8;
        List<Long> orderIds = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            orderIds.add(store.newOrder()
                    .customer("buyer" + i + "@example.com", "Buyer " + i)
                    .additionalField("DNI", String.valueOf(30_000_000 + i))
                    .line("REM-01", 1 + i % 3, 1210.00)
                    .status("paid").create());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> deliveries = new ArrayList<>();
            for (long orderId : orderIds) {
                byte[] body = JSON.writeValueAsBytes(Map.of("order", store.order(orderId)));
                String signature = store.sign(body);
                for (Instance instance : instances) {
                    deliveries.add(CompletableFuture.supplyAsync(() -> webhook(instance, body, signature), pool));
                }
            }
            for (CompletableFuture<Integer> delivery : deliveries) {
                assertThat(delivery.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> orderIds.stream()
                .allMatch(id -> "INVOICED".equals(adminB.get("/api/links/" + linkId + "/orders/" + id).json()
                        .path("status").asText())));
        // Let every queued copy (two webhooks and polls per order) be consumed before counting.
        await().during(Duration.ofSeconds(POLL_INTERVAL.toSeconds() * 2)).atMost(Duration.ofSeconds(30))
                .until(() -> account.issuedInvoices().size() == orders);
        List<SandboxDocument> invoices = account.issuedInvoices();
        assertThat(invoices).extracting(SandboxDocument::refExterna).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(orderIds.stream()
                        .map(id -> "jumpseller:cluster-store:" + id).toList());
        assertThat(contabilium.count("cluster@example.com", Endpoint.EMITIR_FE)).isEqualTo(orders);
        assertThat(contabilium.concurrentEmitirViolations()).isZero();
        assertThat(contabilium.rateLimitHits()).as("Contabilium 429s").isZero();
        assertThat(contabilium.maxRequestsInAnyWindow("cluster@example.com")).as("Contabilium calls in any %s", CB_PERIOD)
                .isLessThanOrEqualTo(CB_REQUESTS);
        assertThat(store.rateLimitHits()).as("Jumpseller 429s").isZero();
        assertThat(store.maxPerSecondObserved()).as("Jumpseller requests in any second").isLessThanOrEqualTo(JS_PER_SECOND);
    }

    static int webhook(Instance instance, byte[] body, String signature) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(instance.base() + "/webhooks/jumpseller"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Jumpseller-Event", "order_paid")
                    .header("Jumpseller-Store-Code", "cluster-store")
                    .header("Jumpseller-Hmac-Sha256", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Instance instance : instances) {
            instance.process().destroy();
        }
        for (Instance instance : instances) {
            if (!instance.process().waitFor(30, TimeUnit.SECONDS)) {
                instance.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (broker != null) {
            broker.getOutputStream().close();
            if (!broker.waitFor(20, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (jumpseller != null) {
            jumpseller.close();
        }
        if (contabilium != null) {
            contabilium.close();
        }
        if (schema != null) {
            sql("drop schema " + schema + " cascade");
        }
    }

    static void awaitLine(Process process, String line, Duration timeout) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String read = reader.readLine(); read != null; read = reader.readLine()) {
                    if (read.contains(line)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(found.get(timeout.toSeconds(), TimeUnit.SECONDS)).as("the broker started").isTrue();
        // Keep draining its output so the broker never blocks on a full pipe.
        CompletableFuture.runAsync(() -> {
            try {
                while (reader.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the broker is gone
            }
        });
    }

    static boolean postgresReachable() {
        try (Connection ignored = DriverManager.getConnection(PG_URL, "postgres", "")) {
            return true;
        } catch (SQLException e) {
            System.err.println("SKIPPED ClusterIT: " + e.getMessage());
            return false;
        }
    }

    static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(PG_URL, "postgres", "");
                Statement st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    static Path builtJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(basedir(), "target"))) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-sources.jar")).toList();
            assertThat(jars).as("exactly one jar built by `package`").hasSize(1);
            return jars.get(0);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String basedir() {
        return System.getProperty("basedir", ".");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
