package ar.connector.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.TtlCache;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Health component {@code links} (SPEC §3.4): for every active link, whether both APIs accept its
 * credentials (a fresh Contabilium token, the Jumpseller store info) and, with
 * {@code connector.public-url} set, whether the store still has the connector's hooks. It is in
 * neither probe group, so one merchant's revoked key never takes a pod out of service; a problem
 * shows as {@code DEGRADED} on this component only (the status order ranks it below UP, so the
 * instance's overall status stays UP). Answers are cached
 * per link ({@code connector.health.link-cache}) so frequent health calls do not spend the
 * stores' API budget; editing a link (new credentials) invalidates its entry.
 */
@Component("links")
public class LinksHealthIndicator implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "a link cannot reach one of its APIs or lacks its webhooks");

    private final LinkRepository links;
    private final JumpsellerClient jumpseller;
    private final ContabiliumClient contabilium;
    private final WebhookRegistrar registrar;
    private final TtlCache<String, LinkHealth> cache;

    /** One link's check; the key includes its last update so new credentials are checked at once. */
    record LinkHealth(String store, String jumpseller, String contabilium, String webhooks, Instant checkedAt) {

        boolean healthy() {
            return "UP".equals(jumpseller) && "UP".equals(contabilium)
                    && ("REGISTERED".equals(webhooks) || "NOT_CONFIGURED".equals(webhooks));
        }
    }

    public LinksHealthIndicator(LinkRepository links, JumpsellerClient jumpseller, ContabiliumClient contabilium,
            WebhookRegistrar registrar, ConnectorProperties properties) {
        this.links = links;
        this.jumpseller = jumpseller;
        this.contabilium = contabilium;
        this.registrar = registrar;
        this.cache = new TtlCache<>(properties.health().linkCache(), 10_000);
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        int degraded = 0;
        for (Link link : links.findByUnlinkedAtIsNullOrderById()) {
            LinkHealth result = cache.computeIfAbsent(link.getId() + "@" + link.getUpdatedAt(), key -> check(link));
            if (!result.healthy()) {
                degraded++;
            }
            details.put(String.valueOf(link.getId()), result);
        }
        Health.Builder builder = degraded == 0 ? Health.up() : Health.status(DEGRADED);
        return builder.withDetail("degraded", degraded).withDetails(details).build();
    }

    private LinkHealth check(Link link) {
        StoreCredentials store = WebhookRegistrar.credentials(link);
        String jumpsellerState = reach(() -> jumpseller.storeInfo(store));
        String contabiliumState = reach(() -> contabilium.verifyCredentials(
                new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret())));
        return new LinkHealth(link.getJumpsellerStoreCode(), jumpsellerState, contabiliumState,
                webhooks(store, jumpsellerState), Instant.now());
    }

    private String webhooks(StoreCredentials store, String jumpsellerState) {
        if (registrar.hookUrl().isEmpty()) {
            return "NOT_CONFIGURED";
        }
        if (!"UP".equals(jumpsellerState)) {
            return "UNKNOWN";
        }
        String url = registrar.hookUrl().get();
        try {
            List<JsModel.Hook> hooks = jumpseller.hooks(store);
            Set<String> present = hooks.stream().filter(h -> url.equals(h.url())).map(JsModel.Hook::event)
                    .collect(Collectors.toSet());
            Set<String> missing = new TreeSet<>(WebhookRegistrar.EVENTS);
            missing.removeAll(present);
            return missing.isEmpty() ? "REGISTERED" : "MISSING " + missing;
        } catch (ApiCallException e) {
            return "UNKNOWN";
        }
    }

    /** UP, or the kind of failure with the API's message (never a credential). */
    private static String reach(Runnable call) {
        try {
            call.run();
            return "UP";
        } catch (ApiCallException e) {
            return e.kind() + ": " + e.getMessage();
        }
    }
}
