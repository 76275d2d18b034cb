package ar.connector.sandbox.contabilium;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the sandbox injects into one call. Generic kinds apply to any endpoint; the fiscal crash
 * windows apply only to their endpoint ({@code CREAR} or {@code EMITIR_FE}) and are the instants the
 * connector's exactly-once guarantee has to survive.
 */
public record Fault(Kind kind, Duration latency) {

    public enum Kind {
        /** Answer 500 {"Message"} without doing anything. */
        HTTP_500,
        /** Answer 503 without doing anything. */
        HTTP_503,
        /** Hold the request longer than the client's read timeout ({@code setTimeoutHold}), then 500; nothing done. */
        TIMEOUT,
        /** Wait {@link #latency()} and then serve the call normally. */
        LATENCY,
        /** emitirFE: ARCA grants the CAE and the sandbox records it, then answers 500. */
        EMITIR_FAILS_AFTER_CAE,
        /** emitirFE: CAE granted and recorded, then the answer is held past the read timeout (then 500). */
        EMITIR_TIMEOUT_AFTER_CAE,
        /** crear: 500, nothing created. */
        CREAR_FAILS_BEFORE_CREATE,
        /** crear: the draft is created (stock moved), then 500. */
        CREAR_FAILS_AFTER_CREATE,
        /** crear: the draft is created, then the answer is held past the read timeout (then 500). */
        CREAR_TIMEOUT_AFTER_CREATE
    }

    public static final Fault HTTP_500 = new Fault(Kind.HTTP_500, Duration.ZERO);
    public static final Fault HTTP_503 = new Fault(Kind.HTTP_503, Duration.ZERO);
    public static final Fault TIMEOUT = new Fault(Kind.TIMEOUT, Duration.ZERO);
    public static final Fault EMITIR_FAILS_AFTER_CAE = new Fault(Kind.EMITIR_FAILS_AFTER_CAE, Duration.ZERO);
    public static final Fault EMITIR_TIMEOUT_AFTER_CAE = new Fault(Kind.EMITIR_TIMEOUT_AFTER_CAE, Duration.ZERO);
    public static final Fault CREAR_FAILS_BEFORE_CREATE = new Fault(Kind.CREAR_FAILS_BEFORE_CREATE, Duration.ZERO);
    public static final Fault CREAR_FAILS_AFTER_CREATE = new Fault(Kind.CREAR_FAILS_AFTER_CREATE, Duration.ZERO);
    public static final Fault CREAR_TIMEOUT_AFTER_CREATE = new Fault(Kind.CREAR_TIMEOUT_AFTER_CREATE, Duration.ZERO);

    public Fault {
        Objects.requireNonNull(kind, "kind");
        latency = latency == null ? Duration.ZERO : latency;
    }

    /** Slow but successful answer. */
    public static Fault latency(Duration d) {
        return new Fault(Kind.LATENCY, d);
    }

    /** Whether this fault means anything for a call of {@code e}. */
    public boolean appliesTo(Endpoint e) {
        return switch (kind) {
            case EMITIR_FAILS_AFTER_CAE, EMITIR_TIMEOUT_AFTER_CAE -> e == Endpoint.EMITIR_FE;
            case CREAR_FAILS_BEFORE_CREATE, CREAR_FAILS_AFTER_CREATE, CREAR_TIMEOUT_AFTER_CREATE -> e == Endpoint.CREAR;
            default -> true;
        };
    }
}
