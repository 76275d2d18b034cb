package ar.connector.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM this test starts, kills and starts again with the same command line. Each start writes its
 * output to a file of its own under {@code target/faults/} ({@code <label>-<start>.log}), kept after
 * the build for diagnosis.
 */
final class ManagedProcess {

    static final Path LOG_DIR = Path.of(System.getProperty("basedir", "."), "target", "faults");

    private final String label;
    private final List<String> command;
    private final Path workDir;
    private Process process;
    private Path log;
    private int starts;

    ManagedProcess(String label, List<String> command, Path workDir) {
        this.label = label;
        this.command = List.copyOf(command);
        this.workDir = workDir;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path (failsafe hands it over in surefire.test.class.path; java.class.path may be a manifest jar). */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    synchronized ManagedProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(label + " is already running");
        }
        starts++;
        try {
            Files.createDirectories(LOG_DIR);
            log = LOG_DIR.resolve(label + "-" + starts + ".log");
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook, no flush. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(30);
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitForExit(30)) {
                kill();
            }
        }
    }

    private boolean waitForExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    int starts() {
        return starts;
    }

    String label() {
        return label;
    }

    Path log() {
        return log;
    }

    /** The output of the current start (its last lines when long). */
    String output() {
        if (log == null) {
            return "(not started)";
        }
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 20_000 ? "…" + text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    static List<String> command(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
