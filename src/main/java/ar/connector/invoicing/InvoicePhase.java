package ar.connector.invoicing;

/**
 * How far an order's invoice got at Contabilium. Each phase is committed before the remote call
 * it guards, so after a crash the phase names the one recovery read needed, and nothing else.
 */
public enum InvoicePhase {
    /** Nothing sent to Contabilium (or a failed draft was removed). */
    NONE,
    /** {@code crear} was sent and its answer not recorded: a draft may exist, find it by RefExterna. */
    CREATING,
    /** A draft exists with the recorded id and no CAE. */
    DRAFTED,
    /** {@code emitirFE} was sent and its answer not recorded: read the draft back before anything else. */
    EMITTING,
    /** CAE granted and recorded. */
    ISSUED
}
