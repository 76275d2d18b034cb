package ar.connector.receipts;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.invoicing.TtlCache;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.links.Link;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * The store's public name (Jumpseller's store info), the visible sender of its receipts. Read once per
 * link and kept for hours; while Jumpseller cannot be asked, the link's own name stands in, so a
 * Jumpseller outage never holds receipts back.
 */
@Component
public class StoreNames {

    private static final Logger log = LoggerFactory.getLogger(StoreNames.class);
    private final JumpsellerClient jumpseller;
    private final TtlCache<Long, String> names = new TtlCache<>(Duration.ofHours(6), 10_000);

    public StoreNames(JumpsellerClient jumpseller) {
        this.jumpseller = jumpseller;
    }

    public String of(Link link) {
        return names.get(link.getId()).orElseGet(() -> {
            try {
                JsModel.Store store = jumpseller.storeInfo(WebhookRegistrar.credentials(link));
                if (store.name() != null && !store.name().isBlank()) {
                    names.put(link.getId(), store.name().trim());
                    return store.name().trim();
                }
            } catch (ApiCallException e) {
                log.info("Store name of link {} not read ({}); using the link's name", link.getId(), e.getMessage());
            }
            return link.getName();
        });
    }
}
