package ar.connector.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stopping the demo with a TERM (what a process manager, an IDE or {@code kill} sends) ends it with
 * exit status 0, so {@code ./mvnw spring-boot:test-run} reports success rather than "exit code 143".
 * The demo runs in a JVM of its own, on free ports, as the Maven goal starts it.
 */
@Tag("heavy")
class DemoStopTest {

    @Test
    void aTermSignalEndsTheDemoWithStatusZero() throws Exception {
        Path dir = Path.of("target", "demo-stop-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dir);
        Path log = dir.resolve("demo.log");
        // Without empty entries: surefire's list ends with ':', which the JVM reads as the working
        // directory, whose routes/ folder would then be loaded a second time.
        String classPath = java.util.Arrays.stream(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Ddemo.server.port=0", "-Ddemo.jumpseller.port=0", "-Ddemo.contabilium.port=0", "-Ddemo.smtp.port=0",
                "-Ddemo.data-dir=" + dir.resolve("data"), "-cp", classPath, DemoApplication.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !demo.isAlive() || Files.readString(log).contains("Stop with Ctrl+C"));
            assertThat(demo.isAlive()).as("the demo started (see " + log + ")").isTrue();

            demo.destroy(); // SIGTERM: 128 + 15 = the 143 Maven used to report

            assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("the demo stopped").isTrue();
            assertThat(demo.exitValue()).as("exit status after SIGTERM (see " + log + ")").isZero();
        } finally {
            demo.destroyForcibly();
        }
    }
}
