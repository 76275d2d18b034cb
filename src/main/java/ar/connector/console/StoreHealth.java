package ar.connector.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * The live health of a link as the stores page shows it: do both sets of credentials still work,
 * and are the connector's webhooks in place. Checked against the APIs at most once a minute per
 * link, so a page reload never spends a merchant's rate limit.
 */
@Component
class StoreHealth {

    static final Duration TTL = Duration.ofMinutes(1);

    enum Check { OK, REFUSED, UNREACHABLE, NOT_CONFIGURED }

    record Health(Check contabilium, Check jumpseller, Check webhooks, String webhooksDetail, Instant checkedAt) {
        boolean allOk() {
            return contabilium == Check.OK && jumpseller == Check.OK
                    && (webhooks == Check.OK || webhooks == Check.NOT_CONFIGURED);
        }
    }

    private final ContabiliumClient contabilium;
    private final JumpsellerClient jumpseller;
    private final WebhookRegistrar registrar;
    private final Clock clock = Clock.systemUTC();
    private final Map<Long, Health> cache = new ConcurrentHashMap<>();

    StoreHealth(ContabiliumClient contabilium, JumpsellerClient jumpseller, WebhookRegistrar registrar) {
        this.contabilium = contabilium;
        this.jumpseller = jumpseller;
        this.registrar = registrar;
    }

    Health of(Link link) {
        Health cached = cache.get(link.getId());
        Instant now = clock.instant();
        // A link edited since the check (new credentials) is checked again at once.
        if (cached != null && cached.checkedAt().plus(TTL).isAfter(now) && !link.getUpdatedAt().isAfter(cached.checkedAt())) {
            return cached;
        }
        Health fresh = check(link, now);
        cache.put(link.getId(), fresh);
        return fresh;
    }

    void forget(long linkId) {
        cache.remove(linkId);
    }

    private Health check(Link link, Instant now) {
        Check cb;
        try {
            contabilium.verifyCredentials(new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret()));
            cb = Check.OK;
        } catch (ApiCallException e) {
            cb = e.is(ApiCallException.Kind.UNAUTHORIZED) ? Check.REFUSED : Check.UNREACHABLE;
        }
        StoreCredentials store = WebhookRegistrar.credentials(link);
        Check js;
        Check hooks;
        String hooksDetail;
        Optional<String> url = registrar.hookUrl();
        try {
            jumpseller.storeInfo(store);
            js = Check.OK;
            if (url.isEmpty()) {
                hooks = Check.NOT_CONFIGURED;
                hooksDetail = "Sin URL pública (connector.public-url): se usa el sondeo periódico";
            } else {
                long present = jumpseller.hooks(store).stream()
                        .filter(h -> url.get().equals(h.url()))
                        .map(JsModel.Hook::event).distinct()
                        .filter(WebhookRegistrar.EVENTS::contains).count();
                hooks = present == WebhookRegistrar.EVENTS.size() ? Check.OK : Check.REFUSED;
                hooksDetail = present + " de " + WebhookRegistrar.EVENTS.size() + " registrados";
            }
        } catch (ApiCallException e) {
            js = e.is(ApiCallException.Kind.UNAUTHORIZED) ? Check.REFUSED : Check.UNREACHABLE;
            hooks = url.isEmpty() ? Check.NOT_CONFIGURED : Check.UNREACHABLE;
            hooksDetail = url.isEmpty() ? "Sin URL pública (connector.public-url): se usa el sondeo periódico"
                    : "No se pudo consultar Jumpseller";
        }
        return new Health(cb, js, hooks, hooksDetail, now);
    }
}
