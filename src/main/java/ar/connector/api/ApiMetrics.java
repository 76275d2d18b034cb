package ar.connector.api;

import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code connector_api_calls_total{api,endpoint,status}} and {@code connector_rate_limit_waits_total{api}}. */
@Component
public class ApiMetrics {

    private final MeterRegistry registry;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void call(String api, String endpoint, int status) {
        Counter.builder("connector.api.calls")
                .description("Calls to Jumpseller and Contabilium by endpoint and HTTP status (0 = no answer)")
                .tag("api", api).tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry).increment();
    }

    /** Records that the limiter held a call back ({@code waitedNanos} > 0) or that a 429 forced a wait. */
    public void waited(String api, long waitedNanos) {
        if (waitedNanos <= 0) {
            return;
        }
        Counter.builder("connector.rate.limit.waits")
                .description("Calls the rate limiter held back before sending")
                .tag("api", api).register(registry).increment();
        registry.timer("connector.rate.limit.wait", "api", api).record(waitedNanos, TimeUnit.NANOSECONDS);
    }
}
