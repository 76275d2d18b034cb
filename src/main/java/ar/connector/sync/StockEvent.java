package ar.connector.sync;

import com.fasterxml.jackson.databind.JsonNode;

/** What travels on {@code connector.stock-events}: a checked webhook that may move stock. */
public record StockEvent(long linkId, String event, JsonNode payload) {
}
