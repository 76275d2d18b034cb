package ar.connector.config;

import java.util.Arrays;
import java.util.List;

import org.springframework.stereotype.Component;

import ar.connector.invoicing.RunPage;
import ar.connector.sync.SyncRequest;

/**
 * Reads the messages that versions before typed JSON queued as plain text, so that a broker's backlog
 * is still processed after an upgrade: {@code runId:page} on {@code connector.invoice-runs}, and
 * comma-joined run ids on {@code connector.stock-sync} and {@code connector.price-sync}. The routes
 * call it for a body that is not a JSON object; once those queues have drained it is never called.
 */
@Component("legacyMessages")
public class LegacyMessages {

    public RunPage runPage(String body) {
        int colon = body.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("Not an invoice run page: " + body);
        }
        return new RunPage(body.substring(0, colon).trim(), Integer.parseInt(body.substring(colon + 1).trim()));
    }

    public SyncRequest syncRequest(String body) {
        List<String> runIds = Arrays.stream(body.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new SyncRequest(runIds, null);
    }
}
