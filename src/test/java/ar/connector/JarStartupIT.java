package ar.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.support.Http;

/**
 * The jar that {@code package} built, started the way an operator starts it: {@code java -jar} in an
 * empty directory, nothing configured but a port and the admin password. It must become healthy,
 * create its database, broker journal and secrets key under {@code ./data}, and run the routes it
 * carries. Runs in the integration-test phase (maven-failsafe-plugin), after the jar exists.
 */
class JarStartupIT {

    static final String ADMIN_PASSWORD = "it-admin-password";
    static final Pattern ROUTE_ID = Pattern.compile("^-\\s+route:\\s*\\n\\s+id:\\s*\"?([\\w.-]+)\"?", Pattern.MULTILINE);

    @TempDir
    Path workDir;

    @TempDir
    Path extraRoutes;

    Process process;
    Path log;

    @Test
    void builtJarStartsFromAnEmptyDirectoryBecomesHealthyAndRunsItsRoutes() throws Exception {
        Path jar = builtJar();
        int port = freePort();
        // A route of the operator's (the file: part of routes-include-pattern) that fails once under
        // the shared error policy: the policy's own log line proves routes/error-policy.camel.yaml
        // was loaded from the jar and applies (Camel ignores an unknown routeConfigurationId).
        Path probe = extraRoutes.resolve("probe.camel.yaml");
        Files.writeString(probe, """
                - route:
                    id: connector-startup-probe
                    routeConfigurationId: connector-error-policy
                    from:
                      uri: timer:connector-startup-probe?repeatCount=1
                      steps:
                        - setHeader:
                            name: connectorLinkId
                            constant: probe-link-42
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: probe failure
                """);
        assertThat(workDir).isEmptyDirectory();
        log = extraRoutes.resolve("connector.log");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(),
                "--server.port=" + port,
                "--connector.admin.password=" + ADMIN_PASSWORD,
                "--camel.main.routes-include-pattern=classpath:routes/*.camel.yaml,file:" + probe)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        Http anonymous = Http.anonymous("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(process.isAlive()).as("the connector exited early:\n%s", output()).isTrue();
                    Http.Response health = anonymous.get("/actuator/health");
                    return health.status() == 200 && "UP".equals(health.json().path("status").asText());
                });
        assertThat(process.isAlive()).as(output()).isTrue();

        Http admin = Http.basic("http://localhost:" + port, "admin", ADMIN_PASSWORD);
        Http.Response routes = admin.get("/actuator/camelroutes");
        assertThat(routes.status()).as(routes.toString()).isEqualTo(200);
        List<String> running = new ArrayList<>();
        for (JsonNode route : routes.json()) {
            running.add(route.path("id").asText());
            assertThat(route.path("status").asText()).as(route.toString()).isEqualTo("Started");
        }
        assertThat(running).as(routes.toString()).isNotEmpty().contains("connector-startup-probe")
                .containsAll(routeIdsDeclaredIn(Path.of(basedir(), "routes")));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> output().contains("connector-startup-probe failed for probe-link-42: probe failure"));

        assertThat(anonymous.get("/actuator/camelroutes").status()).isEqualTo(401);
        assertThat(admin.get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(admin.get("/api/links").status()).isEqualTo(200);

        Path data = workDir.resolve("data");
        assertThat(data.resolve("db")).isDirectory();
        assertThat(data.resolve("artemis")).isDirectory();
        assertThat(data.resolve("secrets.key")).isRegularFile();
        byte[] key = Base64.getDecoder().decode(Files.readString(data.resolve("secrets.key")).trim());
        assertThat(key).as("a generated 256-bit key").hasSize(32);
        assertThat(data.resolve("admin-password")).as("the configured password is used, none generated")
                .doesNotExist();
        assertThat(output()).doesNotContain(ADMIN_PASSWORD);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static Path builtJar() throws IOException {
        Path target = Path.of(basedir(), "target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .filter(file -> !file.getFileName().toString().endsWith("-sources.jar"))
                    .toList();
            assertThat(jars).as("exactly one jar built by `package` in %s", target).hasSize(1);
            return jars.get(0);
        }
    }

    /** The ids of every route (not route configuration) in the project's routes/ folder. */
    static List<String> routeIdsDeclaredIn(Path folder) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher matcher = ROUTE_ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    ids.add(matcher.group(1));
                }
            }
        }
        return ids;
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

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
