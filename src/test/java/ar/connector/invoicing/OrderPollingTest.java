package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.sandbox.jumpseller.RecordedRequest;

/** The catch-up poll against the Jumpseller sandbox, whose orders carry dates as Jumpseller writes them. */
class OrderPollingTest extends SandboxedConnectorTest {

    @Autowired
    OrderPoller poller;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theReReadOfPaidOrdersStopsAtTheFirstPageOutsideTheLookback() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoInvoice", false), "REM-01");
        OffsetDateTime longAgo = OffsetDateTime.now().minusDays(10);
        long newest = 0;
        for (int i = 0; i < 245; i++) {
            newest = link.store().newOrder().additionalField("DNI", "30111222").line("REM-01", 1, 1210.00)
                    .createdAt(longAgo.plusMinutes(i)).status("paid").create();
        }
        for (int i = 0; i < 5; i++) {
            newest = link.store().newOrder().additionalField("DNI", "30111222").line("REM-01", 1, 1210.00)
                    .status("paid").create();
        }
        // Every order was seen by an earlier poll: only the look-back re-read is left to do.
        jdbc.update("update link set last_seen_order_id = ? where id = ?", newest, link.linkId());
        JUMPSELLER.clearRequests();

        int enqueued = poller.poll(link.linkId()).size();

        // Newest first, 100 a page: page 1 holds the 5 recent orders, page 2 only old ones (the last read).
        assertThat(JUMPSELLER.requests()).filteredOn(r -> link.store().code().equals(r.storeCode()))
                .filteredOn(r -> r.is("GET", "/orders/status/paid\\.json")).extracting(RecordedRequest::query)
                .containsExactly("limit=100&page=1", "limit=100&page=2");
        assertThat(enqueued).isEqualTo(5);
    }
}
