package ar.connector.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Called by the {@code webhook-check} route for every link: Jumpseller pauses a hook after repeated
 * failed deliveries and never resumes it (a paused hook disappears from the store's hook list), so
 * every period (once per cluster) whatever hook a store lacks is registered again.
 */
@Component
public class WebhookCheck {

    private static final Logger log = LoggerFactory.getLogger(WebhookCheck.class);

    private final LinkRepository links;
    private final WebhookRegistrar registrar;

    public WebhookCheck(LinkRepository links, WebhookRegistrar registrar) {
        this.links = links;
        this.registrar = registrar;
    }

    /** Whether hooks can be registered at all ({@code connector.public-url} is set). */
    public boolean enabled() {
        return registrar.hookUrl().isPresent();
    }

    /** The route's step for one link (by id); answers the hooks registered again. */
    public int checkLink(long linkId) {
        return links.findById(linkId).filter(Link::isActive).map(this::check).orElse(0);
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
