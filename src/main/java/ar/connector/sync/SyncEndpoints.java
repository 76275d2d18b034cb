package ar.connector.sync;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/** What the sync routes in {@code routes/} call: message in, Java out. */
@Component("syncEndpoints")
public class SyncEndpoints {

    private final SyncScheduler scheduler;
    private final StockSync stock;
    private final PriceSync prices;

    public SyncEndpoints(SyncScheduler scheduler, StockSync stock, PriceSync prices) {
        this.scheduler = scheduler;
        this.stock = stock;
        this.prices = prices;
    }

    public int scheduleStock() {
        return scheduler.scheduleStock();
    }

    public int schedulePrice() {
        return scheduler.schedulePrice();
    }

    public void runStock(@Body String runIds) {
        stock.run(ids(runIds));
    }

    public void runPrice(@Body String runIds) {
        prices.run(ids(runIds));
    }

    private static List<String> ids(String runIds) {
        return Arrays.stream(runIds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
