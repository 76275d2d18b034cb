package ar.connector.webhooks;

import java.time.Duration;
import java.util.Optional;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import ar.connector.links.Link;
import ar.connector.links.LinkEvents;
import ar.connector.links.LinkRepository;

/**
 * The webhook receiver's look-up of the active link by store code, held for a few seconds so a burst
 * of webhooks does not read (and decrypt) the link once per request. What is held is only what the
 * receiver needs: the link's id, its hooks token and its Contabilium account. Any link saved or
 * unlinked on this instance empties the whole cache, again once its transaction has committed (a
 * request in between cannot keep the old row); another replica's change is seen within the TTL.
 * An unknown store code is held too, so a flood of webhooks for a store that is not linked costs
 * no more than one read per TTL.
 */
@Component
public class WebhookLinks {

    static final Duration TTL = Duration.ofSeconds(5);

    /** The receiver's view of an active link. */
    public record WebhookLink(long id, String storeCode, String hooksToken, String contabiliumAccount) {
        @Override
        public String toString() {
            return "WebhookLink[" + id + ", " + storeCode + "]";
        }
    }

    private final LinkRepository links;
    private final Cache<String, Optional<WebhookLink>> byStoreCode;

    @org.springframework.beans.factory.annotation.Autowired
    public WebhookLinks(LinkRepository links) {
        this(links, TTL);
    }

    WebhookLinks(LinkRepository links, Duration ttl) {
        this.links = links;
        this.byStoreCode = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
    }

    /** The active link of the store, if any (may throw the repository's DataAccessException). */
    public Optional<WebhookLink> find(String storeCode) {
        Optional<WebhookLink> held = byStoreCode.getIfPresent(storeCode);
        if (held != null) {
            return held;
        }
        Optional<WebhookLink> read = links.findByActiveStoreCode(storeCode).filter(Link::isActive).map(WebhookLinks::view);
        byStoreCode.put(storeCode, read);
        return read;
    }

    private static WebhookLink view(Link link) {
        return new WebhookLink(link.getId(), link.getJumpsellerStoreCode(), link.getJumpsellerHooksToken(),
                link.getContabiliumClientId().toLowerCase(java.util.Locale.ROOT));
    }

    /** Forgets every link (any change may move a store code from one link to another). */
    public void invalidateAll() {
        byStoreCode.invalidateAll();
    }

    @EventListener
    void onSaved(LinkEvents.Saved event) {
        invalidateAll();
    }

    @EventListener
    void onUnlinked(LinkEvents.Unlinked event) {
        invalidateAll();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMPLETION, fallbackExecution = true)
    void afterSaved(LinkEvents.Saved event) {
        invalidateAll();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMPLETION, fallbackExecution = true)
    void afterUnlinked(LinkEvents.Unlinked event) {
        invalidateAll();
    }
}
