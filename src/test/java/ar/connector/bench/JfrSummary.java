package ar.connector.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A short text summary of a JFR recording of the connector (bench {@code -Dbench.jfr=true}): CPU
 * samples by the area of code on the stack (inclusive: a sample counts for every area it passes
 * through), the hottest methods where the samples were taken (self), JIT compilation time, and
 * allocation by the area that allocated. Also runnable on its own:
 * {@code java -cp target/test-classes ar.connector.bench.JfrSummary file.jfr [orders]}.
 */
public final class JfrSummary {

    /** Areas by package prefix, first match wins (more specific first). */
    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("ar.connector.", "connector code");
        AREAS.put("org.hibernate.", "Hibernate");
        AREAS.put("org.springframework.orm.", "Spring ORM/transactions");
        AREAS.put("org.springframework.transaction.", "Spring ORM/transactions");
        AREAS.put("org.springframework.jdbc.", "Spring JDBC");
        AREAS.put("org.springframework.data.", "Spring Data");
        AREAS.put("org.springframework.jms.", "Spring JMS");
        AREAS.put("org.h2.", "H2");
        AREAS.put("com.zaxxer.hikari.", "Hikari");
        AREAS.put("com.fasterxml.jackson.", "Jackson");
        AREAS.put("ch.qos.logback.", "logging");
        AREAS.put("org.slf4j.", "logging");
        AREAS.put("jdk.internal.net.http.", "JDK HTTP client");
        AREAS.put("java.net.http.", "JDK HTTP client");
        AREAS.put("org.apache.camel.", "Camel");
        AREAS.put("org.apache.activemq.", "Artemis");
        AREAS.put("io.netty.", "Netty (Artemis)");
        AREAS.put("org.apache.catalina.", "Tomcat");
        AREAS.put("org.apache.coyote.", "Tomcat");
        AREAS.put("org.apache.tomcat.", "Tomcat");
        AREAS.put("org.springframework.security.", "Spring Security");
        AREAS.put("org.springframework.web.", "Spring MVC");
        AREAS.put("io.micrometer.", "Micrometer");
        AREAS.put("org.quartz.", "Quartz");
        AREAS.put("io.github.bucket4j.", "Bucket4j");
        AREAS.put("com.github.benmanes.caffeine.", "Caffeine");
        AREAS.put("javax.crypto.", "crypto");
        AREAS.put("com.sun.crypto.", "crypto");
        AREAS.put("sun.security.", "crypto");
        AREAS.put("java.util.regex.", "regex");
    }

    private JfrSummary() {
    }

    public static void main(String[] args) {
        System.out.println(summarise(Path.of(args[0]), args.length > 1 ? Long.parseLong(args[1]) : 0));
    }

    public static String summarise(Path file, long orders) {
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> allocByArea = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> connector = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long jitNanos = 0;
        long compilations = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        samples++;
                        RecordedStackTrace stack = event.getStackTrace();
                        if (event.getThread("sampledThread") != null) {
                            threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
                        }
                        if (stack == null || stack.getFrames().isEmpty()) {
                            continue;
                        }
                        List<RecordedFrame> frames = stack.getFrames();
                        self.merge(method(frames.get(0)), 1L, Long::sum);
                        Set<String> seen = new HashSet<>();
                        Set<String> own = new HashSet<>();
                        for (RecordedFrame frame : frames) {
                            if (frame.getMethod() != null && frame.getMethod().getType() != null
                                    && frame.getMethod().getType().getName().startsWith("ar.connector.")
                                    && own.add(method(frame))) {
                                connector.merge(method(frame), 1L, Long::sum);
                            }
                            String area = area(frame);
                            if (area != null && seen.add(area)) {
                                inclusive.merge(area, 1L, Long::sum);
                            }
                        }
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long weight = event.getLong("weight");
                        allocated += weight;
                        allocByClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                        RecordedStackTrace stack = event.getStackTrace();
                        String area = stack == null ? null : firstArea(stack.getFrames());
                        allocByArea.merge(area == null ? "(JDK only)" : area, weight, Long::sum);
                    }
                    case "jdk.Compilation" -> {
                        compilations++;
                        jitNanos += event.getDuration().toNanos();
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final long sampleCount = Math.max(1, samples);
        final long allocatedBytes = Math.max(1, allocated);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "CPU samples (jdk.ExecutionSample, one per running Java thread every 10 ms with the profile settings): %d%s%n", samples,
                orders > 0 ? String.format(Locale.ROOT, " (%.2f per order)", samples / (double) orders) : ""));
        out.append("By area on the stack (inclusive, % of samples):\n");
        top(inclusive, 18).forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * v / sampleCount, k)));
        out.append("By thread:\n");
        top(threads, 8).forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * v / sampleCount, k)));
        out.append("Connector methods on the stack (inclusive, % of samples):\n");
        top(connector, 30).forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * v / sampleCount, k)));
        out.append("Hottest methods (self, % of samples):\n");
        top(self, 15).forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * v / sampleCount, k)));
        out.append(String.format(Locale.ROOT, "JIT: %d compilations, %.0f ms compiling (compiler threads)%n", compilations,
                jitNanos / 1e6));
        out.append(String.format(Locale.ROOT, "Allocated (sampled estimate): %.1f MiB%s%n", allocated / 1048576.0,
                orders > 0 ? String.format(Locale.ROOT, " (%.0f KiB per order)", allocated / 1024.0 / orders) : ""));
        out.append("Allocation by first area on the stack:\n");
        top(allocByArea, 10).forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * v / allocatedBytes, k)));
        out.append("Allocation by class:\n");
        top(allocByClass, 8).forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * v / allocatedBytes, k)));
        return out.toString();
    }

    private static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("[-#]?\\d+", "#").replaceAll("\\s+", " ");
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String area(RecordedFrame frame) {
        if (frame.getMethod() == null || frame.getMethod().getType() == null) {
            return null;
        }
        String name = frame.getMethod().getType().getName();
        for (Map.Entry<String, String> e : AREAS.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String firstArea(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String area = area(frame);
            if (area != null) {
                return area;
            }
        }
        return null;
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
