package ar.connector.sync;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What travels on {@code connector.stock-sync} and {@code connector.price-sync}: the runs to do
 * together (the stores of one Contabilium account, or of one price list, read once between them).
 *
 * @param skus for a stock sync after webhooks, just these (upper-cased) SKUs; null for everything
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncRequest(List<String> runIds, Set<String> skus) {
}
