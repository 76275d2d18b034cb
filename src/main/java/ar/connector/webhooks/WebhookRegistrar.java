package ar.connector.webhooks;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkEvents;
import ar.connector.links.LinkRepository;

/**
 * With {@code connector.public-url} set, keeps the Jumpseller hooks the connector listens to
 * registered at {@code <public-url>/webhooks/jumpseller}: added when a store is linked, removed when
 * it is unlinked. Without it the catch-up poll alone feeds invoicing.
 */
@Component
public class WebhookRegistrar {

    private static final Logger log = LoggerFactory.getLogger(WebhookRegistrar.class);
    public static final List<String> EVENTS = List.of("order_paid", "order_updated", "order_canceled",
            "product_stock_updated");

    private final Optional<String> hookUrl;
    private final JumpsellerClient jumpseller;
    private final LinkRepository links;

    public WebhookRegistrar(ConnectorProperties properties, JumpsellerClient jumpseller, LinkRepository links) {
        URI publicUrl = properties.publicUrl();
        this.hookUrl = publicUrl == null || publicUrl.toString().isBlank()
                ? Optional.empty()
                : Optional.of(publicUrl.toString().replaceAll("/+$", "") + "/webhooks/jumpseller");
        this.jumpseller = jumpseller;
        this.links = links;
    }

    public Optional<String> hookUrl() {
        return hookUrl;
    }

    @TransactionalEventListener
    public void onSaved(LinkEvents.Saved event) {
        links.findById(event.linkId()).filter(Link::isActive).ifPresent(link -> {
            try {
                register(credentials(link));
            } catch (ApiCallException e) {
                log.warn("Could not register the webhooks of store {}: {}", link.getJumpsellerStoreCode(), e.getMessage());
            }
        });
    }

    @TransactionalEventListener
    public void onUnlinked(LinkEvents.Unlinked event) {
        hookUrl.ifPresent(url -> {
            StoreCredentials store = new StoreCredentials(event.storeCode(), event.login(), event.authToken());
            try {
                for (JsModel.Hook hook : jumpseller.hooks(store)) {
                    if (url.equals(hook.url())) {
                        jumpseller.deleteHook(store, hook.id());
                    }
                }
                log.info("Removed the webhooks of unlinked store {}", event.storeCode());
            } catch (ApiCallException e) {
                log.warn("Could not remove the webhooks of unlinked store {}: {}", event.storeCode(), e.getMessage());
            }
        });
    }

    /**
     * Registers whichever of the connector's hooks the store lacks.
     *
     * @return the events that were missing (empty when all were in place or no public URL is set)
     */
    public Set<String> register(StoreCredentials store) {
        if (hookUrl.isEmpty()) {
            return Set.of();
        }
        String url = hookUrl.get();
        Set<String> present = jumpseller.hooks(store).stream()
                .filter(hook -> url.equals(hook.url()))
                .map(JsModel.Hook::event)
                .collect(Collectors.toSet());
        Set<String> missing = EVENTS.stream().filter(e -> !present.contains(e)).collect(Collectors.toSet());
        for (String event : missing) {
            jumpseller.createHook(store, event, url);
        }
        if (!missing.isEmpty()) {
            log.info("Registered webhooks {} of store {} at {}", missing, store.storeCode(), url);
        }
        return missing;
    }

    public static StoreCredentials credentials(Link link) {
        return new StoreCredentials(link.getJumpsellerStoreCode(), link.getJumpsellerLogin(), link.getJumpsellerAuthToken());
    }
}
