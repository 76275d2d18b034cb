package ar.connector.config;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code connector.*} property of SPEC §3.1 in one typed place. Routes read the same keys
 * through {@code {{connector....}}} placeholders.
 */
@ConfigurationProperties("connector")
public record ConnectorProperties(
        @DefaultValue("./data") Path dataDir,
        URI publicUrl,
        @DefaultValue Jumpseller jumpseller,
        @DefaultValue Contabilium contabilium,
        @DefaultValue Polling polling,
        @DefaultValue Sync sync,
        @DefaultValue Fiscal fiscal,
        @DefaultValue Alerts alerts,
        @DefaultValue Receipts receipts,
        @DefaultValue Admin admin,
        @DefaultValue Secrets secrets,
        @DefaultValue Api api,
        @DefaultValue Invoicing invoicing,
        @DefaultValue Webhooks webhooks,
        @DefaultValue Health health,
        @DefaultValue Security security,
        @DefaultValue Documents documents,
        @DefaultValue Reconciliation reconciliation) {

    /**
     * Logins (HTTP Basic and the console's form): failed attempts allowed per client address and per
     * user name within {@code failureWindow} (past them every attempt of that address or name answers 429
     * until the window has passed), and how long a verified login is
     * remembered (a keyed hash of it, never the password) so that each API call does not pay for a
     * full password hash.
     */
    public record Security(
            @DefaultValue("10") int loginFailuresPerAddress,
            @DefaultValue("30") int loginFailuresPerUser,
            @DefaultValue("1m") Duration loginFailureWindow,
            @DefaultValue("5m") Duration verifiedLoginCache) {
    }

    /**
     * Invoice and credit-note PDFs (the buyers' signed links and the console): requests allowed per
     * client address and per link token within {@code requestWindow}; how long a request may wait
     * for Contabilium (else 503 with Retry-After), how many requests may wait at once (more answer
     * 503 at once, so PDF requests never hold every web thread), and the size of the shared PDF
     * cache in the database (least recently read documents are dropped past it).
     */
    public record Documents(
            @DefaultValue("60") int requestsPerAddress,
            @DefaultValue("20") int requestsPerToken,
            @DefaultValue("1m") Duration requestWindow,
            @DefaultValue("3s") Duration maxWait,
            @DefaultValue("8") int maxWaiting,
            @DefaultValue("256MB") org.springframework.util.unit.DataSize cacheSize) {
    }

    /**
     * The month's reconciliation: a finished one younger than {@code maxAge} answers the API's GET
     * again instead of a new run; documents dated up to {@code grace} after the month still count as
     * the invoices of its orders (an order of the 31st invoiced on the 2nd); the newest {@code keep}
     * reconciliations of each link are kept.
     */
    public record Reconciliation(
            @DefaultValue("15m") Duration maxAge,
            @DefaultValue("10d") Duration grace,
            @DefaultValue("12") int keep) {
    }

    /** How often the registered Jumpseller hooks are checked (a paused hook is registered again). */
    public record Webhooks(@DefaultValue("15m") Duration checkInterval) {
    }

    /** How long a link's API reachability answer is reused by the health endpoint. */
    public record Health(@DefaultValue("1m") Duration linkCache) {
    }

    /**
     * The invoicing flow. {@code consumers} take orders off connector.orders into their account's
     * backlog; {@code turnConsumers} work on accounts' turns (one order per turn, one turn per account
     * at a time, so this is how many accounts are invoiced at once). A failing order is retried after
     * redeliveryDelay, doubling up to maxRedeliveryDelay, maxAttempts times before it is marked
     * FAILED. An emitirFE whose answer was lost is waited for (read back settleAttempts times: at once,
     * then after a pause doubling from settleBackoff) before the account's next invoice may start. The
     * account's lease lives leaseTtl without renewal (how long a crashed replica's account waits); the
     * sweep looks every sweepInterval for accounts whose turn was lost.
     */
    public record Invoicing(
            @DefaultValue("8") int consumers,
            @DefaultValue("48") int turnConsumers,
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("2s") Duration redeliveryDelay,
            @DefaultValue("5m") Duration maxRedeliveryDelay,
            @DefaultValue("3") int settleAttempts,
            @DefaultValue("500ms") Duration settleBackoff,
            @DefaultValue("15s") Duration leaseTtl,
            @DefaultValue("10s") Duration sweepInterval) {

        /** The pause before retry number {@code attempt} (2 = the first retry), as the broker's redelivery would. */
        public Duration retryDelay(int attempt) {
            long millis = redeliveryDelay.toMillis();
            for (int i = 2; i < attempt && millis < maxRedeliveryDelay.toMillis(); i++) {
                millis *= 2;
            }
            return Duration.ofMillis(Math.min(millis, maxRedeliveryDelay.toMillis()));
        }
    }

    /**
     * How the API clients retry safe calls that failed without an answer or with a 5xx, and where
     * their rate-limit budgets live: shared by every replica through the database ({@code true}, which
     * needs PostgreSQL), in this process ({@code false}), or as the datasource says ({@code auto}:
     * PostgreSQL shares them, H2 keeps them in memory). Shared budgets pace at (limit − 1) calls per
     * period + {@code budgetMargin}: the most one call's arrival at the API may trail another's,
     * counted from when each was granted.
     */
    public record Api(
            @DefaultValue("3") int retryAttempts,
            @DefaultValue("500ms") Duration retryBackoff,
            @DefaultValue("auto") BudgetSharing sharedBudgets,
            @DefaultValue("500ms") Duration budgetMargin) {
    }

    public enum BudgetSharing { AUTO, TRUE, FALSE }

    public record Jumpseller(
            @DefaultValue("https://api.jumpseller.com/v1") URI apiUrl,
            @DefaultValue JumpsellerRateLimit rateLimit,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("30s") Duration readTimeout) {
    }

    public record JumpsellerRateLimit(
            @DefaultValue("20") int perSecond,
            @DefaultValue("800") int perMinute) {
    }

    public record Contabilium(
            @DefaultValue("https://rest.contabilium.com") URI apiUrl,
            @DefaultValue ContabiliumRateLimit rateLimit,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration readTimeout) {
    }

    public record ContabiliumRateLimit(
            @DefaultValue("25") int requests,
            @DefaultValue("10s") Duration period,
            @DefaultValue("30") int inventoryRequests,
            @DefaultValue("instance") LimitScope scope,
            @DefaultValue("60s") Duration block) {
    }

    /** Whether one Contabilium budget is shared by every account of this instance, or each account has its own. */
    public enum LimitScope { INSTANCE, ACCOUNT }

    public record Polling(
            @DefaultValue("5m") Duration interval,
            @DefaultValue("3d") Duration lookback,
            @DefaultValue("10s") Duration initialDelay) {
    }

    /**
     * Stock and price synchronisation: the schedules, the delay before the first scheduled run, how
     * long stock events (webhooks) are gathered per Contabilium account before one sync of their
     * SKUs, above how many SKUs such a sync reads whole warehouses instead of SKU by SKU, and how
     * many requests of one sync may be under way at once (the limiters still pace them; this only
     * hides the round-trip time, which alone would keep a sequential sync far below the limits).
     */
    public record Sync(
            @DefaultValue("10m") Duration stockInterval,
            @DefaultValue("1h") Duration priceInterval,
            @DefaultValue("1m") Duration initialDelay,
            @DefaultValue("2s") Duration eventWindow,
            @DefaultValue("20") int eventSkuLimit,
            @DefaultValue("4") int concurrency) {
    }

    public record Fiscal(@DefaultValue("10000000") BigDecimal cfIdentificationThreshold) {
    }

    /**
     * Merchant alert digests: at most one per link per {@code digestInterval}; the timer looks for
     * news every {@code checkInterval} (once per cluster).
     */
    public record Alerts(
            @DefaultValue("15m") Duration digestInterval,
            @DefaultValue("1m") Duration checkInterval) {
    }

    /**
     * Receipts mailed to buyers. {@code template} is a file (or {@code classpath:} resource) whose
     * first line is {@code Asunto: …}; retries are the broker's redeliveries of the receipt job,
     * {@code maxAttempts} of them before the receipt is marked FAILED. A send that has been under
     * way longer than {@code sendTimeout} (more than the SMTP connection timeout,
     * {@code smtpTimeoutMillis}) is taken as interrupted.
     */
    public record Receipts(
            @DefaultValue("facturas@localhost") String from,
            String replyTo,
            @DefaultValue("classpath:receipts/receipt-template.txt") String template,
            @DefaultValue("classpath:receipts/credit-note-template.txt") String creditNoteTemplate,
            @DefaultValue("2") int consumers,
            @DefaultValue("12") int maxAttempts,
            @DefaultValue("30s") Duration redeliveryDelay,
            @DefaultValue("30m") Duration maxRedeliveryDelay,
            @DefaultValue("60s") Duration sendTimeout,
            @DefaultValue("30000") int smtpTimeoutMillis,
            @DefaultValue("10m") Duration sweepInterval,
            @DefaultValue("1h") Duration sweepAfter) {
    }

    public record Admin(@DefaultValue("admin") String username, String password) {
    }

    public record Secrets(String key, String previousKey) {
    }
}
