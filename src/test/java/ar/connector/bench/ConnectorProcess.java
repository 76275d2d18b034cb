package ar.connector.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ar.connector.support.Http;

/**
 * The production jar started as its own JVM (java -jar), so its CPU time and heap are its own and
 * not the sandboxes'. Its database and broker journal live in a fresh folder; it is stopped by
 * its process id only.
 */
final class ConnectorProcess implements AutoCloseable {

    static final String ADMIN_PASSWORD = "bench-admin-password";
    // A fixed 256-bit key (base64) for throwaway benchmark data only.
    private static final String SECRETS_KEY = "MtcyH9szXvld4ZR3Kx0OvnzqF/gBqmzQaYcxvECE6Ho=";
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final Process process;
    final String baseUrl;
    final Http admin;
    final Path log;

    private ConnectorProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.admin = Http.basic(baseUrl, "admin", ADMIN_PASSWORD);
        this.log = log;
    }

    static ConnectorProcess start(Path jar, Path dir, List<String> jvmOptions, Map<String, String> properties) {
        try {
            Files.createDirectories(dir);
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
            command.add("--server.port=" + port);
            command.add("--connector.data-dir=" + dir.toAbsolutePath());
            command.add("--connector.admin.password=" + ADMIN_PASSWORD);
            command.add("--connector.secrets.key=" + SECRETS_KEY);
            // Orders reach the connector only through the bulk runs being measured.
            command.add("--connector.polling.interval=1h");
            command.add("--connector.polling.initial-delay=1h");
            command.add("--logging.level.root=WARN");
            command.add("--logging.level.ar.connector=WARN");
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            Path log = dir.resolve("connector.log");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ConnectorProcess connector = new ConnectorProcess(process, "http://127.0.0.1:" + port, log);
            connector.awaitHealthy(Duration.ofMinutes(3));
            return connector;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU time the connector process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Used heap in KiB after two full collections (jcmd GC.run, then GC.heap_info). */
    long heapUsedAfterGcKib() {
        jcmd("GC.run");
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(2));
    }

    /** Starts a JFR recording (profile settings) named "bench" in the connector JVM. */
    void jfrStart() {
        jcmd("JFR.start", "name=bench", "settings=profile");
    }

    /** Stops the "bench" recording and writes it to {@code file}. */
    void jfrStop(Path file) {
        jcmd("JFR.stop", "name=bench", "filename=" + file.toAbsolutePath());
    }

    private String jcmd(String... command) {
        try {
            List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid())));
            line.addAll(List.of(command));
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http anonymous = Http.anonymous(baseUrl);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the connector exited with " + process.exitValue() + "; see " + log);
            }
            try {
                // Readiness, not /actuator/health: that one answers 200 while the application is still
                // starting (Camel's routes not yet consuming: webhooks and runs then answer 503).
                Http.Response readiness = anonymous.get("/actuator/health/readiness");
                if (readiness.status() == 200 && "UP".equals(readiness.json().path("status").asText())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Bench.pause(Duration.ofMillis(500));
        }
        close();
        throw new IllegalStateException("the connector did not become healthy within " + timeout + "; see " + log);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
