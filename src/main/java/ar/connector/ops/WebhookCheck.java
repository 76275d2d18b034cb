package ar.connector.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.scheduling.ScheduleLease;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Called by the {@code webhook-check} route: Jumpseller pauses a hook after repeated failed
 * deliveries and never resumes it (a paused hook disappears from the store's hook list), so every
 * period one instance of the cluster registers again whatever hook a store lacks.
 */
@Component
public class WebhookCheck {

    private static final Logger log = LoggerFactory.getLogger(WebhookCheck.class);
    public static final String SCHEDULE = "webhook-check";

    private final LinkRepository links;
    private final WebhookRegistrar registrar;
    private final ScheduleLease lease;
    private final ConnectorProperties.Webhooks webhooks;

    public WebhookCheck(LinkRepository links, WebhookRegistrar registrar, ScheduleLease lease,
            ConnectorProperties properties) {
        this.links = links;
        this.registrar = registrar;
        this.lease = lease;
        this.webhooks = properties.webhooks();
    }

    /** Checks every active link if this instance holds this period's turn; answers the hooks registered again. */
    public int checkAll() {
        if (registrar.hookUrl().isEmpty() || !lease.claim(SCHEDULE, webhooks.checkInterval())) {
            return 0;
        }
        int registered = 0;
        for (Link link : links.findByUnlinkedAtIsNullOrderById()) {
            registered += check(link);
        }
        return registered;
    }

    /** Registers the hooks this link's store lacks; one store's failure leaves the others alone. */
    public int check(Link link) {
        try {
            return registrar.register(WebhookRegistrar.credentials(link)).size();
        } catch (ApiCallException e) {
            log.warn("Could not check the webhooks of store {}: {}", link.getJumpsellerStoreCode(), e.getMessage());
            return 0;
        }
    }
}
