package ar.connector.invoicing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What travels on the orders queue: which order of which link, who asked, and (when the asker
 * already had it) the order as Jumpseller sent it, so the flow need not read it again.
 *
 * @param source where it came from: webhook, poll, manual, bulk, credit-note
 * @param force  a person asked: retry even a PARKED or FAILED order
 * @param order  the order object ({@code {"id":…}}, unwrapped), or null to read it from Jumpseller
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderMessage(long linkId, long orderId, String source, boolean force, String runId, JsonNode order) {

    public static final String WEBHOOK = "webhook";
    public static final String POLL = "poll";
    public static final String MANUAL = "manual";
    public static final String BULK = "bulk";
    /** A person asked for the credit note of an invoiced order, whatever its Jumpseller status. */
    public static final String CREDIT_NOTE = "credit-note";

    /** Manual and bulk requests may invoice orders older than the link and when autoInvoice is off. */
    public boolean requested() {
        return MANUAL.equals(source) || BULK.equals(source) || CREDIT_NOTE.equals(source);
    }
}
