package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.links.LinkRepository;
import ar.connector.sandbox.jumpseller.SandboxHook;
import ar.connector.support.Http;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Health and metrics for operators (SPEC §3.4): one merchant's revoked key shows in the details
 * but never in the probes; a paused Jumpseller hook is noticed and registered again; the queue
 * depth gauge is exported.
 */
class OperatorHealthTest extends SandboxedConnectorTest {

    @Autowired
    LinkRepository links;

    @Autowired
    JumpsellerClient jumpseller;

    @Autowired
    ContabiliumClient contabilium;


    @Test
    void aRevokedKeyShowsInHealthDetailsWhileLivenessAndReadinessStayUp() {
        Linked healthy = newLink("RI", Map.of());
        Linked revoked = newLink("RI", Map.of());
        revoked.account().regenerateKey("a-new-key-the-connector-does-not-know");

        HttpResponse<String> health = admin("GET", "/actuator/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(json(health.body()).path("status").asText()).as("the instance itself is fine").isEqualTo("UP");
        assertThat(json(health.body()).path("components").has("mail"))
                .as("an SMTP outage only delays receipts: mail is not part of the health").isFalse();
        JsonNode links = json(health.body()).at("/components/links");
        assertThat(links.path("status").asText()).isEqualTo("DEGRADED");
        JsonNode bad = links.path("details").path(String.valueOf(revoked.linkId()));
        assertThat(bad.path("store").asText()).isEqualTo(revoked.store().code());
        assertThat(bad.path("contabilium").asText()).startsWith("UNAUTHORIZED");
        assertThat(bad.path("jumpseller").asText()).isEqualTo("UP");
        JsonNode good = links.path("details").path(String.valueOf(healthy.linkId()));
        assertThat(good.path("contabilium").asText()).isEqualTo("UP");
        assertThat(good.path("jumpseller").asText()).isEqualTo("UP");
        assertThat(health.body()).doesNotContain("a-new-key-the-connector-does-not-know")
                .doesNotContain("key-");

        Http anonymous = Http.anonymous("http://127.0.0.1:" + port);
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            Http.Response answer = anonymous.get(probe);
            assertThat(answer.status()).as(probe + " " + answer).isEqualTo(200);
            assertThat(answer.json().path("status").asText()).as(probe).isEqualTo("UP");
        }
        HttpResponse<String> readiness = admin("GET", "/actuator/health/readiness", null);
        assertThat(json(readiness.body()).path("components").fieldNames()).toIterable()
                .contains("db", "jms", "camelHealth", "readinessState").doesNotContain("links");
        HttpResponse<String> liveness = admin("GET", "/actuator/health/liveness", null);
        assertThat(json(liveness.body()).path("components").fieldNames()).toIterable()
                .doesNotContain("links");

        Http.Response overview = anonymous.get("/actuator/health");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).as("no per-link details for anonymous callers")
                .doesNotContain(revoked.store().code()).doesNotContain("links");
    }

    @Test
    void aPausedHookIsNoticedInHealthAndRegisteredAgain() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        // Hooks pointing at a path of this connector that refuses them, so deliveries fail and
        // the sandbox pauses the hook as Jumpseller does.
        ConnectorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "connector.public-url", "http://127.0.0.1:" + port + "/refused",
                "connector.webhooks.check-interval", "1h")))
                .bindOrCreate("connector", ConnectorProperties.class);
        WebhookRegistrar registrar = new WebhookRegistrar(properties, jumpseller, links);
        WebhookCheck check = new WebhookCheck(links, registrar);
        LinksHealthIndicator health = new LinksHealthIndicator(links, jumpseller, contabilium, registrar, properties);
        String url = registrar.hookUrl().orElseThrow();

        assertThat(check.check(links.findById(link.linkId()).orElseThrow())).isEqualTo(WebhookRegistrar.EVENTS.size());
        assertThat(link.store().hooks()).extracting(SandboxHook::event)
                .containsExactlyInAnyOrderElementsOf(WebhookRegistrar.EVENTS);

        link.store().setWebhookRetry(1, Duration.ofMillis(10));
        link.store().setPauseAfterFailures(1);
        link.store().newOrder().customer("dario@example.com", "Darío").line("REM-01", 1, 1210.00).status("paid").create();
        await().atMost(Duration.ofSeconds(10)).until(() -> link.store().hooks().stream()
                .anyMatch(h -> h.event().equals("order_paid") && h.paused()));

        Object details = health.health().getDetails().get(String.valueOf(link.linkId()));
        assertThat(details).asString().contains("MISSING [order_paid");

        assertThat(check.check(links.findById(link.linkId()).orElseThrow())).isGreaterThanOrEqualTo(1);
        assertThat(link.store().hooks().stream().filter(h -> !h.paused() && url.equals(h.url())).map(SandboxHook::event))
                .containsExactlyInAnyOrderElementsOf(WebhookRegistrar.EVENTS);
    }

    @Test
    void prometheusExportsTheQueueDepthOfEveryQueue() {
        HttpResponse<String> metrics = admin("GET", "/actuator/prometheus", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("connector_queue_depth{queue=\"connector.orders\"}")
                .contains("connector_queue_depth{queue=\"connector.invoice-runs\"}");
    }
}
